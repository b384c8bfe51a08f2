"""Levels of a code over time: the DOJ rows in force between consecutive dates, and the
levels of attempts (PC 664) and conspiracies (PC 182) from their target's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ontrack.offenses.catalog_data import Row


@dataclass(frozen=True)
class Segment:
    start: dt.date | None  # None: since always
    end: dt.date | None  # last day; None: still
    levels: frozenset[str]


def segments(rows: list[Row]) -> tuple[Segment, ...]:
    """The levels in force between consecutive row dates (both days of a row included)."""
    bounds = sorted(
        {r.enacted for r in rows}
        | {r.repealed + dt.timedelta(days=1) for r in rows if r.repealed is not None}
    )
    found: list[Segment] = []
    for index, start in enumerate(bounds):
        end = bounds[index + 1] - dt.timedelta(days=1) if index + 1 < len(bounds) else None
        levels = frozenset(
            r.level
            for r in rows
            if r.level and r.enacted <= start and (r.repealed is None or start <= r.repealed)
        )
        if found and found[-1].levels == levels:
            found[-1] = replace(found[-1], end=end)
        else:
            found.append(Segment(start, end, levels))
    return tuple(found)


def attempt_levels(levels: frozenset[str]) -> frozenset[str]:
    # PC 664(a), (c): an attempt is punished by the same kind of term as the crime attempted
    # (half of it), so an attempted felony is a felony, an attempted misdemeanor a misdemeanor.
    return levels


def conspiracy_levels(levels: frozenset[str]) -> frozenset[str]:
    # PC 182(a): conspiracy to commit a felony is punished as that felony; to commit any
    # other crime, by county jail up to a year or PC 1170(h) — a felony or a misdemeanor.
    if not levels:
        return levels
    if levels == {"felony"}:
        return levels
    return frozenset({"felony", "misdemeanor"})
