"""Column helpers for the synthetic-data generator: weighted draws, typed series, vocabularies."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from ontrack.synth.pools import EPOCH, LOWER

Arr = npt.NDArray[Any]


def to_days(day: datetime.date) -> int:
    return (day - EPOCH).days


def from_days(days: int) -> datetime.date:
    return EPOCH + datetime.timedelta(days=int(days))


def cumulative(weights: Sequence[float]) -> Arr:
    cum: Arr = np.cumsum(np.asarray(weights, dtype=np.float64))
    normalised: Arr = cum / cum[-1]
    return normalised


def pick(rng: np.random.Generator, weights: Sequence[float], size: int) -> Arr:
    """Indices 0..len(weights)-1 drawn with the given relative weights."""
    cum = cumulative(weights)
    return np.minimum(np.searchsorted(cum, rng.random(size), side="right"), len(cum) - 1)


def pick_rows(rng: np.random.Generator, probabilities: Arr) -> Arr:
    """One index per row of a (rows x options) probability matrix."""
    cum = np.cumsum(probabilities, axis=1)
    u = rng.random(len(probabilities)) * cum[:, -1]
    chosen: Arr = np.minimum((u[:, None] >= cum).sum(axis=1), probabilities.shape[1] - 1)
    return chosen


def unique_ints(rng: np.random.Generator, size: int, high: int) -> Arr:
    """``size`` distinct integers in [0, high), in random order."""
    if size > high // 2:
        raise ValueError(f"cannot draw {size} distinct values below {high}")
    values = distinct(rng.integers(0, high, size + size // 8 + 16))
    while len(values) < size:
        more = rng.integers(0, high, 2 * (size - len(values)) + 16)
        values = distinct(np.r_[values, more])
    return rng.permutation(values)[:size]


def distinct(values: Arr) -> Arr:
    """Sorted distinct values (``np.unique`` is several times slower on large int arrays)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def date_series(name: str, days: Arr, null: Arr | None = None) -> pl.Series:
    series = pl.Series(name, days.astype(np.int32)).cast(pl.Date)
    if null is not None and null.any():
        series = series.scatter(np.flatnonzero(null), None)
    return series


def bool_series(name: str, values: Arr, null: Arr) -> pl.Series:
    series = pl.Series(name, values.astype(bool))
    if null.any():
        series = series.scatter(np.flatnonzero(null), None)
    return series


def text_series(name: str, table: Sequence[str], ids: Arr) -> pl.Series:
    return pl.Series(name, list(table), dtype=pl.String).gather(ids)


class Vocab:
    """Strings held once; columns are int arrays into ``words`` until the frame is built."""

    def __init__(self) -> None:
        self.words: list[str] = [""]
        self._index: dict[str, int] = {"": 0}

    def id(self, word: str) -> int:
        found = self._index.get(word)
        if found is None:
            found = self._index[word] = len(self.words)
            self.words.append(word)
        return found

    def ids(self, words: Sequence[str]) -> Arr:
        return np.fromiter((self.id(w) for w in words), dtype=np.int64, count=len(words))

    def series(self, name: str, ids: Arr) -> pl.Series:
        return text_series(name, self.words, ids)


@dataclass(frozen=True)
class Pool:
    ids: Arr
    cum: Arr

    @classmethod
    def of(cls, vocab: Vocab, names: Sequence[str], weights: Sequence[float]) -> Pool:
        return cls(vocab.ids(names), cumulative(weights))

    def draw(self, rng: np.random.Generator, size: int) -> Arr:
        index = np.searchsorted(self.cum, rng.random(size), side="right")
        return self.ids[np.minimum(index, len(self.ids) - 1)]


def typo(word: str, a: float, b: float, c: float) -> str:
    """One adjacent transposition or one substituted letter, keeping the first letter."""
    letters = [i for i in range(1, len(word)) if word[i].isalpha()]
    if not letters:
        return word + LOWER[int(c * 26)]
    if a < 0.4:
        pairs = [i for i in letters if i + 1 < len(word) and word[i + 1].isalpha()]
        pairs = [i for i in pairs if word[i] != word[i + 1]]
        if pairs:
            i = pairs[int(b * len(pairs))]
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    i = letters[int(b * len(letters))]
    new = LOWER[int(c * 26)]
    if new == word[i].lower():
        new = LOWER[(LOWER.index(new) + 1) % 26]
    return word[:i] + new + word[i + 1 :]


def age_on(dob: datetime.date, on: datetime.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def vary_dob(kind: str, dob: datetime.date, on: datetime.date, a: float) -> datetime.date | None:
    """A date of birth as mistyped at a booking: day and month swapped, or a part off by one.

    The result keeps the age on ``on`` within 18..70; None (not recorded) when no slip does.
    """
    if kind == "dob_missing":
        return None
    step = 1 if a < 0.5 else -1
    candidates: list[datetime.date] = []
    if kind == "dob_transpose" and dob.day <= 12 and dob.day != dob.month:
        candidates.append(dob.replace(month=dob.day, day=dob.month))
    one_day = datetime.timedelta(days=1)
    candidates += [dob + step * one_day, dob - step * one_day]
    for years, months in ((0, step), (0, -step), (step, 0), (-step, 0)):
        try:
            candidates.append(dob.replace(year=dob.year + years, month=dob.month + months))
        except ValueError:  # 31 in a shorter month, 29 February, month 0 or 13
            continue
    if kind == "dob_digit" and a >= 0.8:  # a year digit is the rarer slip: one time in five
        candidates.sort(key=lambda c: c.month != dob.month or c.day != dob.day)
    for candidate in candidates:
        if candidate != dob and 18 <= age_on(candidate, on) <= 70:
            return candidate
    return None


def years_of(days: Arr) -> Arr:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def serials(rng: np.random.Generator, group: Arr, order: Arr, high: int) -> Arr:
    """Numbers 1..high, unique within each group, increasing with ``order`` (like a counter)."""
    index = np.lexsort((np.arange(len(group)), order, group))
    sorted_group = group[index]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    sizes = np.diff(np.r_[starts, len(sorted_group)])
    sequence = np.arange(len(sorted_group)) - np.repeat(starts, sizes)
    stride = np.maximum(1, high // np.repeat(sizes, sizes))
    value = sequence * stride + (rng.random(len(index)) * stride).astype(np.int64) + 1
    out: Arr = np.empty_like(value)
    out[index] = value
    return out
