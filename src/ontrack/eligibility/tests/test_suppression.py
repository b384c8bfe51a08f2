"""Simulation tables that do not leak: every blank is attacked with integer programming.

The attacker knows what any reader knows: every printed number, that a row's cells add up
to its total, and that the groups' rows add up to the overall row (cells and totals). For
each blank number the attacker minimises and maximises it over all non-negative integer
tables consistent with that (``scipy.optimize.linprog`` with integrality). Protected means:
no blank is determined (min < max), and a blank whose true count is under 11 could be 0
and could be 11 or more (min 0, max >= 11). The old rule (blank whatever is under 11) is
shown to leak on the hand-made tables.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ontrack.eligibility.simulate import SMALL_CELL, suppress_tables
from ontrack.eligibility.tests.test_commands import GOOD, facts_file, run

RESULTS = ["eligible", "needs_information", "ineligible"]
NUMBERS = [*RESULTS, "total"]
Key = tuple[Any, ...]


# --- tables written out by hand, and the attacker ----------------------------------------------


def row_of(result: str, cells: list[int]) -> dict[str, Any]:
    return {"from_result": result, **dict(zip(RESULTS, cells, strict=True)), "total": sum(cells)}


def tables(counts: dict[str, list[list[int]]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Overall and per-group count tables from ``{group: [[3 to-counts] per from-result]}``,
    totals and overall cells added here (not by the code under test)."""
    rows = []
    for group, by_from in counts.items():
        for result, cells in zip(RESULTS, by_from, strict=True):
            rows.append({"grp": group, **row_of(result, cells)})
    by_group = pl.DataFrame(rows)
    overall_rows = []
    for i, result in enumerate(RESULTS):
        cells = [sum(by_from[i][j] for by_from in counts.values()) for j in range(3)]
        overall_rows.append(row_of(result, cells))
    return pl.DataFrame(overall_rows), by_group


def old_rule(table: pl.DataFrame) -> pl.DataFrame:
    """What ``ontrack simulate`` printed before: each number under 11 blank, nothing else."""
    return table.with_columns(
        pl.when(pl.col(c) < SMALL_CELL).then(None).otherwise(pl.col(c)).alias(c) for c in NUMBERS
    )


def numbers(overall: pl.DataFrame, by_group: pl.DataFrame | None) -> dict[Key, int | None]:
    """Every printed number by position: ``(from, column)`` or ``(group, from, column)``."""
    found: dict[Key, int | None] = {}
    for row in overall.iter_rows(named=True):
        for c in NUMBERS:
            found[(row["from_result"], c)] = row[c]
    for row in by_group.iter_rows(named=True) if by_group is not None else []:
        for c in NUMBERS:
            found[(row["grp"], row["from_result"], c)] = row[c]
    return found


def attack(printed: dict[Key, int | None]) -> dict[Key, tuple[float, float]]:
    """For each blank: the least and the greatest value any consistent table gives it."""
    keys = list(printed)
    at = {k: i for i, k in enumerate(keys)}
    groups = sorted({k[0] for k in keys if len(k) == 3})
    equations: list[dict[int, float]] = []
    rows = {k[:-1] for k in keys}
    for row in rows:  # cells add up to the row's total
        equations.append({**{at[(*row, c)]: 1.0 for c in RESULTS}, at[(*row, "total")]: -1.0})
    if groups:  # the groups add up to the overall table, number by number
        for result in RESULTS:
            for c in NUMBERS:
                equation = {at[(g, result, c)]: 1.0 for g in groups}
                equation[at[(result, c)]] = -1.0
                equations.append(equation)
    a_eq = np.zeros((len(equations), len(keys)))
    for i, equation in enumerate(equations):
        for j, coefficient in equation.items():
            a_eq[i, j] = coefficient
    b_eq = np.zeros(len(equations))
    bounds = [(v, v) if v is not None else (0, None) for v in printed.values()]
    found = {}
    for key, value in printed.items():
        if value is not None:
            continue
        objective = np.zeros(len(keys))
        objective[at[key]] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, integrality=1)
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, integrality=1)
        assert low.status == 0, f"the printed numbers are inconsistent: {low.message}"
        if high.status != 0:
            # HiGHS's integer solver says "unbounded or infeasible"; the real relaxation tells
            # which (a feasible rational polyhedron unbounded over the reals has an integer
            # ray too, so the integer maximum is unbounded as well).
            relaxed = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds)
            assert relaxed.status == 3, relaxed.message
            found[key] = (round(low.fun), math.inf)
        else:
            found[key] = (round(low.fun), round(-high.fun))
    return found


def leaks(printed: dict[Key, int | None], truth: dict[Key, int | None]) -> list[str]:
    """Blanks an attacker pins down, or can tell are small or nonzero."""
    problems = []
    for key, (low, high) in attack(printed).items():
        true = truth[key]
        assert true is not None
        assert low <= true <= high
        if low == high:
            problems.append(f"{key} = {true} is determined")
        elif true < SMALL_CELL and (low > 0 or high < SMALL_CELL):
            problems.append(f"{key} = {true} lies in [{low}, {high}]")
    return problems


def check_new_rule(overall: pl.DataFrame, by_group: pl.DataFrame | None) -> int:
    """The new rule on these counts: no leak, every small number blank, others exact.
    Returns how many numbers were blanked."""
    shown_overall, shown_groups = suppress_tables(
        overall, by_group, ["grp"] if by_group is not None else None
    )
    truth, printed = numbers(overall, by_group), numbers(shown_overall, shown_groups)
    for key, value in printed.items():
        true = truth[key]
        assert true is not None
        assert value is None or (value == true and true >= SMALL_CELL), key
    assert leaks(printed, truth) == []
    return sum(v is None for v in printed.values())


# --- hand-made tables on which the old rule leaks ----------------------------------------------

ROW_TOTAL_LEAK = {"all": [[20, 5, 30], [40, 40, 40], [0, 0, 90]]}
CROSS_TABLE_LEAK = {  # group a's needs-information 5 = overall 17 - group b's 12
    "a": [[20, 5, 4], [30, 30, 30], [0, 0, 50]],
    "b": [[40, 12, 50], [30, 30, 30], [0, 0, 60]],
}
SMALL_GROUP = {  # group a is tiny: its cells are the overall ones minus b's
    "a": [[3, 2, 1], [1, 0, 0], [0, 0, 4]],
    "b": [[40, 12, 50], [30, 30, 30], [0, 0, 60]],
}
STRUCTURAL_ZEROS = {  # nobody moves to eligible from ineligible: zeros everywhere
    "a": [[50, 0, 0], [0, 30, 12], [0, 0, 80]],
    "b": [[60, 0, 0], [0, 25, 15], [0, 0, 70]],
    "c": [[45, 0, 1], [0, 18, 11], [0, 0, 75]],
}


@pytest.mark.parametrize(
    ("counts", "expected_old_leak"),
    [
        (ROW_TOTAL_LEAK, "('eligible', 'needs_information') = 5 is determined"),
        (CROSS_TABLE_LEAK, "('a', 'eligible', 'needs_information') = 5 is determined"),
        (SMALL_GROUP, "('a', 'eligible', 'eligible') = 3 is determined"),
        (STRUCTURAL_ZEROS, "('a', 'eligible', 'needs_information') = 0 is determined"),
    ],
)
def test_the_old_rule_leaks_and_the_new_one_does_not(
    counts: dict[str, list[list[int]]], expected_old_leak: str
) -> None:
    overall, by_group = tables(counts)
    with_groups = len(counts) > 1
    old = numbers(old_rule(overall), old_rule(by_group) if with_groups else None)
    assert expected_old_leak in leaks(old, numbers(overall, by_group if with_groups else None))
    check_new_rule(overall, by_group if with_groups else None)


def test_a_row_total_no_longer_gives_the_blank_back() -> None:
    # 20, 5, 30 (55): 5 is blank; the smallest shown cell (20) joins it, so the two blanks
    # add up to 25 >= 11 and each could be anything from 0 to 25.
    overall, _ = tables(ROW_TOTAL_LEAK)
    shown, _ = suppress_tables(overall)
    assert shown.row(0) == ("eligible", None, None, 30, 55)
    assert attack(numbers(shown, None)) == {
        ("eligible", "eligible"): (0, 25),
        ("eligible", "needs_information"): (0, 25),
        # 0, 0, 90: two zeros add up to 0 < 11, so 90 joins them; each is 0 to 90.
        ("ineligible", "eligible"): (0, 90),
        ("ineligible", "needs_information"): (0, 90),
        ("ineligible", "ineligible"): (0, 90),
    }


def test_group_rows_are_blanked_whole_and_the_overall_table_stays_as_without_groups() -> None:
    overall, by_group = tables(CROSS_TABLE_LEAK)
    alone, _ = suppress_tables(overall)
    shown_overall, shown_groups = suppress_tables(overall, by_group, ["grp"])
    assert shown_overall.equals(alone)  # a run without --by shows nothing more
    assert shown_overall.row(0) == ("eligible", 60, 17, 54, 131)  # no small overall cell
    assert shown_groups is not None
    # Group a's row has the small cells 5 and 4; group b's row joins it (two rows needed).
    assert shown_groups.filter(pl.col("from_result") == "eligible").rows() == [
        ("a", "eligible", None, None, None, None),
        ("b", "eligible", None, None, None, None),
    ]
    assert shown_groups.filter(pl.col("from_result") == "needs_information").rows() == [
        ("a", "needs_information", 30, 30, 30, 90),
        ("b", "needs_information", 30, 30, 30, 90),
    ]


def test_one_group_is_blanked_like_the_overall_row() -> None:
    overall, by_group = tables(ROW_TOTAL_LEAK)
    _, shown_groups = suppress_tables(overall, by_group, ["grp"])
    assert shown_groups is not None
    assert shown_groups.row(0) == ("all", "eligible", None, None, 30, 55)
    assert check_new_rule(overall, by_group) > 0


# --- a generated family -------------------------------------------------------------------------

COUNT = st.one_of(st.integers(0, 12), st.integers(0, 80))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.lists(COUNT, min_size=3, max_size=3), min_size=3, max_size=3),
        min_size=1,
        max_size=4,
    )
)
def test_no_generated_table_leaks(counts: list[list[list[int]]]) -> None:
    overall, by_group = tables({f"g{i}": c for i, c in enumerate(counts)})
    check_new_rule(overall, None)
    check_new_rule(overall, by_group)


# --- the command, end to end --------------------------------------------------------------------


def test_what_ontrack_simulate_prints_does_not_leak(tmp_path: Path) -> None:
    # 2005-01 -> 2009-07: "verified" stays eligible, blank work authorization moves to needs
    # information. black/male 12 + 14, white/female 3 + 20, white/male 15 + 0,
    # neither race nor sex 30 + 0 (hand-counted).
    rows = [[f"b{i}", *GOOD, "verified", "black", "male"] for i in range(12)]
    rows += [[f"bn{i}", *GOOD, "", "black", "male"] for i in range(14)]
    rows += [[f"w{i}", *GOOD, "", "white", "female"] for i in range(3)]
    rows += [[f"wv{i}", *GOOD, "verified", "white", "female"] for i in range(20)]
    rows += [[f"m{i}", *GOOD, "verified", "white", "male"] for i in range(15)]
    rows += [[f"u{i}", *GOOD, "verified", "", ""] for i in range(30)]  # neither race nor sex
    path = facts_file(tmp_path, rows)
    args = ["simulate", str(path), "--policy", "back-on-track"]
    args += ["--from", "2005-01", "--to", "2009-07"]
    printed = list(csv.DictReader(io.StringIO(run(*args, "--by", "race,sex"))))
    exact = list(csv.DictReader(io.StringIO(run(*args, "--by", "race,sex", "--no-suppress"))))

    def as_numbers(table: list[dict[str, str]]) -> dict[Key, int | None]:
        found: dict[Key, int | None] = {}
        for row in table:
            where: Key = (row["from_result"],)
            if row["race"]:
                where = (f"{row['race']}/{row['sex']}", row["from_result"])
            for c in NUMBERS:
                found[(*where, c)] = int(row[c]) if row[c] else None
        return found

    shown, truth = as_numbers(printed), as_numbers(exact)
    assert (truth[("eligible", "eligible")], truth[("eligible", "needs_information")]) == (77, 17)
    # The group with neither race nor sex is named, so it cannot pass for the overall rows.
    assert truth[("(not recorded)/(not recorded)", "eligible", "eligible")] == 30
    assert truth[("white/female", "eligible", "needs_information")] == 3
    assert shown[("white/female", "eligible", "needs_information")] is None
    assert leaks(shown, truth) == []
    # The old rule, on the same counts, gave white/female's 3 back (overall 17 minus 14).
    old = {k: v if v is not None and v >= SMALL_CELL else None for k, v in truth.items()}
    assert "('white/female', 'eligible', 'needs_information') = 3 is determined" in leaks(
        old, truth
    )


def test_a_group_with_blank_values_is_counted(tmp_path: Path) -> None:
    # Regression: the join dropped null group keys, so the blank group showed 0 everywhere
    # and the groups did not add up to the overall table.
    rows = [[f"u{i}", *GOOD, "verified", "", ""] for i in range(30)]
    rows += [[f"b{i}", *GOOD, "verified", "black", "male"] for i in range(12)]
    path = facts_file(tmp_path, rows)
    args = ["simulate", str(path), "--policy", "back-on-track", "--from", "2005-01"]
    args += ["--to", "2009-07", "--by", "race,sex", "--no-suppress"]
    table = list(csv.DictReader(io.StringIO(run(*args))))
    eligible = [
        (r["race"], r["sex"], r["eligible"], r["total"])
        for r in table
        if r["from_result"] == "eligible"
    ]
    assert eligible == [
        ("", "", "42", "42"),  # overall
        ("(not recorded)", "(not recorded)", "30", "30"),
        ("black", "male", "12", "12"),
    ]
