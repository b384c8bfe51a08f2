"""Small text helpers shared by several apps."""

from __future__ import annotations

import unicodedata

# Characters that make a spreadsheet evaluate a cell as a formula (OWASP "CSV injection").
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    if value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def fold(value: str) -> str:
    """Case- and accent-insensitive search key: ``'Núñez '`` → ``'nunez'``."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()
