"""Statute codes in one spelling: ``HS 11351``, ``PC 245(a)(1)``, ``VC 10851``.

Court and booking systems write the same section many ways (``H&S 11351``, ``HS11351``,
``Pen. Code § 245 (A)(1)``, ``PC 245.A.1``). Matching against the catalog, counting and
screening all need one form, so every code entering OnTrack goes through ``normalise``.

A letter written directly against the section number is part of the section, as California
numbers them (``PC 266h``, ``PC 273a``, former ``PC 288a``): ``PC 266h(b)`` is subdivision
(b) of section 266h, while ``PC 266(h)`` would be subdivision (h) of section 266.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Code-book prefixes as written in practice → canonical abbreviation.
_BOOKS: dict[str, str] = {
    "HS": "HS",
    "H&S": "HS",
    "HSC": "HS",
    "H&SC": "HS",
    "HLTH&SAF": "HS",
    "HEALTH&SAFETY": "HS",
    "HEALTHANDSAFETY": "HS",
    "HEALTH&SAFETYCODE": "HS",
    "HEALTHANDSAFETYCODE": "HS",
    "PC": "PC",
    "PEN": "PC",
    "PENAL": "PC",
    "PENALCODE": "PC",
    "PENCODE": "PC",
    "VC": "VC",
    "VEH": "VC",
    "VEHICLE": "VC",
    "VEHICLECODE": "VC",
    "VEHCODE": "VC",
    "BP": "BP",
    "B&P": "BP",
    "BUS&PROF": "BP",
    "WI": "WI",
    "W&I": "WI",
    "WIC": "WI",
    "WELF&INST": "WI",
    "FG": "FG",
    "F&G": "FG",
}

_CODE = re.compile(
    r"""^\s*
    (?P<book>[A-Za-z&.\s]+?)\s*(?:CODE)?\s*(?:§|SEC\.?|SECTION)?\s*
    (?P<section>\d+(?:\.\d+)?[A-Za-z]?(?![A-Za-z])(?:\.\d+)?)
    (?P<rest>.*)$""",
    re.VERBOSE | re.IGNORECASE,
)
# "(a)", "(iii)", "(12)"; without parentheses only a single letter or a short number, so
# that words ("and more") are refused rather than read as subdivisions.
_SUBDIVISION = re.compile(r"\(\s*([A-Za-z]{1,4}|\d{1,3})\s*\)|([A-Za-z]|\d{1,2})(?=[\s.\-(]|$)")


class StatuteCodeError(ValueError):
    """The text is not a recognisable statute code."""


# CONTRACT (issue 7): the parsed form every caller uses. ``text`` is the one spelling:
# "PC 245(a)(1)", attempts "PC 664/187(a)", conspiracies "PC 182(a)(1)/211"; a target in
# another code book keeps its book: "PC 664/HS 11352(a)", "PC 182(a)(1)/HS 11352".
@dataclass(frozen=True)
class StatuteCode:
    book: str  # "PC", "HS", ... (any code book, known to a table or not)
    section: str  # "187", "266h", "11351.5"
    subdivisions: tuple[str, ...]  # ("a", "1")
    modifier: str | None = None  # "attempt" (PC 664) or "conspiracy" (PC 182)
    modifier_code: str | None = None  # "PC 664", "PC 182(a)(1)"

    @property
    def base(self) -> str:
        """The target offense, without modifier: "PC 187(a)"."""
        return f"{self.book} {self.section}" + "".join(f"({s})" for s in self.subdivisions)

    @property
    def section_code(self) -> str:
        """The section alone: "PC 187"."""
        return f"{self.book} {self.section}"

    @property
    def text(self) -> str:
        if self.modifier_code is None:
            return self.base
        target = self.base.removeprefix("PC ") if self.book == "PC" else self.base
        return f"{self.modifier_code}/{target}"

    def broader(self) -> list[str]:
        """Broader codes of the target, nearest first: PC 245(a)(1) → [PC 245(a), PC 245]."""
        return parents(self.base)


def parse(raw: str) -> StatuteCode:
    """The parsed code, or ``StatuteCodeError`` when the text cannot be a statute code."""
    text = normalise(raw)
    book, _, rest = text.partition(" ")
    section = rest.split("(", 1)[0]
    subdivisions = tuple(part.rstrip(")") for part in rest[len(section) :].split("(")[1:])
    return StatuteCode(book, section, subdivisions)


def normalise(raw: str) -> str:
    """Canonical spelling of a statute code, or ``StatuteCodeError``.

    >>> normalise("h&s 11351")
    'HS 11351'
    >>> normalise("Pen. Code § 245 (A)(1)")
    'PC 245(a)(1)'
    """
    match = _CODE.match(raw.upper())
    if not match:
        raise StatuteCodeError(f"not a statute code: {raw!r}")
    book_key = re.sub(r"[\s.]", "", match["book"])
    book_key = book_key.removesuffix("CODE") if book_key not in _BOOKS else book_key
    book = _BOOKS.get(book_key)
    if book is None:
        raise StatuteCodeError(f"unknown code book {match['book'].strip()!r} in {raw!r}")
    rest = match["rest"].strip()
    subdivisions: list[str] = []
    position = 0
    while position < len(rest):
        if rest[position] in " .-":
            position += 1
            continue
        part = _SUBDIVISION.match(rest, position)
        if part is None or part.end() == position:
            raise StatuteCodeError(f"cannot read subdivision {rest[position:]!r} in {raw!r}")
        subdivisions.append((part[1] or part[2]).lower())
        position = part.end()
    section = match["section"].lower()
    return f"{book} {section}" + "".join(f"({s})" for s in subdivisions)


def parents(code: str) -> list[str]:
    """Broader codes, nearest first: ``PC 245(a)(1)`` → ``[PC 245(a), PC 245]``."""
    found: list[str] = []
    current = code
    while current.endswith(")"):
        current = current[: current.rindex("(")]
        found.append(current)
    return found
