"""Statute codes in one spelling: ``HS 11351``, ``PC 245(a)(1)``, ``PC 664/187(a)``.

Court and booking systems write the same section many ways (``H&S 11351``, ``HS11351``,
``Pen. Code § 245 (A)(1)``, ``245(a)(1) PC``, ``PC 245.A.1``, ``PC245A1``). Matching against
the catalog, counting and screening all need one form, so every code entering OnTrack goes
through ``parse`` (or ``normalise``, its text).

Forms read (all case-insensitive):

- a code book before or after the section: ``PC 245(a)(1)``, ``245(a)(1) PC``, ``P.C. 245``;
  any book of letters is well formed (``FS 893.13``, ``NV 453.336``): a book no table knows
  is *unknown* to the catalog, never an input error. Federal codes keep their title:
  ``US 18 1361`` (also written ``18 U.S.C. § 1361``).
- attempts, PC 664: ``PC 664/187(a)``, ``664/187 PC``, ``PC 664-187(a)``, and a target in
  another book ``PC 664/HS 11352``; conspiracies, PC 182: ``PC 182(a)(1)/211``.
- any other ``A/B`` is section A as specified by B (``PC 459/460(a)``: burglary of the first
  degree; ``PC 484(a)/488``: petty theft), as the DOJ table itself writes them.

A letter written directly against the section number is part of the section, as California
numbers them (``PC 266h``, ``PC 273a``, former ``PC 288a``): ``PC 266h(b)`` is subdivision
(b) of section 266h, while ``PC 266(h)`` would be subdivision (h) of section 266. In the
compact form where a digit follows the letter (``PC245A1``) the letter is a subdivision
unless the DOJ table knows a lettered section of that number (``PC 499c``).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

BUILT_TABLE = Path(__file__).resolve().parent / "data" / "doj-offense-codes.csv"

# Long or dotted spellings of code books → the abbreviation the DOJ table uses.
_BOOKS: dict[str, str] = {
    "H&S": "HS",
    "HSC": "HS",
    "H&SC": "HS",
    "HLTH&SAF": "HS",
    "HEALTH&SAFETY": "HS",
    "HEALTHANDSAFETY": "HS",
    "PEN": "PC",
    "PENAL": "PC",
    "VEH": "VC",
    "VEHICLE": "VC",
    "B&P": "BP",
    "BUS&PROF": "BP",
    "W&I": "WI",
    "WIC": "WI",
    "WELF&INST": "WI",
    "F&G": "FG",
    "USC": "US",
}
# A book not in the map is taken as written when it is this short: a real abbreviation
# ("FS", "NV", "CCR"), not words ("arrest", "poss").
_MAX_UNKNOWN_BOOK = 4

_SECTION = re.compile(r"(\d+(?:\.\d+)?)(½)?([A-Z]{1,2})?(?![A-Z])(\.\d+)?")
_LEADING_BOOK = re.compile(r"^([A-Z&.\s]+?)\s*(?:CODE)?\s*(?:§+|SECTION|SEC\.?)?\s*(?=\d)")
_TRAILING_BOOK = re.compile(r"^(\d.*?)(?:\s+|(?<=\)))([A-Z&.]+(?:\s*CODE)?)\s*$")
_FEDERAL = re.compile(r"^(\d+)\s*U\.?\s*S\.?\s*C\.?\s*(?:§+|SECTION|SEC\.?)?\s*(?=\d)")
_US_TITLE = re.compile(r"^(\d{1,2})\s+(?=\d{3})")
_HALF = re.compile(r"(\d)\s?1/2(?=$|[\s(])")
_DASH_TARGET = re.compile(r"^((?:664|182)\s*(?:\([^)]*\))*)\s*-\s*(?=\d{2})")

# Codes cited by title and section: federal (18 U.S.C. 1361 → "US 18 1361") and California
# regulations (DOJ book "CA": title 14 section 4302 → "CA 14 4302").
_TITLED_BOOKS = frozenset({"US", "CA"})
_MODIFIERS = {"664": "attempt", "182": "conspiracy"}


class StatuteCodeError(ValueError):
    """The text is not a recognisable statute code."""


# CONTRACT (issue 7): the parsed form every caller uses. ``text`` is the one spelling:
# "PC 245(a)(1)", attempts "PC 664/187(a)", conspiracies "PC 182(a)(1)/211"; a target in
# another code book keeps its book: "PC 664/HS 11352(a)", "PC 182(a)(1)/HS 11352".
# Added on the catalog branch: ``qualifier``, the section that specifies the degree or kind
# ("PC 460(a)" in "PC 459/460(a)"); None for nearly every code.
@dataclass(frozen=True)
class StatuteCode:
    book: str  # "PC", "HS", ... (any code book, known to a table or not)
    section: str  # "187", "266h", "11351.5", "18 1361" (US: title and section)
    subdivisions: tuple[str, ...]  # ("a", "1")
    modifier: str | None = None  # "attempt" (PC 664) or "conspiracy" (PC 182)
    modifier_code: str | None = None  # "PC 664", "PC 182(a)(1)"
    qualifier: str | None = None  # "PC 460(a)": the degree or kind of the base offense

    @functools.cached_property
    def base(self) -> str:
        """The target offense, without modifier: "PC 187(a)"."""
        return f"{self.book} {self.section}" + "".join(f"({s})" for s in self.subdivisions)

    @property
    def section_code(self) -> str:
        """The section alone: "PC 187"."""
        return f"{self.book} {self.section}"

    @property
    def text(self) -> str:
        base = self.base
        if self.qualifier is not None:
            base = f"{base}/{_short(self.qualifier, self.book)}"
        if self.modifier_code is None:
            return base
        return f"{self.modifier_code}/{_short(base, 'PC')}"

    def broader(self) -> list[str]:
        """Broader codes of the target, nearest first: PC 245(a)(1) → [PC 245(a), PC 245].

        For every set-based rule a subdivision counts as its section: a code is in a set of
        codes when ``base`` or any of ``broader()`` is (``in_code_set`` does exactly that).
        """
        return parents(self.base)

    def in_code_set(self, codes: frozenset[str] | set[str]) -> bool:
        """The target or a broader code of it is in ``codes`` (normalised base codes)."""
        return self.base in codes or any(p in codes for p in self.broader())


def _short(code: str, book: str) -> str:
    return code.removeprefix(f"{book} ") if code.startswith(f"{book} ") else code


@functools.cache
def _lettered_sections() -> frozenset[str]:
    """Sections the DOJ table numbers with a letter ("PC 499c"), from the shipped build."""
    if not BUILT_TABLE.is_file():
        return frozenset()
    with BUILT_TABLE.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        header = next(rows, [])
        book, section = header.index("book"), header.index("section")  # no dict per row
        return frozenset(
            f"{r[book]} {r[section]}" for r in rows if r[section] and r[section][-1:].isalpha()
        )


def parse(raw: str, *, lettered: frozenset[str] | None = None) -> StatuteCode:
    """The parsed code, or ``StatuteCodeError`` when the text cannot be a statute code.

    ``lettered``: the lettered sections that decide the compact form ``PC499C1``; by default
    those of the shipped DOJ build (the build itself passes an empty set, so that its output
    depends on its input only).
    """
    known = _lettered_sections() if lettered is None else lettered
    if not isinstance(raw, str):
        raise StatuteCodeError(f"not a statute code: {raw!r}")
    text = " ".join(raw.upper().replace("§", " § ").split())
    text = _HALF.sub(r"\1½", text)
    book, body = _split_book(text, raw)
    pieces = body.split("/")
    if len(pieces) == 1 and book == "PC" and (dash := _DASH_TARGET.match(body)):
        pieces = [dash[1], body[dash.end() :]]
    if len(pieces) > 3:
        raise StatuteCodeError(f"not a statute code (too many '/'): {raw!r}")
    first = _piece(book, pieces[0], raw, known)
    if len(pieces) == 1:
        return first
    rest = [_piece(*_split_book(p.strip(), raw, default=book), raw, known) for p in pieces[1:]]
    modifier = _MODIFIERS.get(first.section) if first.book == "PC" else None
    if modifier is None:
        if len(rest) > 1:
            raise StatuteCodeError(f"not a statute code (too many '/'): {raw!r}")
        return StatuteCode(first.book, first.section, first.subdivisions, qualifier=rest[0].base)
    target = rest[0]
    qualifier = rest[1].base if len(rest) > 1 else None
    return StatuteCode(
        target.book, target.section, target.subdivisions, modifier, first.base, qualifier
    )


def normalise(raw: str) -> str:
    """Canonical spelling of a statute code, or ``StatuteCodeError``.

    >>> normalise("h&s 11351")
    'HS 11351'
    >>> normalise("Pen. Code § 245 (A)(1)")
    'PC 245(a)(1)'
    >>> normalise("664/187 pc")
    'PC 664/187'
    """
    return parse(raw).text


def _split_book(text: str, raw: str, default: str | None = None) -> tuple[str, str]:
    """(book, the rest) of one piece; the book may come first, last, or be ``default``."""
    federal = _FEDERAL.match(text)
    if federal:
        return "US", f"{federal[1]} {text[federal.end() :]}"
    leading = _LEADING_BOOK.match(text)
    if leading and leading[1].strip():
        return _book(leading[1], raw), text[leading.end() :]
    trailing = _TRAILING_BOOK.match(text)
    if trailing:
        return _book(trailing[2], raw), trailing[1].strip()
    if default is not None and text[:1].isdigit():
        return default, text
    raise StatuteCodeError(f"not a statute code (no code book): {raw!r}")


def _book(written: str, raw: str) -> str:
    key = re.sub(r"[\s.]", "", written)
    key = key.removesuffix("CODE") or key
    if key in _BOOKS:
        return _BOOKS[key]
    if key.isalpha() and len(key) <= _MAX_UNKNOWN_BOOK:
        return key
    raise StatuteCodeError(f"unknown code book {written.strip()!r} in {raw!r}")


def _piece(book: str, body: str, raw: str, lettered: frozenset[str]) -> StatuteCode:
    """Section and subdivisions of one piece (``245(A)(1)``, ``245.A.1``, ``245A1``)."""
    body = body.strip()
    title = ""
    if book in _TITLED_BOOKS and (us := _US_TITLE.match(body)):
        title, body = f"{us[1]} ", body[us.end() :]
    match = _SECTION.match(body)
    if match is None:
        raise StatuteCodeError(f"not a statute code (no section number): {raw!r}")
    number, half, letter, tail = match[1], match[2] or "", match[3], match[4] or ""
    rest = body[match.end() :]
    # Compact "245A1": the letter is a subdivision, unless the table numbers a section 499c.
    compact = letter and len(letter) == 1 and not tail and rest[:1].isdigit()
    if compact and f"{book} {number}{(letter or '').lower()}" not in lettered:
        rest, letter = (letter or "") + rest, None
    section = f"{title}{number}{half}{(letter or '').lower()}{tail}"
    return StatuteCode(book, section, _subdivisions(rest, raw))


def _subdivisions(rest: str, raw: str) -> tuple[str, ...]:
    found: list[str] = []
    position = 0
    while position < len(rest):
        char = rest[position]
        if char in " .-":
            position += 1
            continue
        if char == "(":
            end = rest.find(")", position)
            token = rest[position + 1 : end].strip() if end > 0 else ""
            if not re.fullmatch(r"[A-Z]{1,4}|\d{1,3}", token):
                raise StatuteCodeError(f"cannot read subdivision {rest[position:]!r} in {raw!r}")
            found.append(token.lower())
            position = end + 1
            continue
        run = re.match(r"[A-Z0-9]+", rest[position:])
        if run is None:
            raise StatuteCodeError(f"cannot read subdivision {rest[position:]!r} in {raw!r}")
        # Without parentheses only single letters and short numbers, alternating ("A1",
        # "B1A"), so that words ("and more") are refused rather than read as subdivisions.
        parts = re.findall(r"[A-Z]+|\d+", run[0])
        if any((p.isalpha() and len(p) > 1) or (p.isdigit() and len(p) > 2) for p in parts):
            raise StatuteCodeError(f"cannot read subdivision {run[0]!r} in {raw!r}")
        found.extend(p.lower() for p in parts)
        position += run.end()
    return tuple(found)


def parents(code: str) -> list[str]:
    """Broader codes, nearest first: ``PC 245(a)(1)`` → ``[PC 245(a), PC 245]``."""
    found: list[str] = []
    current = code
    while current.endswith(")"):
        current = current[: current.rindex("(")]
        found.append(current)
    return found
