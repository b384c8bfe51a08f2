"""A query as terms: each word typed, as a name word, a birth date or a code (ADR 0044).

The query goes through the same key expressions as the records (``people.search_keys``), so
"José", "O'Brien" and "CRI-2025-000123" meet the keys of "Jose", "OBrien" and
"cri2025000123".

Birth dates are read in three forms: ISO ``1991-03-07``, US month/day/year ``3/7/1991`` and
compact ``19910307`` (year, month, day) or ``03071991`` (month, day, year). A compact form is
never ambiguous here: years are read only from 1900 to 2099, so the first four digits of a
month-day-year form would be a month of 19 or 20, which no date has. Two-digit years and
day/month/year are not read as dates (a word of digits is still looked up as a code).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from ontrack.people.search_keys import sounds_of, texts_of

ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
COMPACT = re.compile(r"^\d{8}$")
YEARS = range(1900, 2100)
SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Term:
    typed: str
    key: str  # ``text_key`` of what was typed
    kind: Literal["name", "date", "code"]
    sound: str | None = None  # Soundex of a name word
    date: dt.date | None = None
    # PostgreSQL: look for name keys a typo away (trigrams), because nothing is spelled or
    # sounds like this word (``finding.with_fallbacks``).
    near: bool = False


def _date(year: str, month: str, day: str) -> dt.date | None:
    if int(year) not in YEARS:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def read_date(text: str) -> dt.date | None:
    """A birth date typed in one of the three forms, or None."""
    if m := ISO.match(text):
        return _date(m[1], m[2], m[3])
    if m := US.match(text):
        return _date(m[3], m[1], m[2])
    if COMPACT.match(text):
        return _date(text[:4], text[4:6], text[6:]) or _date(text[4:], text[:2], text[2:4])
    return None


def terms_of(query: str) -> list[Term]:
    """The terms of a query, in the order typed, without repeats."""
    typed = [w for w in SEPARATORS.split(query.strip()) if w]
    keys = texts_of(typed)
    sounds = sounds_of(keys)
    terms: dict[str, Term] = {}
    for word, key, sound in zip(typed, keys, sounds, strict=True):
        if not key or key in terms:
            continue
        date = read_date(word)
        if date is not None:
            terms[key] = Term(word, key, "date", date=date)
        elif any(c.isdigit() for c in key):
            terms[key] = Term(word, key, "code")
        else:
            terms[key] = Term(word, key, "name", sound=sound)
    return list(terms.values())


def whole_code(query: str) -> str:
    """The whole query as one code ("CRI 2025 000123" → "cri2025000123")."""
    return texts_of([query])[0]
