"""Column-level validation: parse every column by its declared type, vectorised.

Blank is unknown (null), never a default. A non-blank value that does not parse, is out of
range or not allowed is a problem naming its row, column and value.
"""

from __future__ import annotations

import polars as pl

from ontrack.ingest.problems import Problem
from ontrack.ingest.profiles import ColumnSpec, Profile

ROW = "__row__"  # 1-based data-row number carried through every frame


def check_columns(profile: Profile, present: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    given = set(present)  # a set: linear in the header's width (issue 8)
    missing = [c for c in profile.columns if c not in given]
    for name in missing:
        problems.append(Problem(None, name, "", "required column is missing from the header"))
    known = set(profile.columns) | profile.ignore
    for name in present:
        if name not in known:
            problems.append(
                Problem(None, name, "", f"unexpected column (not in profile {profile.name!r})")
            )
    return problems


def _parse(spec: ColumnSpec) -> tuple[pl.Expr, str]:
    raw = pl.col(spec.name)
    if spec.type == "integer":
        return raw.str.to_integer(strict=False), "not a whole number"
    if spec.type == "date":
        attempts = [raw.str.to_date(fmt, strict=False) for fmt in spec.formats]
        # Date-times such as "2013-08-13 06:03:42" or Excel's "2013-08-13 00:00:00".
        attempts.append(raw.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        shown = " or ".join(
            f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD") for f in spec.formats
        )
        return pl.coalesce(attempts), f"not a valid date (expected {shown})"
    if spec.type == "boolean":
        lowered = raw.str.to_lowercase()
        parsed = (
            pl.when(lowered.is_in(list(spec.true_values)))
            .then(pl.lit(True))
            .when(lowered.is_in(list(spec.false_values)))
            .then(pl.lit(False))
            .otherwise(None)
        )
        return parsed, "not true or false"
    # Text is kept as Categorical: a caseload repeats each person's and case's text on every
    # row, and the typed frame lives through the whole mapping (most of an import's peak
    # memory). Strings are interned per distinct value; what is read back is the same text.
    return raw.cast(pl.Categorical), ""


def parse_columns(profile: Profile, frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    """The typed frame (declared columns only, plus ``__row__``) and every problem found.

    Text columns come back as ``pl.Categorical`` (the same text, stored once per distinct
    value); cast them to ``pl.String`` before using string functions on them."""
    frame = frame.with_row_index(ROW, offset=1)
    typed: list[pl.Expr] = [pl.col(ROW)]
    checks: list[tuple[str, pl.Expr, str]] = []
    for spec in profile.columns.values():
        parsed, reason = _parse(spec)
        typed.append(parsed.alias(spec.name))
        raw = pl.col(spec.name)
        if reason:
            checks.append((spec.name, raw.is_not_null() & parsed.is_null(), reason))
        if spec.required:
            checks.append((spec.name, raw.is_null(), "required, but blank"))
        if spec.values is not None:
            allowed = ", ".join(repr(v) for v in spec.values)
            checks.append(
                (
                    spec.name,
                    raw.is_not_null() & ~raw.is_in(list(spec.values)),
                    f"not one of {allowed}",
                )
            )
        if spec.minimum is not None:
            checks.append((spec.name, parsed < spec.minimum, f"less than {spec.minimum}"))
        if spec.maximum is not None:
            checks.append((spec.name, parsed > spec.maximum, f"more than {spec.maximum}"))
        if spec.type == "date":
            checks.append(
                (
                    spec.name,
                    (parsed < pl.date(1900, 1, 1)) | (parsed > pl.date(2100, 1, 1)),
                    "outside 1900-2100",
                )
            )
        for other in spec.requires:
            checks.append(
                (spec.name, raw.is_not_null() & pl.col(other).is_null(), f"given without {other}")
            )
        if spec.unique:
            checks.append(
                (spec.name, raw.is_not_null() & raw.is_duplicated(), "appears on more than one row")
            )
    problems = collect_problems(frame, checks)
    return frame.select(typed), problems


def collect_problems(
    frame: pl.DataFrame, checks: list[tuple[str, pl.Expr, str]], limit: int = 10_000
) -> list[Problem]:
    """Evaluate all checks in one pass; one problem per failing (row, check)."""
    if not checks:
        return []
    flags = frame.select(
        pl.col(ROW),
        *[cond.fill_null(False).alias(f"__check{i}") for i, (_, cond, _) in enumerate(checks)],
    )
    problems: list[Problem] = []
    for i, (column, _, reason) in enumerate(checks):
        failing = flags.filter(pl.col(f"__check{i}"))[ROW]
        if failing.is_empty():
            continue
        values = frame.filter(pl.col(ROW).is_in(failing.implode())).select(
            ROW, pl.col(column).cast(pl.String)
        )
        for row, value in values.head(limit).iter_rows():
            problems.append(Problem(row, column, value or "", reason))
    return problems
