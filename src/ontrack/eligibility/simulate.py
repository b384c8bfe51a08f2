"""Policy simulation: every case under two versions, counted as transitions.

Counts below ``SMALL_CELL`` are suppressed (shown blank) unless asked otherwise, so a
breakdown by race and sex cannot single out a handful of people.
"""

from __future__ import annotations

import polars as pl

from ontrack.eligibility.engine import ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION, screen
from ontrack.eligibility.policy import PolicyVersion

SMALL_CELL = 11
RESULTS = [ELIGIBLE, NEEDS_INFORMATION, INELIGIBLE]


def judge_both(
    facts: pl.DataFrame, versions: list[PolicyVersion], from_label: str, to_label: str
) -> pl.DataFrame:
    """``from_result, to_result``: every case under both versions, in the facts' order."""
    # screen keeps the input order, so the results line up with the facts row by row.
    return pl.DataFrame(
        [
            screen(facts, versions, label=from_label)["result"]
            .cast(pl.String)
            .alias("from_result"),
            screen(facts, versions, label=to_label)["result"].cast(pl.String).alias("to_result"),
        ]
    )


def transitions(
    facts: pl.DataFrame,
    versions: list[PolicyVersion],
    from_label: str,
    to_label: str,
    by: list[str] | None = None,
    suppress: bool = True,
) -> pl.DataFrame:
    """One row per group and from-result: the count moving to each to-result, and total."""
    judged = judge_both(facts, versions, from_label, to_label)
    return transition_table(facts, judged, by, suppress)


def transition_table(
    facts: pl.DataFrame, judged: pl.DataFrame, by: list[str] | None = None, suppress: bool = True
) -> pl.DataFrame:
    """The transition table from ``judge_both``'s results, overall or per group of ``by``
    (several tables can share one pair of screenings)."""
    groups = by or []
    joined = judged
    if groups:
        joined = pl.concat([facts.select(groups), judged], how="horizontal")
    counts = joined.group_by([*groups, "from_result", "to_result"]).len("n")
    # Every from-to cell exists, zeros included, so the table is complete.
    grid = pl.DataFrame({"from_result": RESULTS}).join(
        pl.DataFrame({"to_result": RESULTS}), how="cross"
    )
    if groups:
        grid = joined.select(groups).unique().join(grid, how="cross")
    table = (
        grid.join(counts, on=[*groups, "from_result", "to_result"], how="left")
        .with_columns(pl.col("n").fill_null(0))
        .pivot(on="to_result", index=[*groups, "from_result"], values="n")
        .with_columns(pl.sum_horizontal(RESULTS).alias("total"))
        .sort(
            [
                *groups,
                pl.col("from_result").replace_strict(RESULTS, list(range(3)), return_dtype=pl.Int8),
            ]
        )
        .select(*groups, "from_result", *RESULTS, "total")
    )
    if suppress:
        table = table.with_columns(
            pl.when(pl.col(c) < SMALL_CELL).then(None).otherwise(pl.col(c)).alias(c)
            for c in [*RESULTS, "total"]
        )
    return table
