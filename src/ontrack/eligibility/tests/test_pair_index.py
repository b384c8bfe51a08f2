"""``charges.pair_index``: each row's (codes, categories) pair, found by hash and checked
against the texts, so that a hash collision can never give a row another row's charges."""

from __future__ import annotations

import polars as pl
import pytest

from ontrack.eligibility import charges

ROWS = pl.DataFrame(
    {
        "charge_codes": ["HS 11352", "PC 459", None, "HS 11352", "PC 459", None, "HS 11352"],
        "charge_categories": [None, "serious", None, None, None, "drug_sale", "drug_sale"],
    }
)


def _pair_of_each_row(pairs: pl.DataFrame, index: pl.Series) -> list[tuple[str | None, ...]]:
    return list(pairs[index].iter_rows())


def test_every_row_gets_its_own_pair() -> None:
    pairs, index = charges.pair_index(ROWS)
    assert pairs.height == 6  # rows 1 and 4 share a pair
    assert _pair_of_each_row(pairs, index) == list(ROWS.iter_rows())
    assert index[0] == index[3]


def test_colliding_hashes_fall_back_to_the_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every pair hashes alike (a collision, or texts crafted to collide): the check against
    # the texts notices, and the pairs come from the texts themselves.
    monkeypatch.setattr(charges, "_pair_hash", lambda: pl.lit(7, pl.UInt64))
    pairs, index = charges.pair_index(ROWS)
    assert pairs.height == 6
    assert _pair_of_each_row(pairs, index) == list(ROWS.iter_rows())
