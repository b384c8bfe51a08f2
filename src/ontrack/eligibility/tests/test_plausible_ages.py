"""Plausible ages at screening: the day-span shortcut in ``plausibility_problems`` (only rows
whose span in days could be implausible are aged exactly) refuses exactly the rows that the
exact rule, ``ingest.plausible.age_on``, finds under 10 or over 110 on the offense date."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ontrack.eligibility.facts import plausibility_problems
from ontrack.ingest.plausible import MAX_AGE, MIN_AGE, age_on
from ontrack.ingest.validate import ROW

TODAY = dt.date(2026, 12, 1)
days = st.dates(min_value=dt.date(1880, 1, 1), max_value=TODAY)


def _frame(births: list[dt.date], offenses: list[dt.date]) -> pl.DataFrame:
    n = len(births)
    none = pl.Series([None] * n, dtype=pl.Date)
    return pl.DataFrame(
        {
            ROW: range(1, n + 1),
            "date_of_birth": births,
            "birth_date_earliest": none,
            "birth_date_latest": none,
            "offense_date": offenses,
            "referral_date": offenses,  # referred the day of the offense
        },
        schema_overrides={
            "date_of_birth": pl.Date,
            "offense_date": pl.Date,
            "referral_date": pl.Date,
        },
    )


def _exact(births: list[dt.date], offenses: list[dt.date]) -> set[tuple[int, str]]:
    ages = _frame(births, offenses).select(age_on(pl.col("date_of_birth"), pl.col("offense_date")))
    out = set()
    for row, age in enumerate(ages.to_series().to_list(), start=1):
        if age < MIN_AGE:
            out.add((row, f"under {MIN_AGE} years old on the offense date"))
        elif age > MAX_AGE:
            out.add((row, f"over {MAX_AGE} years old on the offense date"))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(days, days), min_size=1, max_size=30))
def test_the_shortcut_refuses_what_the_exact_rule_refuses(
    pairs: list[tuple[dt.date, dt.date]],
) -> None:
    births = [b for b, _ in pairs]
    offenses = [max(b, o) for b, o in pairs]  # offenses before birth are another check
    found = {(p.row, p.reason) for p in plausibility_problems(_frame(births, offenses), TODAY)}
    assert found == _exact(births, offenses)


def test_the_boundaries_on_either_side() -> None:
    births = [dt.date(2000, 2, 29)] * 4
    offenses = [
        dt.date(2010, 2, 28),  # 9 years old: a 29 February birthday falls on 1 March
        dt.date(2010, 3, 1),  # 10
        dt.date(2111, 2, 28),  # 110
        dt.date(2111, 3, 1),  # 111
    ]
    frame = _frame(births, offenses)
    found = [(p.row, p.column, p.reason) for p in plausibility_problems(frame, dt.date(2200, 1, 1))]
    assert found == [
        (1, "date_of_birth", "under 10 years old on the offense date"),
        (4, "date_of_birth", "over 110 years old on the offense date"),
    ]
