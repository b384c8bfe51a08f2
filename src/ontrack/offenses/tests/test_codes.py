from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontrack.offenses.codes import StatuteCode, StatuteCodeError, normalise, parents, parse


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
        # issue 7: every common spelling
        ("PC245(A)(1)", "PC 245(a)(1)"),
        ("245(a)(1) PC", "PC 245(a)(1)"),
        ("P.C. 245(a)(1)", "PC 245(a)(1)"),
        ("pc 245 (a)(1)", "PC 245(a)(1)"),
        ("PC245A1", "PC 245(a)(1)"),  # compact: DOJ knows no section 245a
        ("PC 245.A.1", "PC 245(a)(1)"),
        ("PC499C1", "PC 499c(1)"),  # compact, but DOJ numbers a section 499c
        ("148(a)(1) PC", "PC 148(a)(1)"),
        ("PC 664/187(a)", "PC 664/187(a)"),
        ("664/187 PC", "PC 664/187"),
        ("PC 664-187(a)", "PC 664/187(a)"),
        ("PC 182(a)(1)/211", "PC 182(a)(1)/211"),
        ("182(a)(1)/211 PC", "PC 182(a)(1)/211"),
        ("PC 664/HS 11352", "PC 664/HS 11352"),
        ("PC 182(a)(1)/HS 11352", "PC 182(a)(1)/HS 11352"),
        ("pc 664 / h&s 11352(a)", "PC 664/HS 11352(a)"),
        ("PC 459/460(a)", "PC 459/460(a)"),
        ("PC 664/459/460(a)", "PC 664/459/460(a)"),
        ("PC 484(a)/488", "PC 484(a)/488"),
        ("FS 893.13", "FS 893.13"),
        ("NV 453.336", "NV 453.336"),
        ("XX 11351", "XX 11351"),  # a book no table knows: well formed, unknown
        ("US 18 1361", "US 18 1361"),
        ("18 U.S.C. § 1361", "US 18 1361"),
        ("CA 14 4302", "CA 14 4302"),
        ("PC 273ab(b)", "PC 273ab(b)"),
        ("PC 622 1/2", "PC 622½"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_parsed_parts() -> None:
    assert parse("PC 664/187(a)") == StatuteCode("PC", "187", ("a",), "attempt", "PC 664")
    assert parse("182(a)(1)/HS 11352 pc") == StatuteCode(
        "HS", "11352", (), "conspiracy", "PC 182(a)(1)"
    )
    assert parse("PC 459/460(a)") == StatuteCode("PC", "459", (), qualifier="PC 460(a)")
    assert parse("PC 664/HS 11352(a)").base == "HS 11352(a)"
    assert parse("PC 664") == StatuteCode("PC", "664", ())  # the section alone is no attempt


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "11351",
        "HS",
        "PC 245(a)(1) and more",
        "Poss Cocaine",
        "arrest 123",
        "PC 1/2/3/4",
        "ZZ 00IN CUSTODY ARR",
        "PC 245(",
    ],
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


_books = st.sampled_from(["PC", "HS", "VC", "BP", "WI", "FS", "NV", "US", "CA", "GC"])
_subdivisions = st.lists(
    st.one_of(
        st.from_regex(r"[a-z]{1,4}", fullmatch=True), st.from_regex(r"[1-9]\d{0,2}", fullmatch=True)
    ),
    max_size=3,
).map(tuple)


@st.composite
def _sections(draw: st.DrawFn, book: str) -> str:
    number = draw(st.from_regex(r"[1-9]\d{0,4}(\.\d{1,2})?", fullmatch=True))
    if "." not in number:
        number += draw(st.sampled_from(["", "a", "h", "ab"]))
    if book in ("US", "CA"):
        number = f"{draw(st.integers(1, 50))} {draw(st.integers(100, 9999))}"
    return number


@st.composite
def _codes(draw: st.DrawFn) -> StatuteCode:
    book = draw(_books)
    plain = StatuteCode(book, draw(_sections(book)), draw(_subdivisions))
    form = draw(st.sampled_from(["plain", "attempt", "conspiracy", "qualified"]))
    if form == "attempt":
        return StatuteCode(plain.book, plain.section, plain.subdivisions, "attempt", "PC 664")
    if form == "conspiracy":
        return StatuteCode(
            plain.book, plain.section, plain.subdivisions, "conspiracy", "PC 182(a)(1)"
        )
    if form == "qualified" and not (book == "PC" and plain.section in ("664", "182")):
        # ("PC 664/187" is an attempt, so PC 664 is never written qualified)
        other = StatuteCode(book, draw(_sections(book)), draw(_subdivisions))
        return StatuteCode(plain.book, plain.section, plain.subdivisions, qualifier=other.base)
    return plain


@given(_codes())
def test_text_round_trips(code: StatuteCode) -> None:
    assert parse(code.text) == code
