"""Drawing test days: pure, so the statistics can be tested on many draws.

All Rise Standard VII: testing is random and unpredictable, weekends and holidays included.
Each ISO week in the range gets ``per_week`` distinct days chosen uniformly from the days of
that week inside the range (so, over whole weeks, every day of the week is equally likely);
a part-week at either end gets the same count, capped at the days it has.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets


def rng_for(seed: int | None) -> random.Random:
    """The operating system's randomness in production; a seed only for tests and synth."""
    return secrets.SystemRandom() if seed is None else random.Random(seed)  # noqa: S311 (tests and synth only)


def iso_weeks(start: dt.date, end: dt.date) -> list[list[dt.date]]:
    """The days from ``start`` to ``end`` (inclusive), grouped by ISO week."""
    weeks: dict[tuple[int, int], list[dt.date]] = {}
    day = start
    while day <= end:
        iso = day.isocalendar()
        weeks.setdefault((iso.year, iso.week), []).append(day)
        day += dt.timedelta(days=1)
    return list(weeks.values())


def draw_days(start: dt.date, end: dt.date, per_week: int, rng: random.Random) -> list[dt.date]:
    drawn: list[dt.date] = []
    for week in iso_weeks(start, end):
        drawn.extend(sorted(rng.sample(week, min(per_week, len(week)))))
    return drawn
