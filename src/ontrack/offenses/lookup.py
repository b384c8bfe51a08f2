"""The one catalog API: "what is this code?" for pages, the engine, the classifier, imports.

CONTRACT (fixed for the parallel work on issue 7; the implementation behind it may change):

- ``catalog()`` returns the process-wide ``Catalog`` (built catalog shipped in the package,
  plus category overlays from the package and ``ONTRACK_SITE_DIR``), loaded once.
- ``Catalog.version`` is a short stable identifier of exactly what was loaded (hash of the
  built table and every overlay); screenings store it so a decision replays years later.
- ``Catalog.lookup(code, on=None)`` → ``CodeInfo`` for one code (text or ``StatuteCode``),
  never raising for a well-formed code the catalog does not know (``known`` is False and
  every derived value is None/unknown). Text that cannot be a statute code at all raises
  ``StatuteCodeError`` (callers turn that into an input error naming row, column, value).
- ``Catalog.lookup_frame(frame)`` is the columnar form: input columns ``code`` (String,
  normalised or raw) and optionally ``on`` (Date); output, row for row, ``known``
  (Boolean), ``level`` (String, null unless exactly one level is possible on ``on``),
  ``categories`` (List[String], the categories that certainly apply; null when unknown),
  ``possible_categories`` (List[String], categories that apply only under a degree or
  subdivision not given, e.g. serious for PC 459 without a degree). Each distinct
  (code, on) is looked up once.

Three-valued reading of a code's categories, as every caller must use it:
category C *applies* if C in ``definite``; *may apply* (unknown) if C in ``possible`` or the
code is not ``known``; *does not apply* otherwise.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import polars as pl

from ontrack.offenses.codes import StatuteCode, parse


@dataclass(frozen=True)
class CategoryFinding:
    """One category of one code, with the clause that puts it there."""

    category: str
    basis: str  # the cited paragraph: "PC 667.5(c)(12)", "PC 1192.7(c)(39)"
    # False when it applies only under a degree or subdivision the code does not give
    # (PC 459 burglary is serious only in the first degree, PC 460(a)).
    certain: bool = True
    note: str = ""  # why, in words, shown in explanations


@dataclass(frozen=True)
class CodeInfo:
    code: StatuteCode
    known: bool  # some catalog row knows the (target) section
    description: str | None  # "murder" for PC 187(a); None when unknown
    level: str | None  # felony/misdemeanor/infraction on the date, when exactly one is possible
    levels: frozenset[str]  # every level possible on the date (empty when unknown)
    categories: tuple[CategoryFinding, ...]

    @property
    def definite(self) -> frozenset[str]:
        return frozenset(c.category for c in self.categories if c.certain)

    @property
    def possible(self) -> frozenset[str]:
        """Categories that may apply but depend on something the code does not say."""
        return frozenset(c.category for c in self.categories if not c.certain) - self.definite

    @property
    def words(self) -> str:
        """The code in words for pages: "attempt — PC 187(a) murder"."""
        described = f"{self.code.base} {self.description}" if self.description else self.code.base
        return f"{self.code.modifier} — {described}" if self.code.modifier else described


class Catalog:
    """The loaded catalog. Build with ``catalog()``; immutable."""

    def __init__(self, version: str) -> None:
        self.version = version

    def lookup(self, code: str | StatuteCode, on: dt.date | None = None) -> CodeInfo:
        raise NotImplementedError

    def lookup_frame(self, frame: pl.DataFrame) -> pl.DataFrame:
        raise NotImplementedError


@functools.cache
def catalog() -> Catalog:
    raise NotImplementedError


__all__ = ["Catalog", "CategoryFinding", "CodeInfo", "StatuteCode", "catalog", "parse"]
