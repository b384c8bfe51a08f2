"""Policy simulation: every case under two versions, counted as transitions.

The command prints the overall table (one row per from-result: a count per to-result and the
row total) and, with ``--by``, the same table per group. Counts under ``SMALL_CELL`` are
suppressed (blank), and so are enough other numbers that **no blank can be derived from
what is printed** (ADR 0019). Blanking only the small cells leaks: a row's total minus its
visible cells gives the blank back, and so does the overall cell minus the groups' cells.

The rule, for each from-result separately (no printed number mixes two from-results):

1. *Overall row* (three cells and the total ``N``). If ``N`` is small, the whole row is
   blank. Otherwise the small cells are blank, and further cells, smallest first, until at
   least two are blank and the blank cells add up to at least ``SMALL_CELL``.
2. *Group rows* (with ``--by``). A group's row is shown whole or blank whole (its three
   cells and its total). Rows with a small cell or total are blank; then further rows,
   smallest total first, until (a) at least two rows are blank, (b) in each to-result whose
   overall cell is shown, the blank rows' cells add up to at least ``SMALL_CELL``, and
   (c) when overall cells are blank, the blank rows' cells under them add up to at least
   ``SMALL_CELL``. With one group its row is the overall row and is blanked like it.

Why that is enough: the only equations a reader has are "cells add up to their row total"
and "group cells add up to the overall cell". With whole rows blank, the unknown group cells
fall into independent pools — one per shown overall cell, one for the blank overall cells
together — each a sum of at least two unknowns equal to a printed number K >= SMALL_CELL.
Every unknown in a pool can be anything from 0 to K (integers included: put the rest on
another unknown). A blank group total is its row's share of the pools: 0 to at least
SMALL_CELL. A blank overall cell is the shown groups' cells under it (a known P) plus its
share of the blank-overall pool (0 to K); a small one has P = 0, since every group cell
under it is smaller still and so in a blank row. So no blank is determined, and a blank
hiding a count under SMALL_CELL could be 0 and could be SMALL_CELL or more.
``tests/test_suppression.py`` checks this by integer programming on what
is printed. The overall table does not depend on ``--by``, so a run without ``--by`` shows
nothing a run with it hides.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ontrack.eligibility.engine import ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION, screen
from ontrack.eligibility.policy import PolicyVersion

SMALL_CELL = 11
RESULTS = [ELIGIBLE, NEEDS_INFORMATION, INELIGIBLE]
NUMBERS = [*RESULTS, "total"]


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
    (several tables can share one pair of screenings). Suppressed, a group table is blanked
    together with the overall table it is printed beside."""
    overall = count_table(facts, judged, None)
    if not by:
        return suppress_tables(overall)[0] if suppress else overall
    grouped = count_table(facts, judged, by)
    if not suppress:
        return grouped
    by_group = suppress_tables(overall, grouped, by)[1]
    assert by_group is not None
    return by_group


def count_table(
    facts: pl.DataFrame, judged: pl.DataFrame, by: list[str] | None = None
) -> pl.DataFrame:
    """Every count, nothing suppressed: ``*by, from_result, eligible, …, total``."""
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
    return (
        # nulls_equal: a blank group value (race not recorded) is a group like any other;
        # without it that group's counts were all 0 and the groups no longer added up.
        grid.join(counts, on=[*groups, "from_result", "to_result"], how="left", nulls_equal=True)
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


def suppress_tables(
    overall: pl.DataFrame, by_group: pl.DataFrame | None = None, by: list[str] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """``count_table``'s overall table and, optionally, its group table, blanked as printed
    together (the module's rule). The overall table's blanks never depend on the groups."""
    overall_blank = np.zeros((len(RESULTS), len(NUMBERS)), dtype=bool)
    group_blank = np.zeros((0 if by_group is None else by_group.height, len(NUMBERS)), dtype=bool)
    for i, result in enumerate(RESULTS):
        row = overall.filter(pl.col("from_result") == result)
        cells = row.select(RESULTS).to_numpy()[0].astype(np.int64)
        overall_blank[i] = _overall_row_blanks(cells)
        if by_group is not None:
            at = np.flatnonzero((by_group["from_result"] == result).to_numpy())
            group_cells = by_group[at.tolist()].select(RESULTS).to_numpy().astype(np.int64)
            group_blank[at] = _group_row_blanks(group_cells, overall_blank[i])
    blanked = _blank(overall, overall_blank)
    if by_group is None:
        return blanked, None
    return blanked, _blank(by_group, group_blank)


def _blank(table: pl.DataFrame, mask: np.ndarray) -> pl.DataFrame:
    return table.with_columns(
        pl.when(pl.Series(mask[:, j])).then(None).otherwise(pl.col(c)).alias(c)
        for j, c in enumerate(NUMBERS)
    )


def suppress_row(cells: list[int]) -> tuple[list[int | None], int | None]:
    """One row of counts and its total as they may be shown (rule 1; blank is None): what
    other count pages (``queues``, "How many?") use, so that one rule and one threshold
    decide every suppression."""
    blank = _overall_row_blanks(np.asarray(cells, dtype=np.int64))
    shown = [None if b else int(c) for b, c in zip(blank[:-1], cells, strict=True)]
    return shown, None if blank[-1] else int(sum(cells))


def _overall_row_blanks(cells: np.ndarray) -> np.ndarray:
    """Which of ``cells`` and the total (last) to blank in one overall row (rule 1)."""
    blank = np.zeros(len(cells) + 1, dtype=bool)  # len(NUMBERS) for the simulator's rows
    if cells.sum() < SMALL_CELL:
        blank[:] = True
        return blank
    blank[: len(cells)] = cells < SMALL_CELL
    if not blank.any():
        return blank
    # Smallest shown cell first (stable: ties in RESULTS order) until two blanks hold >= 11.
    for j in np.argsort(cells, kind="stable"):
        if blank[: len(cells)].sum() >= 2 and cells[blank[: len(cells)]].sum() >= SMALL_CELL:
            break
        blank[j] = True
    return blank


def _group_row_blanks(cells: np.ndarray, overall_blank: np.ndarray) -> np.ndarray:
    """Which numbers of one from-result's group rows to blank (rule 2), given the overall
    row's blanks: groups x (to-results, total). ``cells`` is groups x to-results."""
    groups = cells.shape[0]
    if groups == 1:
        # The group's row is the overall row: the same numbers, blanked the same way.
        return overall_blank[None, :].copy()
    return np.repeat(_blank_rows(cells, overall_blank)[:, None], len(NUMBERS), axis=1)


def _blank_rows(cells: np.ndarray, overall_blank: np.ndarray) -> np.ndarray:
    """With two or more groups: which rows to blank whole."""
    groups = cells.shape[0]
    if overall_blank[-1]:
        return np.ones(groups, dtype=bool)  # the overall total is small: so is every cell
    blank: np.ndarray = np.asarray((cells < SMALL_CELL).any(axis=1))
    shown_columns = ~overall_blank[: cells.shape[1]]

    pools = cells[blank].sum(axis=0)  # the blank rows' cells per to-result
    count = int(blank.sum())

    def protected() -> bool:
        if count == 0:
            return bool(shown_columns.all())  # a blank overall cell needs blank rows below
        return bool(
            count >= 2
            and (pools[shown_columns] >= SMALL_CELL).all()
            and (shown_columns.all() or pools[~shown_columns].sum() >= SMALL_CELL)
        )

    # Smallest total first (stable: ties in group order); all rows blank always protects.
    for g in np.argsort(cells.sum(axis=1), kind="stable"):
        if protected():
            break
        if not blank[g]:
            blank[g] = True
            pools += cells[g]
            count += 1
    return blank
