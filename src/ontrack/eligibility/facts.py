"""The case-facts format, the engine's input: one row per case, blank = unknown.

Read from CSV, JSON lines or Parquet through the same hostile-safe reader as imports, or
derived from OnTrack's own records (``selectors.case_facts``).
``charge_pairs`` derives the charge columns every operator reads, with the offense catalog as
the one source of categories; ``age_bounds`` the age interval.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import polars as pl
import pyarrow as pa

from ontrack.ingest.problems import InputRejected as ImportRejected
from ontrack.ingest.problems import Problem
from ontrack.ingest.reading import read_table
from ontrack.ingest.validate import ROW, collect_problems
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


CHARGE_KEYS = ["charge_codes", "charge_categories"]
CHARGE_SCHEMA = pl.Schema(
    {
        "charge_codes": pl.String(),
        "charge_categories": pl.String(),
        "_codes": pl.List(pl.String),
        "_categories": pl.List(pl.String),
        "_codes_known": pl.Boolean(),
    }
)


def _parts(text: str | None) -> list[str] | None:
    """``;``-separated items, trimmed, blanks dropped; None when nothing is left."""
    if text is None:
        return None
    items = [p.strip() for p in text.split(";")]
    return [p for p in items if p] or None


@functools.lru_cache(maxsize=65_536)
def _derive_charges(
    codes_text: str | None, categories_text: str | None
) -> tuple[list[str | None] | None, list[str] | None, bool | None]:
    """``_codes``, ``_categories``, ``_codes_known`` for one (charge_codes, charge_categories).

    Categories given by a person win; else the catalog's for the codes (an empty list when
    no code is catalogued); else unknown. ``_codes_known``: the categories cover every charge.
    """
    raw = _parts(codes_text)
    codes = [_normalised(c) for c in raw] if raw is not None else None
    given = _parts(categories_text)
    if given is not None:
        return codes, given, True
    if codes is None:
        return None, None, None
    found = [categories_of(c) if c is not None else None for c in codes]
    categories = sorted({cat for cats in found if cats is not None for cat in cats})
    return codes, categories, all(cats is not None for cats in found)


def charge_pairs(facts: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct (charge_codes, charge_categories) with ``_codes``, ``_categories``
    and ``_codes_known``: a million cases hold about ten thousand distinct pairs, so charges
    are judged per pair and joined back to the rows."""
    keys = pl.DataFrame([facts.get_column(k) for k in CHARGE_KEYS])  # no query: cheap
    if keys.height > 1:
        keys = keys.unique()
    derived = [_derive_charges(c, g) for c, g in keys.iter_rows()]
    columns = [keys.get_column(k).to_arrow() for k in CHARGE_KEYS]
    columns += [
        pa.array(values, type=kind)
        for values, kind in zip(
            zip(*derived, strict=True) if derived else ([], [], []),
            (pa.list_(pa.string()), pa.list_(pa.string()), pa.bool_()),
            strict=True,
        )
    ]
    # Through Arrow: Polars builds list columns from Python objects 25 times slower.
    frame = pl.from_arrow(pa.Table.from_arrays(columns, names=list(CHARGE_SCHEMA)))
    assert isinstance(frame, pl.DataFrame)
    assert frame.schema == CHARGE_SCHEMA
    return frame


_AGE_DATES = ("date_of_birth", "birth_date_earliest", "birth_date_latest", "offense_date")


def _yyyymmdd(facts: pl.DataFrame) -> Callable[[str], pl.Expr]:
    """A date column as the number YYYYMMDD, looked up in a table of every day the facts'
    dates span (built with NumPy): extracting year, month and day per row costs three times
    as much, and the lookup is exact for any date."""
    present = [facts.get_column(d) for d in _AGE_DATES if d in facts.columns]
    lows = [c.min() for c in present if c.null_count() < c.len()]
    if not lows:
        return lambda column: pl.lit(None, pl.Int32)
    first = min(cast(dt.date, d) for d in lows)
    last = max(cast(dt.date, c.max()) for c in present if c.null_count() < c.len())
    days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
    months = days.astype("datetime64[M]")
    years = months.astype("datetime64[Y]").astype(np.int32) + 1970
    table = pl.Series(
        years * 10_000
        + (months.astype(np.int32) % 12 + 1) * 100
        + (days - months).astype(np.int32)
        + 1,
        dtype=pl.Int32,
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
