"""A listing of the catalog's categorised sections, in the shape older callers read.

Not a second catalog: every value comes from ``lookup.catalog()`` (the built DOJ rows plus
the category overlays) when it is called. It lists the sections the overlays name (except
the few whose level no DOJ row gives), each with one level in words (``wobbler`` when the
rows allow felony and misdemeanor, ``enhancement`` for an allegation) and its categories.

The listing has no third value, so it reads "possible" one way: a category that depends
on a fact the code does not give (the drug in HS 11353, PC 1192.7(c)(24)) is listed; one
that depends on a degree the code does not give (serious for PC 459, first degree only) is
not. Only synthetic data reads it (to draw charges with plausible categories); nothing that
judges a case does: the engine, pages, classifier and imports use ``lookup`` and its three
values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ontrack.offenses.catalog_data import CatalogError
from ontrack.offenses.codes import parents
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
        degree_bound = {
            f.basis
            for c in [code, *parents(code)]
            if c in loaded.data.sections
            for f in loaded.data.sections[c].findings
            if f.degree is not None
        }
        info = loaded.lookup(code, dt.date.today())
        if not info.levels:  # no row in force today: the levels the rows ever had
            info = loaded.lookup(code)
        level = level_in_words(info)
        if not level:  # no DOJ row gives a level (PC 314: DOJ files it as 314.1, 314.2)
            continue
        cats = tuple(
            dict.fromkeys(
                CategoryEntry(c.category, c.basis)
                for c in info.categories
                if c.certain or c.basis not in degree_bound
            )
        )
        entries.append(
            StatuteEntry(
                code=code,
                description=info.description or code,
                level=level,
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
