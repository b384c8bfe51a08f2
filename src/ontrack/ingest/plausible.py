"""Plausible dates: the one statement of what a believable date or age is, as Polars
expressions, for every input that carries them (imports here; screening facts too).

A date after today (offense, filing, birth) has not happened yet; an age under 10 or over
110 on the offense date is a typing error (a birth year for an offense year, a swapped
century), not a person. With only a range of birth dates (an age on some date), an age is
implausible only when every birth date in the range makes it so: unknown is not wrong.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

MIN_AGE = 10
MAX_AGE = 110


def after(day: dt.date, value: pl.Expr) -> pl.Expr:
    """True where ``value`` is later than ``day`` (null where unknown)."""
    return value > pl.lit(day)


def age_on(birth: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Completed years between ``birth`` and ``on`` (null if either is unknown)."""

    def day_of_year(day: pl.Expr) -> pl.Expr:  # month and day as MMDD (Int8 would overflow)
        return day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)

    years = on.dt.year().cast(pl.Int32) - birth.dt.year().cast(pl.Int32)
    return years - (day_of_year(on) < day_of_year(birth)).cast(pl.Int32)


def too_young(birth: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Under ``MIN_AGE`` on ``on``: give the *earliest* possible birth date for a range (the
    oldest the person can be), so it holds only when every possible age is too young."""
    return age_on(birth, on) < MIN_AGE


def too_old(birth: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Over ``MAX_AGE`` on ``on``: give the *latest* possible birth date for a range."""
    return age_on(birth, on) > MAX_AGE
