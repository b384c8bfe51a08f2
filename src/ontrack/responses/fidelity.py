"""Fidelity figures (All Rise Standard IV: incentives should outnumber sanctions, the
standards aim at 4:1 or better; responses should be swift). The spread of test days over
the week (Standard VII) is ``drugtests/spread.py``: drugtests and responses sit side by
side and share nothing. Columnar, in Polars, over frames the selectors build.

``responses`` frame: group, kind, event_on, response_on (NULL: awaiting a decision).
"""

from __future__ import annotations

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
