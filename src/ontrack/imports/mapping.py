"""From typed source columns to OnTrack's canonical record frames, following the profile.

Output frames (all carry ``__row__``, the first source row a record came from):
``persons`` (``pkey``), ``identifiers``, ``cases`` (``ckey``), ``charges``, ``arrests``,
``priors``, ``prior_counts``. Records repeated over several rows must agree; a person or
case whose facts differ between rows is a problem, not a silent "last one wins".
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.utils import timezone

from ontrack.cases.models import CaseStatus, Disposition, PriorRecordType
from ontrack.common.models import Level
from ontrack.imports.profiles import TARGET_FIELDS, CaseloadProfile, Template
from ontrack.ingest import plausible
from ontrack.ingest.problems import Problem
from ontrack.ingest.validate import ROW, collect_problems
from ontrack.offenses.codes import StatuteCodeError, normalise
from ontrack.offenses.models import OffenseCategory
from ontrack.people.models import IdentifierType, Race, Sex

DATE_FIELDS = {
    "date_of_birth", "birth_date_earliest", "birth_date_latest", "filing_date", "arrest_date",
    "offense_date", "event_date", "as_of",
}  # fmt: skip
INT_FIELDS = {
    "count_number",
    "total",
    "juvenile_felonies",
    "juvenile_misdemeanors",
    "juvenile_other",
}
BOOL_FIELDS = {"weapon_alleged", "gang_alleged", "near_school_alleged"}
CHOICES: dict[tuple[str, str], list[str]] = {
    ("person", "sex"): list(Sex.values),
    ("person", "race"): list(Race.values),
    ("case", "status"): list(CaseStatus.values),
    ("charge", "level"): list(Level.values),
    ("charge", "disposition"): list(Disposition.values),
    ("prior", "level"): list(Level.values),
    ("prior", "record_type"): list(PriorRecordType.values),
    ("prior", "category"): list(OffenseCategory.values),
    ("identifier", "id_type"): list(IdentifierType.values),
}


@dataclass
class Canonical:
    persons: pl.DataFrame
    identifiers: pl.DataFrame
    cases: pl.DataFrame
    charges: pl.DataFrame
    arrests: pl.DataFrame
    priors: pl.DataFrame
    prior_counts: pl.DataFrame


def _dtype(name: str) -> pl.DataType:
    if name in DATE_FIELDS:
        return pl.Date()
    if name in INT_FIELDS:
        return pl.Int64()
    if name in BOOL_FIELDS:
        return pl.Boolean()
    return pl.String()


class _Builder:
    def __init__(self, typed: pl.DataFrame) -> None:
        self.typed = typed
        self.checks: list[tuple[str, pl.Expr, str]] = []

    def expr(self, spec: Any, target: str) -> pl.Expr:
        if isinstance(spec, str):
            return pl.col(spec)
        if "const" in spec:
            return pl.lit(spec["const"])
        if "column" in spec:
            column = pl.col(spec["column"])
            if "map" not in spec:
                return column
            mapping = {str(k): v for k, v in spec["map"].items()}
            known = ", ".join(repr(k) for k in mapping)
            self.checks.append(
                (
                    spec["column"],
                    column.is_not_null() & ~column.cast(pl.String).is_in(list(mapping)),
                    f"no mapping for this value (known: {known})",
                )
            )
            return column.cast(pl.String).replace_strict(
                mapping, default=None, return_dtype=_dtype(target)
            )
        if "format" in spec:
            parts = list(string.Formatter().parse(spec["format"]))
            template = "".join(lit + ("{}" if name else "") for lit, name, _, _ in parts)
            names = [name for _, name, _, _ in parts if name]
            return pl.format(template, *[_text(n) for n in names])
        derive = spec["derive"]
        if derive in {"birth_date_earliest_from_age", "birth_date_latest_from_age"}:
            # Completed-years age A on date D: born in (D - (A+1) years, D - A years].
            age, on = pl.col(spec["age"]), pl.col(spec["date"])
            if derive == "birth_date_latest_from_age":
                return on.dt.offset_by(pl.format("-{}y", age))
            return on.dt.offset_by(pl.format("-{}y", age + 1)).dt.offset_by("1d")
        if derive == "strip_parentheses":
            return _text(spec["value"]).str.strip_chars("() ")
        if derive == "statute_code":
            column = spec["value"]
            values = self.typed.get_column(column).drop_nulls().unique().cast(pl.String).to_list()
            codes: dict[str, str | None] = {}
            for raw in values:
                try:
                    codes[raw] = normalise(raw)
                except StatuteCodeError:
                    codes[raw] = None
            bad = [k for k, v in codes.items() if v is None]
            self.checks.append(
                (
                    column,
                    _text(column).is_in(bad),
                    "not a statute code (e.g. HS 11351, PC 245(a)(1))",
                )
            )
            return _text(column).replace_strict(codes, default=None, return_dtype=pl.String)
        raise AssertionError(derive)  # profiles are validated on load

    def when(self, when: dict[str, Any] | None) -> pl.Expr:
        if when is None:
            return pl.lit(True)
        if "present" in when:
            return pl.col(when["present"]).is_not_null()
        return pl.col(when["column"]).cast(pl.String) == str(when["equals"])

    def frame(
        self, template: Template, extra: dict[str, pl.Expr], condition: pl.Expr
    ) -> pl.DataFrame:
        fields = TARGET_FIELDS[template.kind]
        exprs = [pl.col(ROW), *[e.alias(k) for k, e in extra.items()]]
        for name in sorted(fields):
            spec = template.fields.get(name)
            value = self.expr(spec, name) if spec is not None else pl.lit(None)
            exprs.append(value.cast(_dtype(name), strict=False).alias(name))
            choices = CHOICES.get((template.kind, name))
            if choices is not None and spec is not None:
                self.checks.append(
                    (
                        _column_of(spec, name),
                        value.is_not_null() & ~value.cast(pl.String).is_in(choices),
                        f"{name} must be one of {', '.join(choices)}",
                    )
                )
        return self.typed.filter(condition & self.when(template.when)).select(exprs)


def _text(name: str) -> pl.Expr:
    """A text column of the typed frame as strings (it is held as Categorical, see
    ``ingest.validate.parse_columns``), for string functions."""
    return pl.col(name).cast(pl.String)


def _column_of(spec: Any, fallback: str) -> str:
    if isinstance(spec, str):
        return spec
    return str(spec.get("column") or spec.get("value") or fallback)


def _key(template: Template, builder: _Builder) -> pl.Expr:
    f = template.fields
    return pl.concat_str(
        [
            builder.expr(f["id_type"], "id_type").cast(pl.String),
            builder.expr(f["issuer"], "issuer").cast(pl.String),
            builder.expr(f["value"], "value").cast(pl.String),
        ],
        separator="|",
    )


def _disagreements(frame: pl.DataFrame, key: str, what: str) -> list[Problem]:
    """Rows whose record (same key) differs from the first row that gave it."""
    fields = [c for c in frame.columns if c not in {ROW, key}]
    if frame.is_empty() or not fields:
        return []
    # Only keys whose rows disagree somewhere are joined row by row (a whole-file join
    # would copy every record once more: most of an import's peak memory).
    spread = frame.group_by(key).agg(pl.col(f).n_unique() for f in fields)
    differing = spread.filter(pl.any_horizontal(pl.col(f) > 1 for f in fields)).get_column(key)
    if differing.is_empty():
        return []
    frame = frame.filter(pl.col(key).is_in(differing.implode()))
    first = frame.sort(ROW).unique(subset=[key], keep="first", maintain_order=True)
    joined = frame.join(first, on=key, suffix="__first")
    problems: list[Problem] = []
    for name in fields:
        differs = joined.filter(~pl.col(name).eq_missing(pl.col(f"{name}__first")))
        for row, value, first_row in (
            differs.select(ROW, pl.col(name).cast(pl.String), f"{ROW}__first").head(200).iter_rows()
        ):
            problems.append(
                Problem(
                    row,
                    name,
                    value or "",
                    f"{what} differs from row {first_row} for the same {what}",
                )
            )
    return problems


def build(profile: CaseloadProfile, typed: pl.DataFrame) -> tuple[Canonical, list[Problem]]:
    b = _Builder(typed)
    everyone = pl.lit(True)
    pkey = _key(profile.person_key, b).alias("pkey")
    problems: list[Problem] = []
    persons_all = b.frame(profile.person, {"pkey": pkey}, everyone)
    problems += _disagreements(persons_all, "pkey", "person")
    persons = persons_all.sort(ROW).unique(subset=["pkey"], keep="first", maintain_order=True)
    del persons_all  # frames of every row are let go as soon as deduplicated (peak memory)
    id_templates = [profile.person_key, *profile.identifiers]
    id_frames = [b.frame(t, {"pkey": pkey}, everyone) for t in id_templates]
    id_key = ["id_type", "issuer", "value", "pkey"]
    # A number means nothing without who issued it (and the database requires the issuer).
    for i, (template, frame) in enumerate(zip(id_templates, id_frames, strict=True)):
        unissued = frame.filter(pl.col("value").is_not_null() & pl.col("issuer").is_null())
        column = _column_of(template.fields.get("issuer"), "issuer")
        problems += [
            Problem(row, column, "", f"needed with identifier {value!r}")
            for row, value in unissued.select(ROW, "value").iter_rows()
        ]
        id_frames[i] = frame.filter(pl.col("value").is_not_null()).unique(
            subset=id_key, keep="first", maintain_order=True
        )
    identifiers = pl.concat(id_frames).unique(subset=id_key, keep="first")
    del id_frames
    shared = identifiers.filter(pl.struct("id_type", "issuer", "value").is_duplicated())
    for row, value in shared.select(ROW, "value").iter_rows():
        problems.append(
            Problem(
                row, "identifier", value, "the same identifier is given to two different people"
            )
        )
    case_frames, charge_frames, arrest_frames = [], [], []
    for template in profile.cases:
        condition = b.when(template.when)
        docket = (
            b.expr(template.fields["docket_number"], "docket_number")
            if "docket_number" in template.fields
            else pl.lit(None)
        )
        source = (
            b.expr(template.fields["source_key"], "source_key")
            if "source_key" in template.fields
            else pl.lit(None)
        )
        ckey = pl.coalesce(
            pl.lit("docket:") + docket.cast(pl.String), pl.lit("source:") + source.cast(pl.String)
        ).alias("ckey")
        case_frames.append(b.frame(template, {"pkey": pkey, "ckey": ckey}, everyone))
        for charge in template.children.get("charge", ()):
            charge_frames.append(b.frame(charge, {"ckey": ckey}, condition))
        for arrest in template.children.get("arrest", ()):
            arrest_frames.append(b.frame(arrest, {"ckey": ckey, "pkey": pkey}, condition))
    cases_all = _concat(case_frames, ["pkey", "ckey"], "case")
    no_key = cases_all.filter(pl.col("ckey").is_null())
    problems += [
        Problem(r, "", "", "case has neither a case number nor a source key") for r in no_key[ROW]
    ]
    cases_all = cases_all.filter(pl.col("ckey").is_not_null())
    problems += _disagreements(cases_all, "ckey", "case")
    cases = cases_all.sort(ROW).unique(subset=["ckey"], keep="first", maintain_order=True)
    del cases_all, case_frames
    charges_all = _concat(charge_frames, ["ckey"], "charge").filter(pl.col("ckey").is_not_null())
    charges_all = charges_all.with_columns(
        pl.concat_str(["ckey", pl.col("count_number").cast(pl.String)], separator="#").alias(
            "chkey"
        )
    )
    problems += _disagreements(charges_all, "chkey", "charge count")
    charges = charges_all.sort(ROW).unique(subset=["chkey"], keep="first", maintain_order=True)
    del charges_all, charge_frames
    arrests_all = _concat(arrest_frames, ["ckey", "pkey"], "arrest").filter(
        pl.col("booking_number").is_not_null()
    )
    arrests_all = arrests_all.with_columns(
        pl.concat_str(["agency", "booking_number"], separator="#", ignore_nulls=True).alias("akey")
    )
    problems += _disagreements(arrests_all, "akey", "booking")
    arrests = arrests_all.sort(ROW).unique(subset=["akey"], keep="first", maintain_order=True)
    del arrests_all, arrest_frames
    priors = _concat(
        [b.frame(t, {"pkey": pkey}, everyone) for t in profile.priors], ["pkey"], "prior"
    )
    counts_all = _concat(
        [b.frame(t, {"pkey": pkey}, everyone) for t in profile.prior_counts],
        ["pkey"],
        "prior_counts",
    )
    counts_all = counts_all.with_columns(
        pl.concat_str(["pkey", "source"], separator="#").alias("pckey")
    )
    problems += _disagreements(counts_all, "pckey", "prior count")
    prior_counts = counts_all.sort(ROW).unique(subset=["pckey"], keep="first", maintain_order=True)
    del counts_all
    _plausible_dates(profile, b, timezone.localdate())
    problems += collect_problems(typed, b.checks)
    canonical = Canonical(persons, identifiers, cases, charges, arrests, priors, prior_counts)
    return canonical, sorted(set(problems), key=lambda p: (p.row or 0, p.column, p.reason))


def _source(spec: Any) -> str | None:
    """The file column a date comes from, to name in a problem (None: a constant)."""
    if isinstance(spec, str):
        return spec
    if not isinstance(spec, dict):
        return None
    for key in ("column", "value", "age", "date"):
        if isinstance(spec.get(key), str):
            return str(spec[key])
    return None


def _plausible_dates(profile: CaseloadProfile, b: _Builder, today: dt.date) -> None:
    """Dates that cannot be true refuse the file (ingest.plausible states the rule): a
    birth, filing or offense date after today; an age under 10 or over 110 on the offense
    date (from the birth date, or only when every date of a birth-date range agrees)."""

    def date(template: Template, name: str) -> tuple[pl.Expr, str] | None:
        spec = template.fields.get(name)
        column = _source(spec) if spec is not None else None
        return (b.expr(spec, name).cast(pl.Date, strict=False), column) if column else None

    def future(found: tuple[pl.Expr, str] | None, condition: pl.Expr, what: str) -> None:
        if found is not None:
            value, column = found
            b.checks.append(
                (column, condition & plausible.after(today, value), f"{what} after today")
            )

    everyone = pl.lit(True)
    born = date(profile.person, "date_of_birth")
    earliest = date(profile.person, "birth_date_earliest")
    latest = date(profile.person, "birth_date_latest")
    future(born, everyone, "birth date")
    future(earliest, everyone, "every possible birth date is")
    for case in profile.cases:
        on_case = b.when(case.when)
        future(date(case, "filing_date"), on_case, "filing date")
        for charge in case.children.get("charge", ()):
            offense = date(charge, "offense_date")
            if offense is None:
                continue
            where = on_case & b.when(charge.when)
            future(offense, where, "offense date")
            on, offense_column = offense
            young = f"under {plausible.MIN_AGE} on the offense date ({offense_column})"
            old = f"over {plausible.MAX_AGE} on the offense date ({offense_column})"
            if born is not None:
                value, column = born
                b.checks.append((column, where & plausible.too_young(value, on), young))
                b.checks.append((column, where & plausible.too_old(value, on), old))
            no_birth_date = born[0].is_null() if born is not None else everyone
            if earliest is not None:
                value, column = earliest
                b.checks.append(
                    (column, where & no_birth_date & plausible.too_young(value, on), young)
                )
            if latest is not None:
                value, column = latest
                b.checks.append((column, where & no_birth_date & plausible.too_old(value, on), old))


def _concat(frames: list[pl.DataFrame], keys: list[str], kind: str) -> pl.DataFrame:
    if frames:
        return pl.concat(frames)
    schema = {ROW: pl.UInt32(), **{k: pl.String() for k in keys}}
    schema.update({name: _dtype(name) for name in sorted(TARGET_FIELDS[kind])})
    return pl.DataFrame(schema=schema)
