"""Fidelity figures (All Rise Standard IV: incentives should outnumber sanctions, the
standards aim at 4:1 or better; responses should be swift; Standard VII: test days spread
over the whole week). Columnar, in Polars, over frames the selectors build.

``responses`` frame: group, kind, event_on, response_on (NULL: awaiting a decision).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

TARGET_RATIO = 4.0  # All Rise Standard IV


def by_group(responses: pl.DataFrame) -> pl.DataFrame:
    """Per group (participant, case manager or program): incentives, sanctions, their ratio
    (NULL when there are no sanctions: undefined, not "infinitely good"), mean and median
    days from event to response, events awaiting a response."""
    days = (pl.col("response_on") - pl.col("event_on")).dt.total_days()
    return (
        responses.group_by("group")
        .agg(
            incentives=(pl.col("kind") == "incentive").sum(),
            sanctions=(pl.col("kind") == "sanction").sum(),
            mean_days=days.mean(),
            median_days=days.median(),
            awaiting=pl.col("response_on").is_null().sum(),
        )
        .with_columns(
            ratio=pl.when(pl.col("sanctions") > 0)
            .then(pl.col("incentives") / pl.col("sanctions"))
            .otherwise(None)
        )
        .sort("group")
    )


def ratio_in_words(incentives: int, sanctions: int) -> str:
    if sanctions == 0:
        return f"{incentives} incentives, no sanctions: the ratio is undefined"
    ratio = incentives / sanctions
    verdict = "meets" if ratio >= TARGET_RATIO else "is below"
    return f"{ratio:.1f}:1, which {verdict} the 4:1 the standards aim at"


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
