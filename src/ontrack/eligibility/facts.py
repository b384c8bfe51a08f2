"""The case-facts format, the engine's input: one row per case, blank = unknown.

The columns are the facts of the vocabulary (``vocabulary.FACTS``); other columns are
carried through as text. Read from CSV, JSON lines or Parquet (typed Parquet columns are
used as they are, and still validated), or derived from OnTrack's own records
(``derive.facts_of_cases``). Every problem is refused at once, naming row, column and
value (``FactsRejected``): nothing is screened from a file with one bad row.
``age_bounds`` derives the age interval every age criterion reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import cast

import polars as pl

from ontrack.common.site import office_today
from ontrack.eligibility.charges import parse_code, split_expr
from ontrack.eligibility.errors import FactsRejected
from ontrack.eligibility.vocabulary import FACTS, REQUIRED, VOCABULARY, Fact
from ontrack.ingest.plausible import MAX_AGE, MIN_AGE, after
from ontrack.ingest.problems import InputRejected, Problem
from ontrack.ingest.reading import read_table
from ontrack.ingest.validate import ROW, collect_problems
from ontrack.offenses.categories import OffenseCategory


def read_facts(path: Path, *, today: dt.date | None = None) -> pl.DataFrame:
    """Typed facts, or ``FactsRejected`` naming every bad row and column (nothing partial)."""
    try:
        raw = _read_parquet(path) if path.suffix.lower() == ".parquet" else read_table(path)
    except InputRejected as exc:  # the file itself could not be read
        raise FactsRejected(exc.file_name, exc.problems) from exc
    problems = [
        Problem(None, c, "", "required column is missing") for c in REQUIRED if c not in raw.columns
    ]
    if ROW in raw.columns:  # the name OnTrack numbers rows under
        problems.append(Problem(None, ROW, "", "is a reserved column name; rename the column"))
    if problems:
        raise FactsRejected(path.name, problems)
    return parse_facts(raw, path.name, today=today)


def _read_parquet(path: Path) -> pl.DataFrame:
    """Parquet with its column types kept: a typed fact column is not re-parsed from text."""
    try:
        size = path.stat().st_size
        frame = pl.read_parquet(path) if size else None
    except OSError as exc:
        raise FactsRejected(path.name, [Problem(None, "", "", f"cannot be opened: {exc}")]) from exc
    except Exception as exc:  # corrupt footers and pages raise several pyarrow/polars types
        reason = f"cannot be read as Parquet: {str(exc).splitlines()[0]}"
        raise FactsRejected(path.name, [Problem(None, "", "", reason)]) from exc
    if frame is None:
        raise FactsRejected(path.name, [Problem(None, "", "", "is empty (0 bytes)")])
    return frame.rename({name: name.strip() for name in frame.columns})


def _text(column: str, dtype: pl.DataType) -> pl.Expr:
    """A column as text, blank = null. A text column is taken as written: the file readers
    trim every cell already (``read_table``), and typed Parquet is not re-parsed; a value
    with stray spaces is then refused where values are constrained."""
    if dtype == pl.String:
        return pl.when(pl.col(column) == "").then(None).otherwise(pl.col(column))
    text = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _typed(f: Fact, dtype: pl.DataType) -> tuple[pl.Expr, list[tuple[pl.Expr, str]]]:
    """The typed column and its checks (condition on the raw frame → reason)."""
    name = f.name
    if f.type == "date" and dtype == pl.Date:
        return pl.col(name), []
    if f.type == "integer" and dtype.is_integer():
        value = pl.col(name).cast(pl.Int64)
        return value, [(value < 0, "not a whole number >= 0")]
    if f.type == "boolean" and dtype == pl.Boolean:
        return pl.col(name), []
    text = _text(name, dtype)
    if f.type == "date":
        parsed = text.str.to_date("%Y-%m-%d", strict=False)
        return parsed, [(text.is_not_null() & parsed.is_null(), "not a valid date (YYYY-MM-DD)")]
    if f.type == "integer":
        parsed = text.str.to_integer(strict=False)
        bad = text.is_not_null() & (parsed.is_null() | (parsed < 0))
        return parsed, [(bad, "not a whole number >= 0")]
    if f.type == "boolean":
        lowered = text.str.to_lowercase()
        parsed = pl.when(lowered == "true").then(True).when(lowered == "false").then(False)
        return parsed, [(text.is_not_null() & parsed.is_null(), "not true or false")]
    checks = []
    if f.allowed:
        checks.append(
            (
                text.is_not_null() & ~text.is_in(list(f.allowed)),
                f"not one of {', '.join(f.allowed)}",
            )
        )
    return text, checks


def parse_facts(
    raw: pl.DataFrame, name: str = "facts", *, today: dt.date | None = None
) -> pl.DataFrame:
    """The typed facts frame (``ROW``, every fact of the vocabulary, extra columns as text),
    or ``FactsRejected``. Dates after ``today`` (default: the office's date), a referral
    before the offense and an age under 10 or over 110 on the offense date are refused."""
    frame = raw.with_row_index(ROW, offset=1)
    checks: list[tuple[str, pl.Expr, str]] = []
    typed: list[pl.Expr] = []
    for f in FACTS:
        if f.name not in frame.columns:
            typed.append(pl.lit(None, dtype=f.dtype).alias(f.name))
            continue
        parsed, own = _typed(f, frame.schema[f.name])
        checks += [(f.name, cond, reason) for cond, reason in own]
        if f.required:
            checks.append((f.name, parsed.is_null(), "required, but blank"))
        typed.append(parsed.alias(f.name))
    extras = [i for i, c in enumerate(frame.columns) if c not in VOCABULARY and c != ROW]
    out = frame.select(pl.col(ROW), *typed, *[pl.nth(i).cast(pl.String) for i in extras])
    # One query for every check of a clean file (Polars runs its parts in parallel): each
    # check's any(), whether some case id repeats, and the distinct code and category texts.
    probes = [cond.fill_null(False).any().alias(f"c{i}") for i, (_, cond, _) in enumerate(checks)]
    if "case_id" in frame.columns:
        probes.append(_repeats(pl.col("case_id")).alias("_dup"))
    for column, _, _ in _CODE_CHECKS:
        if column in frame.columns:
            probes.append(_text(column, frame.schema[column]).unique().implode().alias(column))
    found = frame.select(probes).row(0, named=True)
    failing = [c for i, c in enumerate(checks) if found[f"c{i}"]]
    if found.get("_dup") and _has_duplicates(frame.get_column("case_id")):
        failing.append(
            (
                "case_id",
                pl.col("case_id").is_not_null() & pl.col("case_id").is_duplicated(),
                "appears on more than one row",
            )
        )
    problems = collect_problems(frame, failing)
    if not problems:  # plausibility reads typed values: only once every value parsed
        problems = plausibility_problems(out, today or office_today())
    distinct = {c: found.get(c) or [] for c, _, _ in _CODE_CHECKS}
    problems += _code_problems(out, distinct)
    if problems:
        raise FactsRejected(name, problems)
    return out


def check_plausible(
    facts: pl.DataFrame, source: str, today: dt.date | None = None, *, name_cases: bool = False
) -> None:
    """``FactsRejected`` when a derived fact cannot be right (the same rules as a file).
    ``name_cases``: each problem also names its row's ``case_id`` (facts derived from the
    database, where a row number alone means nothing to the reader)."""
    problems = plausibility_problems(facts, today or office_today())
    if problems and name_cases:
        ids = dict(facts.select(ROW, "case_id").iter_rows())
        problems = [
            Problem(p.row, p.column, p.value, f"case id {ids.get(p.row)}: {p.reason}")
            for p in problems
        ]
    if problems:
        raise FactsRejected(source, problems)


def _repeats(ids: pl.Expr) -> pl.Expr:
    """Whether two ids may be equal, cheaper than marking duplicates on every row: 64-bit
    hashes first, distinct hashes mean distinct ids; a repeated hash (a real duplicate, or a
    collision) is then settled by ``_has_duplicates`` on the ids themselves."""
    present = ids.drop_nulls()
    return present.hash().n_unique() < present.len()


def _has_duplicates(ids: pl.Series) -> bool:
    present = ids.drop_nulls()
    return present.n_unique() < present.len()


def plausibility_problems(facts: pl.DataFrame, today: dt.date) -> list[Problem]:
    """Dates that cannot be right (issue 7, "plausible dates"), each naming row and column."""
    checks: list[tuple[str, pl.Expr, str]] = [
        (d, after(today, pl.col(d)), f"after today ({today})")
        for d in ("offense_date", "date_of_birth", "birth_date_earliest", "birth_date_latest")
    ]
    checks.append(
        (
            "referral_date",
            pl.col("referral_date") < pl.col("offense_date"),
            "before the offense date: a case is referred after its offense",
        )
    )
    problems = _problems(facts, checks)
    # The rule is ingest.plausible's (imports check the same); ages as the engine computes
    # them. With a date of birth the age is exact; with only a birth-date range, refused only when
    # every possible age is implausible (the oldest under 10, or the youngest over 110).
    # Exact ages cost ~50 ms per million rows, so only rows whose span in days could be
    # implausible are aged: n years hold at least 365·n and at most 366·n days.
    exact = pl.col("date_of_birth").is_not_null()
    ranged = ~exact & pl.col("birth_date_earliest").is_not_null()
    young, old = f"under {MIN_AGE} years old", f"over {MAX_AGE} years old"
    suspects = facts.filter(
        (
            (exact & (_days_lived("date_of_birth") < 366 * MIN_AGE))
            | (exact & (_days_lived("date_of_birth") >= 365 * (MAX_AGE + 1)))
            | (ranged & (_days_lived("birth_date_earliest") < 366 * MIN_AGE))
            | (ranged & (_days_lived("birth_date_latest") >= 365 * (MAX_AGE + 1)))
        ).fill_null(False)
    )
    if suspects.is_empty():
        return problems
    low, high = age_bounds(suspects)
    return problems + _problems(
        suspects,
        [
            ("date_of_birth", exact & (low < MIN_AGE), f"{young} on the offense date"),
            ("date_of_birth", exact & (low > MAX_AGE), f"{old} on the offense date"),
            ("birth_date_earliest", ranged & (high < MIN_AGE), f"{young} on the offense date"),
            ("birth_date_latest", ranged & (low > MAX_AGE), f"{old} on the offense date"),
        ],
    )


def _days_lived(born: str) -> pl.Expr:
    """Days from ``born`` to the offense date (dates are day numbers underneath)."""
    return pl.col("offense_date").to_physical() - pl.col(born).to_physical()


def _problems(frame: pl.DataFrame, checks: list[tuple[str, pl.Expr, str]]) -> list[Problem]:
    """``collect_problems`` for the checks that fail somewhere: one pass of ``any`` first,
    so that a clean million-row file is not filtered once per check."""
    failing = frame.select(
        cond.fill_null(False).any().alias(f"c{i}") for i, (_, cond, _) in enumerate(checks)
    ).row(0)
    return collect_problems(frame, [c for c, hit in zip(checks, failing, strict=True) if hit])


def _code_problems(frame: pl.DataFrame, distinct: dict[str, list[str]]) -> list[Problem]:
    """Text that cannot be a statute code at all is an input error; a well-formed code that
    no table knows is not (it is *unknown*: the catalog says so at screening). Each distinct
    text (``distinct``, per column) is read once; rows are looked up only for the bad ones."""
    problems: list[Problem] = []
    for column, bad_item, reason in _CODE_CHECKS:
        texts = pl.DataFrame({"t": distinct[column]}, schema={"t": pl.String}).drop_nulls()
        items = texts.select(split_expr("t").alias("c")).explode("c").drop_nulls("c")
        bad = [c for c in items.get_column("c").unique().to_list() if bad_item(c)]
        if not bad:
            continue
        rows = frame.select(ROW, split_expr(column).alias("c")).explode("c")
        for row, item in rows.filter(pl.col("c").is_in(bad)).iter_rows():
            problems.append(Problem(row, column, item, reason))
    return problems


_CATEGORIES = frozenset(OffenseCategory.values)


def _not_a_code(text: str) -> bool:
    return parse_code(text) is None


def _not_a_category(text: str) -> bool:
    return text not in _CATEGORIES


_CODE_CHECKS: tuple[tuple[str, Callable[[str], bool], str], ...] = (
    ("charge_codes", _not_a_code, "not a statute code (e.g. HS 11351)"),
    ("charge_categories", _not_a_category, "not an offense category"),
)


_AGE_DATES = ("date_of_birth", "birth_date_earliest", "birth_date_latest", "offense_date")


def _yyyymmdd(facts: pl.DataFrame) -> Callable[[str], pl.Expr]:
    """A date column as the number YYYYMMDD, looked up in a table of every day the facts'
    dates span (built once over the span, not per row): extracting year, month and day per
    row costs three times as much, and the lookup is exact for any date."""
    present = [d for d in _AGE_DATES if d in facts.columns]
    if not present:
        return lambda column: pl.lit(None, pl.Int32)
    # The span in one query (the columns' minima and maxima in parallel).
    ends = facts.select(pl.min_horizontal(pl.col(present).min()).alias("first"),
                        pl.max_horizontal(pl.col(present).max()).alias("last")).row(0)  # fmt: skip
    if ends[0] is None:  # no date at all
        return lambda column: pl.lit(None, pl.Int32)
    first, last = cast(dt.date, ends[0]), cast(dt.date, ends[1])
    days = pl.date_range(first, last, interval="1d", eager=True)
    table = (
        days.dt.year().cast(pl.Int32) * 10_000
        + days.dt.month().cast(pl.Int32) * 100
        + days.dt.day().cast(pl.Int32)
    )
    base = (first - dt.date(1970, 1, 1)).days
    lookup = pl.lit(table)
    return lambda column: lookup.gather(pl.col(column).cast(pl.Int32) - base)


def age_bounds(facts: pl.DataFrame) -> tuple[pl.Expr, pl.Expr]:
    """Youngest and oldest possible completed years on the offense date: equal when the date
    of birth is known; from the birth-date range otherwise (an age bound, never a midpoint
    guess). Null when unknown.

    Completed years are the difference of YYYYMMDD numbers divided by 10,000, rounded down:
    a 29 February birthday falls on 1 March in common years (2001-02-28 minus 2000-02-29 is
    9,999: not yet a year).
    """
    ymd = _yyyymmdd(facts)
    on = ymd("offense_date")

    def years(born: str) -> pl.Expr:
        return (on - ymd(born)) // 10_000

    both = pl.col("birth_date_earliest").is_not_null() & pl.col("birth_date_latest").is_not_null()
    exact = years("date_of_birth")
    low = pl.coalesce(exact, pl.when(both).then(years("birth_date_latest")))
    high = pl.coalesce(exact, pl.when(both).then(years("birth_date_earliest")))
    return low.cast(pl.Int64), high.cast(pl.Int64)
