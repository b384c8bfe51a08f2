"""The case-facts format, the engine's input: one row per case, blank = unknown.

Read from CSV, JSON lines or Parquet through the same hostile-safe reader as imports, or
derived from OnTrack's own records (``selectors.case_facts``). ``prepare`` adds the derived
columns every operator reads, with the offense catalog as the one source of categories.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ontrack.imports.problems import ImportRejected, Problem
from ontrack.imports.reading import read_table
from ontrack.imports.validate import ROW, collect_problems
from ontrack.offenses.catalog import read_catalog
from ontrack.offenses.codes import StatuteCodeError, normalise, parents
from ontrack.offenses.models import OffenseCategory

FACT_TYPES: dict[str, str] = {
    "case_id": "text",
    "referral_date": "date",
    "date_of_birth": "date",
    "birth_date_earliest": "date",  # extension: when only an age is known
    "birth_date_latest": "date",
    "offense_date": "date",
    "charge_codes": "codes",
    "charge_level": "text",
    "prior_felony_convictions": "integer",
    "prior_violent_or_serious": "boolean",
    "prior_sex_registrable": "boolean",
    "weapon_involved": "boolean",
    "gang_enhancement": "boolean",
    "near_school": "boolean",
    "work_authorization": "text",
    "charge_categories": "categories",
    "prior_count": "integer",  # extension: total earlier offenses when only counts are known
}
ALLOWED = {
    "charge_level": ("felony", "misdemeanor"),
    "work_authorization": ("verified", "not_authorized"),
}
REQUIRED = ("case_id", "referral_date")


@dataclass(frozen=True)
class FactHelp:
    meaning: str
    supplied_by: str


# What each fact means and who can supply it: shown beside "needs information".
FACT_HELP: dict[str, FactHelp] = {
    "date_of_birth": FactHelp("Date of birth", "Case manager, from ID or booking record"),
    "offense_date": FactHelp(
        "Date of the current offense", "Prosecutor, from the complaint or police report"
    ),
    "charge_codes": FactHelp(
        "Statute codes of the current charges", "Prosecutor, from the charging document"
    ),
    "charge_level": FactHelp(
        "Felony or misdemeanor (highest current charge)", "Prosecutor, from the charging document"
    ),
    "charge_categories": FactHelp(
        "Offense categories of charges the catalog does not know",
        "Prosecutor or analyst, classifying the charge",
    ),
    "prior_felony_convictions": FactHelp(
        "Number of prior felony convictions", "Case manager, from the CA DOJ rap sheet"
    ),
    "prior_violent_or_serious": FactHelp(
        "Any prior conviction on PC 667.5(c) or 1192.7(c)",
        "Case manager, from the CA DOJ rap sheet",
    ),
    "prior_sex_registrable": FactHelp(
        "Any prior requiring registration under PC 290(c)",
        "Case manager, from the rap sheet or registry",
    ),
    "weapon_involved": FactHelp(
        "Current offense armed or with a weapon enhancement",
        "Prosecutor, from the police report and charges",
    ),
    "gang_enhancement": FactHelp("PC 186.22 alleged", "Prosecutor, from the charging document"),
    "near_school": FactHelp("HS 11353.6 alleged", "Prosecutor, from the charging document"),
    "work_authorization": FactHelp(
        "Legal authorization to work in the United States",
        "Case manager, verified from I-9 documents",
    ),
    "prior_count": FactHelp(
        "Number of earlier offenses", "Case manager, from the criminal history"
    ),
}
EMPTY_CODES = pl.List(pl.String)


@functools.cache
def catalog_categories() -> dict[str, tuple[str, ...]]:
    """Catalog code → categories, subdivisions included where the entry covers them."""
    return {s.code: tuple(c.category for c in s.categories) for s in read_catalog().statutes}


@functools.cache
def _covering() -> frozenset[str]:
    return frozenset(s.code for s in read_catalog().statutes if s.includes_subdivisions)


def categories_of(code: str) -> tuple[str, ...] | None:
    known = catalog_categories()
    if code in known:
        return known[code]
    for parent in parents(code):
        if parent in known and parent in _covering():
            return known[parent]
    return None


def read_facts(path: Path) -> pl.DataFrame:
    """Typed facts, or ``ImportRejected`` naming every bad row and column (nothing partial)."""
    raw = read_table(path)
    problems = [
        Problem(None, c, "", "required column is missing") for c in REQUIRED if c not in raw.columns
    ]
    if problems:
        raise ImportRejected(path.name, problems)
    return parse_facts(raw, path.name)


def parse_facts(raw: pl.DataFrame, name: str = "facts") -> pl.DataFrame:
    frame = raw.with_row_index(ROW, offset=1)
    checks: list[tuple[str, pl.Expr, str]] = []
    typed: list[pl.Expr] = []
    for column, kind in FACT_TYPES.items():
        if column not in frame.columns:
            typed.append(pl.lit(None, dtype=_dtype(kind)).alias(column))
            continue
        text = pl.col(column).cast(pl.String).str.strip_chars()
        text = pl.when(text == "").then(None).otherwise(text)
        if kind == "date":
            parsed = text.str.to_date("%Y-%m-%d", strict=False)
            checks.append(
                (column, text.is_not_null() & parsed.is_null(), "not a valid date (YYYY-MM-DD)")
            )
        elif kind == "integer":
            parsed = text.str.to_integer(strict=False)
            checks.append(
                (
                    column,
                    text.is_not_null() & (parsed.is_null() | (parsed < 0)),
                    "not a whole number >= 0",
                )
            )
        elif kind == "boolean":
            lowered = text.str.to_lowercase()
            parsed = (
                pl.when(lowered == "true")
                .then(True)
                .when(lowered == "false")
                .then(False)
                .otherwise(None)
            )
            checks.append((column, text.is_not_null() & parsed.is_null(), "not true or false"))
        else:
            parsed = text
            if column in ALLOWED:
                checks.append(
                    (
                        column,
                        text.is_not_null() & ~text.is_in(list(ALLOWED[column])),
                        f"not one of {', '.join(ALLOWED[column])}",
                    )
                )
        if column in REQUIRED:
            checks.append((column, text.is_null(), "required, but blank"))
        typed.append(parsed.alias(column))
    checks.append(
        (
            "case_id",
            pl.col("case_id").is_not_null() & pl.col("case_id").is_duplicated(),
            "appears on more than one row",
        )
    )
    extras = [i for i, c in enumerate(frame.columns) if c not in FACT_TYPES and c != ROW]
    out = frame.select(pl.col(ROW), *typed, *[pl.nth(i).cast(pl.String) for i in extras])
    problems = collect_problems(frame, checks)
    problems += _code_problems(out)
    if problems:
        raise ImportRejected(name, problems)
    return out


def _dtype(kind: str) -> pl.DataType:
    return {"date": pl.Date(), "integer": pl.Int64(), "boolean": pl.Boolean()}.get(
        kind, pl.String()
    )


def _split(column: str) -> pl.Expr:
    parts = (
        pl.col(column)
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    return pl.when(parts.list.len() > 0).then(parts).otherwise(None)


_OTHER_CODE = re.compile(r"^([A-Za-z&]{1,8})\.?\s*(\d[\w.()]*)$")


@functools.cache
def _normalised(code: str) -> str | None:
    """California codes in their one spelling; another code book's code ("NV 453.336",
    "FS 893.13") kept as written, upper-cased — valid input the catalog simply does not
    know; anything else is not a code."""
    try:
        return normalise(code)
    except StatuteCodeError:
        match = _OTHER_CODE.match(code.strip())
        return f"{match[1].upper()} {match[2]}" if match else None


def _code_problems(frame: pl.DataFrame) -> list[Problem]:
    problems: list[Problem] = []
    codes = frame.select(ROW, _split("charge_codes").alias("c")).explode("c").drop_nulls("c")
    bad = [c for c in codes["c"].unique().to_list() if _normalised(c) is None]
    for row, code in codes.filter(pl.col("c").is_in(bad)).iter_rows():
        problems.append(Problem(row, "charge_codes", code, "not a statute code (e.g. HS 11351)"))
    cats = frame.select(ROW, _split("charge_categories").alias("c")).explode("c").drop_nulls("c")
    for row, cat in cats.filter(~pl.col("c").is_in(list(OffenseCategory.values))).iter_rows():
        problems.append(Problem(row, "charge_categories", cat, "not an offense category"))
    return problems


_CHARGE_KEYS = ["charge_codes", "charge_categories"]
_CHARGE_COLUMNS = ["_codes", "_categories", "_codes_known"]


def prepare(facts: pl.DataFrame) -> pl.DataFrame:
    """Add ``_codes``, ``_categories``, ``_codes_known``, ``_age_low``, ``_age_high``.

    The charge columns are worked out once per distinct (charge_codes, charge_categories)
    pair and joined back: a million cases hold about ten thousand distinct pairs.
    """
    if facts.height < 2:
        return _prepare_rows(facts)
    dates = ["date_of_birth", "birth_date_earliest", "birth_date_latest", "offense_date"]
    keys = (
        facts.select(_CHARGE_KEYS)
        .unique()
        .with_row_index(ROW)
        .with_columns(pl.lit(None, pl.Date).alias(c) for c in dates)
    )
    derived = _prepare_rows(keys).select(*_CHARGE_KEYS, *_CHARGE_COLUMNS)
    low, high = _age_bounds()
    return facts.join(
        derived, on=_CHARGE_KEYS, how="left", nulls_equal=True, maintain_order="left"
    ).with_columns(low.alias("_age_low"), high.alias("_age_high"))


def _prepare_rows(facts: pl.DataFrame) -> pl.DataFrame:
    """Every derived column, row by row (the definition ``prepare`` applies per pair)."""
    raw_codes = (
        facts.select(_split("charge_codes").alias("c"))["c"]
        .explode()
        .drop_nulls()
        .unique()
        .to_list()
    )
    norm = {c: _normalised(c) for c in raw_codes}
    cat_map = {n: categories_of(n) for n in norm.values() if n is not None}
    known_codes = [c for c, cats in cat_map.items() if cats is not None]
    categories_table = pl.DataFrame(
        {"code": known_codes, "cats": [list(cat_map[c] or ()) for c in known_codes]},
        schema={"code": pl.String, "cats": pl.List(pl.String)},
    )
    codes = _split("charge_codes").list.eval(
        pl.element().replace_strict(norm, default=None, return_dtype=pl.String)
    )
    out = facts.with_columns(
        codes.alias("_codes"), _split("charge_categories").alias("_given_cats")
    )
    if out.is_empty():
        return out.with_columns(
            pl.lit(None, EMPTY_CODES).alias("_categories"),
            pl.lit(None, pl.Boolean).alias("_codes_known"),
            pl.lit(None, pl.Int64).alias("_age_low"),
            pl.lit(None, pl.Int64).alias("_age_high"),
        ).drop("_given_cats")
    exploded = (
        out.select(ROW, "_codes")
        .explode("_codes")
        .join(categories_table, left_on="_codes", right_on="code", how="left")
        .group_by(ROW)
        .agg(
            pl.col("cats")
            .list.explode(keep_nulls=False, empty_as_null=False)
            .drop_nulls()
            .unique()
            .sort()
            .alias("_catalog_cats"),
            (pl.col("cats").is_not_null() | pl.col("_codes").is_null()).all().alias("_all_known"),
        )
    )
    out = out.join(exploded, on=ROW, how="left")
    given = pl.col("_given_cats")
    out = out.with_columns(
        pl.when(given.is_not_null()).then(given)
        .when(pl.col("_codes").is_not_null()).then(pl.col("_catalog_cats"))
        .otherwise(None).alias("_categories"),
        pl.when(given.is_not_null()).then(True)
        .when(pl.col("_codes").is_not_null()).then(pl.col("_all_known"))
        .otherwise(None).alias("_codes_known"),
        _age_bounds()[0].alias("_age_low"),
        _age_bounds()[1].alias("_age_high"),
    ).drop("_given_cats", "_catalog_cats", "_all_known")  # fmt: skip
    return out


def completed_years(born: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Completed years; a 29 February birthday falls on 1 March in other years, which the
    (month, day) comparison gives: on 28 Feb of a common year (2,28) < (2,29)."""

    # Month and day are Int8 in Polars: widen before arithmetic (7 * 100 overflows Int8).
    def month_day(d: pl.Expr) -> pl.Expr:
        return d.dt.month().cast(pl.Int32) * 100 + d.dt.day().cast(pl.Int32)

    before_birthday = month_day(on) < month_day(born)
    return (
        on.dt.year().cast(pl.Int64) - born.dt.year().cast(pl.Int64) - before_birthday.cast(pl.Int64)
    )


def _age_bounds() -> tuple[pl.Expr, pl.Expr]:
    """Youngest and oldest possible age on the offense date: equal when the date of birth
    is known; from the birth-date range otherwise (an age bound, never a midpoint guess)."""
    on = pl.col("offense_date")
    exact = completed_years(pl.col("date_of_birth"), on)
    youngest = completed_years(pl.col("birth_date_latest"), on)
    oldest = completed_years(pl.col("birth_date_earliest"), on)
    both = pl.col("birth_date_earliest").is_not_null() & pl.col("birth_date_latest").is_not_null()
    low = pl.coalesce(exact, pl.when(both).then(youngest))
    high = pl.coalesce(exact, pl.when(both).then(oldest))
    return low, high
