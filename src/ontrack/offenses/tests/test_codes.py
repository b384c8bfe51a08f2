from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontrack.offenses.codes import StatuteCodeError, normalise, parents


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HS 11351", "HS 11351"),
        ("h&s 11351", "HS 11351"),
        ("HS11351.5", "HS 11351.5"),
        ("H&SC 11378", "HS 11378"),
        ("Health & Safety Code § 11352", "HS 11352"),
        ("PC 245(a)(1)", "PC 245(a)(1)"),
        ("pc245(A)(1)", "PC 245(a)(1)"),
        ("Pen. Code 245 (A)(1)", "PC 245(a)(1)"),
        ("Penal Code § 667.5(c)", "PC 667.5(c)"),
        ("PC 186.22(b)(1)(A)", "PC 186.22(b)(1)(a)"),
        ("VC 10851", "VC 10851"),
        ("Veh. Code 23152(a)", "VC 23152(a)"),
        ("PC 148.A.1", "PC 148(a)(1)"),
        ("PC 266h(b)", "PC 266h(b)"),
        ("pc 266H (B)", "PC 266h(b)"),
        ("PC 273a(a)", "PC 273a(a)"),
        ("PC 288a", "PC 288a"),
        ("PC 288(a)", "PC 288(a)"),
        ("HS 11351.5", "HS 11351.5"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "11351", "XX 11351", "HS", "PC 245(a)(1) and more", "Poss Cocaine"]
)
def test_not_a_code(raw: str) -> None:
    with pytest.raises(StatuteCodeError):
        normalise(raw)


def test_parents() -> None:
    assert parents("PC 245(a)(1)") == ["PC 245(a)", "PC 245"]
    assert parents("HS 11351") == []


@given(st.text(max_size=40))
def test_normalise_never_crashes_and_is_idempotent(raw: str) -> None:
    try:
        code = normalise(raw)
    except StatuteCodeError:
        return
    assert normalise(code) == code
