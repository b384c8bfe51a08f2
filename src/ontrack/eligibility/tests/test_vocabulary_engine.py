"""The fact vocabulary, the facts file format and the engine over the catalog API, with the
real catalog (more of its answers: ``test_real_catalog.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ontrack.eligibility import engine
from ontrack.eligibility.engine import explain, screen
from ontrack.eligibility.errors import FactsRejected
from ontrack.eligibility.facts import parse_facts
from ontrack.eligibility.operators import OPERATORS
from ontrack.eligibility.policy import load_policy
from ontrack.eligibility.vocabulary import FACTS, LEVELS, VOCABULARY

GOOD = {
    "case_id": "a", "referral_date": "2010-03-01", "date_of_birth": "1985-05-05",
    "offense_date": "2010-01-10", "charge_codes": "HS 11351", "charge_level": "felony",
    "prior_felony_convictions": "0", "prior_violent_or_serious": "false",
    "prior_sex_registrable": "false", "weapon_involved": "false", "gang_enhancement": "false",
    "near_school": "false", "work_authorization": "verified",
}  # fmt: skip
TODAY = dt.date(2026, 11, 30)


def facts(*rows: dict[str, Any]) -> pl.DataFrame:
    full = [{**GOOD, **r} for r in rows]
    names = list(dict.fromkeys(k for r in full for k in r))
    return parse_facts(pl.DataFrame(full, schema=dict.fromkeys(names, pl.String)), today=TODAY)


def judged(**row: Any) -> dict[str, Any]:
    return screen(facts(row), load_policy("back-on-track")).row(0, named=True)


# --- the vocabulary ---------------------------------------------------------------------------


def test_every_fact_is_declared_once_with_its_meaning_and_source() -> None:
    names = [f.name for f in FACTS]
    assert len(names) == len(set(names))
    for f in FACTS:
        assert f.meaning, f.name
        assert f.derived_from, f.name
        assert f.supplied_by or f.name == "case_id", f.name
    assert VOCABULARY["charge_level"].allowed == LEVELS == ("felony", "misdemeanor", "infraction")


def test_operator_checks_read_the_vocabulary() -> None:
    check = OPERATORS["is_zero"].check
    assert check({"fact": "prior_felony_convictions"}, {}) == []
    assert check({"fact": "near_school"}, {}) == ["fact 'near_school' is not a integer fact"]
    assert check({"fact": "shoe_size"}, {}) == ["fact 'shoe_size' is not a integer fact"]
    assert OPERATORS["charge_in_set"].check({"set": "s", "level": "infraction"}, {"s": ()}) == []
    assert OPERATORS["charge_in_set"].check({"set": "s", "level": "wobbler"}, {"s": ()}) == [
        "level must be one of felony, misdemeanor, infraction"
    ]


# --- the facts file format ------------------------------------------------------------------


def test_typed_columns_are_used_as_they_are_and_equal_the_text_form() -> None:
    text = pl.DataFrame([GOOD, {**GOOD, "case_id": "b", "prior_felony_convictions": ""}])
    typed = text.with_columns(
        pl.col("referral_date", "date_of_birth", "offense_date").str.to_date(),
        pl.col("prior_felony_convictions").replace("", None).cast(pl.Int32),
        pl.col("prior_violent_or_serious", "weapon_involved") == "true",
    )
    assert_frame_equal(
        parse_facts(typed, today=TODAY),
        parse_facts(text, today=TODAY),
    )


def test_a_typed_negative_count_is_still_refused() -> None:
    frame = pl.DataFrame({"case_id": ["a"], "referral_date": [dt.date(2010, 1, 1)]}).with_columns(
        prior_count=pl.lit(-1, pl.Int16)
    )
    with pytest.raises(FactsRejected) as error:
        parse_facts(frame, "f.parquet", today=TODAY)
    assert error.value.report() == (
        "f.parquet: 1 problem; nothing was screened\n"
        "  row 1, column 'prior_count', value '-1': not a whole number >= 0"
    )


def test_typed_file_reports_duplicate_ids_bad_codes_and_categories_together() -> None:
    # The checks of a file run as one query (ADR 0021); each kind still names its rows.
    typed = pl.DataFrame(
        [GOOD, {**GOOD, "charge_codes": "HS 11351;not a code"}, {**GOOD, "case_id": "b"}]
    ).with_columns(
        pl.col("referral_date", "date_of_birth", "offense_date").str.to_date(),
        charge_categories=pl.Series([None, None, "drug_sale; nonsense"], dtype=pl.String),
    )
    with pytest.raises(FactsRejected) as error:
        parse_facts(typed, "f.parquet", today=TODAY)
    assert [str(p) for p in error.value.problems] == [
        "row 1, column 'case_id', value 'a': appears on more than one row",
        "row 2, column 'case_id', value 'a': appears on more than one row",
        "row 2, column 'charge_codes', value 'not a code': not a statute code (e.g. HS 11351)",
        "row 3, column 'charge_categories', value 'nonsense': not an offense category",
    ]


def test_text_that_cannot_be_a_code_is_refused_and_a_well_formed_code_is_not() -> None:
    with pytest.raises(FactsRejected) as error:
        facts({"charge_codes": "HS 11351; possession of cocaine"})
    assert [str(p) for p in error.value.problems] == [
        "row 1, column 'charge_codes', value 'possession of cocaine': not a statute code "
        "(e.g. HS 11351)"
    ]
    # A well-formed code the catalog does not know: unknown at screening, not an input error.
    row = judged(charge_codes="HS 11351;PC 999")
    assert str(row["no_violent_or_serious_current_charge"]) == "unknown"
    assert "charge_categories" in row["missing"]


def test_infraction_is_a_charge_level() -> None:
    assert facts({"charge_level": "infraction"})["charge_level"].to_list() == ["infraction"]
    assert str(judged(charge_level="infraction")["qualifying_charge"]) == "not_met"


# --- set rules and categories over the catalog ---------------------------------------------


def test_a_subdivision_of_a_listed_section_is_that_section() -> None:
    assert str(judged(charge_codes="HS 11352(a)")["qualifying_charge"]) == "met"
    assert str(judged(charge_codes="HS 11352(a)(1)")["qualifying_charge"]) == "met"
    # HS 1135 is not a broader code of HS 11352 (a different section number).
    assert str(judged(charge_codes="HS 1135")["qualifying_charge"]) == "not_met"


def test_a_category_that_only_may_apply_leaves_none_of_unknown() -> None:
    row = judged(charge_codes="HS 11351;PC 459")
    assert str(row["no_violent_or_serious_current_charge"]) == "unknown"
    assert row["missing"] == ["charge_categories"]
    # A person who classified the charges settles it.
    row = judged(charge_codes="HS 11351;PC 459", charge_categories="drug_possession_for_sale")
    assert str(row["no_violent_or_serious_current_charge"]) == "met"


def test_a_category_that_certainly_applies_decides_whatever_else_is_unknown() -> None:
    row = judged(charge_codes="PC 459;PC 211;PC 999")
    assert str(row["no_violent_or_serious_current_charge"]) == "not_met"
    assert str(judged(charge_codes="PC 148(a)(1)")["no_violent_or_serious_current_charge"]) == (
        "met"
    )


def test_any_of_is_three_valued_too() -> None:
    versions = load_policy("broward-example")
    base = {**GOOD, "referral_date": "2014-03-01", "offense_date": "2014-01-10", "prior_count": "0"}
    rows = [
        {**base, "case_id": "sale", "charge_codes": "HS 11352"},
        {**base, "case_id": "burglary", "charge_codes": "PC 459"},
        {**base, "case_id": "resisting", "charge_codes": "PC 148"},
        {**base, "case_id": "unknown", "charge_codes": "PC 999"},
    ]
    frame = parse_facts(pl.DataFrame(rows), today=TODAY)
    out = screen(frame, versions).select("case_id", pl.col("drug_charge").cast(pl.String))
    assert out.rows() == [
        ("sale", "met"),
        ("burglary", "not_met"),  # PC 459 may be serious, but it is certainly not a drug charge
        ("resisting", "not_met"),
        ("unknown", "unknown"),
    ]


def test_explanations_cite_the_paragraph_of_each_category() -> None:
    version = load_policy("back-on-track")[1]
    told = explain(facts({"charge_codes": "PC 211;PC 459"}), version)
    criterion = next(c for c in told.criteria if c.id == "no_violent_or_serious_current_charge")
    # Robbery: PC 667.5(c)(9), PC 1192.7(c)(19). Burglary: property (PC 459); serious in
    # the first degree only (PC 1192.7(c)(18), PC 460(a)), violent only then and with a
    # non-accomplice present (PC 667.5(c)(21)); the degree is not given, so both uncertain.
    assert criterion.facts_used["categories (from the catalog)"] == [
        "PC 211: serious — PC 1192.7(c)(19)",
        "PC 211: violent — PC 667.5(c)(9)",
        "PC 459: property — PC 459",
        "PC 459: serious — PC 1192.7(c)(18) (uncertain: only burglary of the first degree "
        "(PC 460(a)))",
        "PC 459: violent — PC 667.5(c)(21) (uncertain: only first-degree burglary with a person "
        "other than an accomplice present in the residence)",
    ]
    assert criterion.status == "not_met"


# --- missing facts, without a cap on their number -------------------------------------------


def test_missing_lists_come_from_masks_of_any_width() -> None:
    names = tuple(f"fact_{i:03d}" for i in range(130))  # three 64-bit words
    frame = pl.DataFrame(
        {
            "_mask0": pl.Series([1, 0, 1 | 1 << 63, 1], dtype=pl.UInt64),
            "_mask1": pl.Series([0, 0, 0, 1 << 5], dtype=pl.UInt64),
            "_mask2": pl.Series([0, 2, 0, 0], dtype=pl.UInt64),
        }
    )
    out = engine._with_missing(frame, names)["missing"].to_list()
    assert out == [
        ["fact_000"],
        ["fact_129"],
        ["fact_000", "fact_063"],
        ["fact_000", "fact_069"],
    ]
    one = engine._with_missing(frame.select("_mask0"), names[:64])["missing"].to_list()
    assert one == [["fact_000"], [], ["fact_000", "fact_063"], ["fact_000"]]


def test_a_policy_may_read_every_fact_of_the_vocabulary() -> None:
    """More than the old cap of 16 facts would allow are reported missing at once."""
    row = screen(
        facts({"charge_codes": "", "charge_level": "", "date_of_birth": "", **_blank_flags()}),
        load_policy("back-on-track"),
    ).row(0, named=True)
    assert row["missing"] == sorted(
        [
            "charge_codes", "charge_level", "date_of_birth", "gang_enhancement", "near_school",
            "prior_felony_convictions", "prior_sex_registrable", "prior_violent_or_serious",
            "weapon_involved", "work_authorization",
        ]
    )  # fmt: skip


def _blank_flags() -> dict[str, str]:
    return dict.fromkeys(
        [
            "prior_felony_convictions", "prior_violent_or_serious", "prior_sex_registrable",
            "weapon_involved", "gang_enhancement", "near_school", "work_authorization",
        ],
        "",
    )  # fmt: skip


def test_a_file_that_cannot_be_read_is_a_facts_error(tmp_path: Any) -> None:
    from ontrack.eligibility.facts import read_facts

    broken = tmp_path / "facts.parquet"
    broken.write_bytes(b"PAR1 not really parquet")
    with pytest.raises(FactsRejected) as error:
        read_facts(broken)
    assert error.value.report().startswith(
        "facts.parquet: 1 problem; nothing was screened\n  file: cannot be read as Parquet"
    )
    text = tmp_path / "facts.csv"
    text.write_text("case_id,offense_date\na,2010-01-01\n")
    with pytest.raises(FactsRejected) as error:
        read_facts(text)
    assert error.value.report() == (
        "facts.csv: 1 problem; nothing was screened\n"
        "  file, column 'referral_date': required column is missing"
    )
