from __future__ import annotations

import polars as pl

from ontrack.common.text import fold, neutralise_formula, neutralise_formulas


def test_formula_cells_are_neutralised_one_by_one_and_in_bulk() -> None:
    values = ["=cmd|' /C calc'!A0", "-2+3", "+1", "@SUM(A1)", "\tx", "plain", "", None]
    expected = ["'=cmd|' /C calc'!A0", "'-2+3", "'+1", "'@SUM(A1)", "'\tx", "plain", "", None]
    assert [neutralise_formula(v) if v is not None else None for v in values] == expected
    frame = pl.DataFrame({"text": values, "number": list(range(8))})
    assert neutralise_formulas(frame).to_dict(as_series=False) == {
        "text": expected,
        "number": list(range(8)),
    }


def test_fold() -> None:
    assert fold(" Núñez ") == "nunez"
