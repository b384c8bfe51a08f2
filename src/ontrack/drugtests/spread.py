"""Test days per weekday and the chi-square test of uniformity (All Rise Standard VII: random
days over the whole week, weekends included; a program whose tests bunch on weekdays is
predictable). Pure: the program panel gives it the days its selector read."""

from __future__ import annotations

import datetime as dt
from typing import Any


def weekday_spread(days: list[dt.date]) -> dict[str, Any]:
    """Test days per ISO weekday (Monday first) and the chi-square test of uniformity."""
    from scipy.stats import chisquare

    counts = [0] * 7
    for day in days:
        counts[day.isoweekday() - 1] += 1
    if not days:
        return {"counts": counts, "statistic": None, "p_value": None}
    result = chisquare(counts)
    return {"counts": counts, "statistic": float(result.statistic),
            "p_value": float(result.pvalue)}  # fmt: skip
