"""Small text helpers shared by several apps."""

from __future__ import annotations

import unicodedata

import polars as pl

# Characters that make a spreadsheet evaluate a cell as a formula (OWASP "CSV injection").
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    if value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text cell of a frame about to be written as CSV, neutralised (vectorised)."""
    pattern = "^[" + "".join("\\" + c if c in "-\\" else c for c in _FORMULA_PREFIXES) + "]"
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(n).str.contains(pattern)).then("'" + pl.col(n)).otherwise(pl.col(n)).alias(n)
        for n in text
    )


def fold(value: str) -> str:
    """Case- and accent-insensitive search key: ``'Núñez '`` → ``'nunez'``."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def reason_problem(reason: str, *, what: str, limit: int, missing: str) -> str | None:
    """Why ``reason`` (already stripped) is refused, or None: required, and at most ``limit``
    characters (a reason is recorded in the audit trail; issue 8 found one of 3 MB)."""
    if not reason:
        return missing
    if len(reason) > limit:
        return f"{what} is at most {limit} characters (this one has {len(reason)})"
    return None
