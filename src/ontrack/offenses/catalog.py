"""A listing of the catalog's categorised sections, in the shape older callers read.

Not a second catalog: every value comes from ``lookup.catalog()`` (the built DOJ rows plus
the category overlays) when it is called. It lists the sections the overlays name, each
with the categories that certainly apply ("other" when none does) and one level in words
(``wobbler`` when the rows allow felony and misdemeanor, ``enhancement`` for an allegation).
Synthetic data draws its charges from it; ``eligibility.facts`` and the engine benchmark
read it until they switch to ``lookup.catalog().lookup_frame`` (issue 7, facts part).
New code uses ``lookup`` directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ontrack.offenses.catalog_data import CatalogError
from ontrack.offenses.lookup import CodeInfo, catalog

__all__ = ["CatalogError", "CatalogFile", "CategoryEntry", "StatuteEntry", "read_catalog"]


@dataclass(frozen=True)
class CategoryEntry:
    category: str
    basis: str


@dataclass(frozen=True)
class StatuteEntry:
    code: str
    description: str
    level: str  # felony, wobbler, misdemeanor, infraction, enhancement; "" when unknown
    includes_subdivisions: bool
    categories: tuple[CategoryEntry, ...]


@dataclass(frozen=True)
class CatalogFile:
    jurisdiction: str
    sha256: str  # the catalog version (hash of every file loaded)
    statutes: tuple[StatuteEntry, ...]


def level_in_words(info: CodeInfo) -> str:
    if info.enhancement:
        return "enhancement"
    if {"felony", "misdemeanor"} <= info.levels:
        return "wobbler"
    if "misdemeanor" in info.levels:  # misdemeanor or infraction (PC 19.8): a misdemeanor here
        return "misdemeanor"
    return info.level or ""


def read_catalog() -> CatalogFile:
    loaded = catalog()
    entries: list[StatuteEntry] = []
    for code in sorted(loaded.data.sections):
        info = loaded.lookup(code, dt.date.today())
        if not info.levels:  # no row in force today: the levels the rows ever had
            info = loaded.lookup(code)
        cats = tuple(
            dict.fromkeys(CategoryEntry(c.category, c.basis) for c in info.categories if c.certain)
        )
        entries.append(
            StatuteEntry(
                code=code,
                description=info.description or code,
                level=level_in_words(info),
                includes_subdivisions=True,
                categories=cats or (CategoryEntry("other", "known to the catalog"),),
            )
        )
    return CatalogFile(jurisdiction="CA", sha256=loaded.version, statutes=tuple(entries))


def as_rows(listing: CatalogFile) -> list[dict[str, Any]]:
    """One dict per statute, for columnar use (synthetic data, bulk screening)."""
    return [
        {
            "code": s.code,
            "description": s.description,
            "level": s.level,
            "categories": [c.category for c in s.categories],
        }
        for s in listing.statutes
    ]
