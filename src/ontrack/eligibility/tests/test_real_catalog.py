"""The engine and the derivation of facts over the real statute catalog (built from the CA DOJ
offense code table, ``ontrack.offenses.lookup``). Expected values worked out from the
statutes: PC 667.5(c) (violent felonies), PC 1192.7(c) (serious felonies), PC 460 (degrees of
burglary), Proposition 47 (HS 11350(a): a misdemeanor row from 2014-11-05 beside the
felony row).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from ontrack.cases.models import PriorCountSummary
from ontrack.cases.tests.factories import CaseFactory, ChargeFactory, every_case_reader
from ontrack.eligibility.engine import explain, screen
from ontrack.eligibility.facts import parse_facts
from ontrack.eligibility.policy import load_policy
from ontrack.eligibility.selectors import case_facts
from ontrack.people.tests.factories import PersonFactory

GOOD = {
    "case_id": "a", "referral_date": "2010-03-01", "date_of_birth": "1988-05-05",
    "offense_date": "2010-01-10", "charge_level": "felony",
}  # fmt: skip
CURRENT = "no_violent_or_serious_current_charge"


def judged(codes: str) -> dict[str, Any]:
    frame = parse_facts(pl.DataFrame([{**GOOD, "charge_codes": codes}]))
    return {
        k: str(v) for k, v in screen(frame, load_policy("back-on-track")).row(0, named=True).items()
    }


@pytest.mark.parametrize(
    ("codes", "qualifying", "current"),
    [
        ("PC 664/187(a)", "not_met", "not_met"),  # PC 667.5(c)(12), PC 1192.7(c)(9)
        ("664/187 PC", "not_met", "not_met"),
        ("HS 11352(a)", "met", "met"),  # a subdivision of the listed HS 11352
        ("PC 664/HS 11352", "not_met", "met"),  # an attempt is not the listed code (ADR 0013)
        ("PC 182(a)(1)/HS 11352", "not_met", "met"),
        ("HS 11352;PC 182(a)(1)/211", "met", "not_met"),  # PC 1192.7(c)(42)
        ("HS 11352;PC 459", "met", "unknown"),  # serious only in the first degree, PC 460(a)
        ("HS 11352;PC 460(a)", "met", "not_met"),  # PC 1192.7(c)(18)
        ("HS 11352;PC 148", "met", "met"),  # known, neither violent nor serious
        ("HS 11352;148(a)(1) PC", "met", "met"),
        ("HS 11352;PC 245(a)(1)", "met", "not_met"),  # PC 1192.7(c)(31)
        ("HS 11352;PC 211", "met", "not_met"),  # PC 667.5(c)(9), PC 1192.7(c)(19)
        ("HS 11352;FS 893.13", "met", "unknown"),  # well formed, unknown: not an input error
    ],
)
def test_codes_read_through_the_real_catalog(codes: str, qualifying: str, current: str) -> None:
    row = judged(codes)
    assert (row["qualifying_charge"], row[CURRENT]) == (qualifying, current)


def test_an_uncertain_category_asks_for_the_categories() -> None:
    frame = parse_facts(pl.DataFrame([{**GOOD, "charge_codes": "HS 11352;PC 459"}]))
    row = screen(frame, load_policy("back-on-track")).row(0, named=True)
    assert "charge_categories" in row["missing"]


def test_explanations_cite_the_paragraphs_of_attempted_murder() -> None:
    frame = parse_facts(pl.DataFrame([{**GOOD, "charge_codes": "PC 664/187(a)"}]))
    told = explain(frame, load_policy("back-on-track")[1])
    criterion = next(c for c in told.criteria if c.id == CURRENT)
    cited = criterion.facts_used["categories (from the catalog)"]
    assert "PC 664/187(a): violent — PC 667.5(c)(12)" in cited
    assert "PC 664/187(a): serious — PC 1192.7(c)(9)" in cited


def _case(**charge: Any) -> Any:
    person = PersonFactory(date_of_birth=dt.date(1990, 5, 5))
    case = CaseFactory(defendant=person)
    ChargeFactory(case=case, count_number=1, **charge)
    PriorCountSummary.objects.create(person=person, source="rap sheet", total=0)
    return case


def test_levels_from_dated_rows(db: None) -> None:
    # HS 11350(a): DOJ row 35152 (felony, in force from 1984, never repealed: a felony still
    # for specified priors) and row 35422 (misdemeanor, from 2014-11-05, Proposition 47).
    before = _case(statute_code="HS 11350(a)", level="", offense_date=dt.date(2014, 11, 1))
    after = _case(statute_code="HS 11350(a)", level="", offense_date=dt.date(2015, 6, 1))
    # Infractions only (VC 22350 speeding, VC 4000(a)(1) unregistered vehicle): infraction.
    minor = _case(statute_code="VC 22350", level="", offense_date=dt.date(2020, 1, 1))
    ChargeFactory(
        case=minor, count_number=2, statute_code="VC 4000(a)(1)", level="",
        offense_date=dt.date(2020, 1, 1),
    )  # fmt: skip
    day = dt.date(2026, 1, 1)
    levels = [
        case_facts(actor=every_case_reader(), case=c, referral_date=day)["charge_level"][0]
        for c in (before, after, minor)
    ]
    assert levels == ["felony", None, "infraction"]


def test_enhancements_from_catalog_categories(db: None) -> None:
    case = _case(statute_code="HS 11352", level="felony", offense_date=dt.date(2025, 1, 1))
    # PC 12022.53 (personal use of a firearm) and PC 186.22(b)(1) (gang) as charged
    # enhancements, with their flags not recorded.
    ChargeFactory(case=case, count_number=2, statute_code="PC 12022.53(b)", weapon_alleged=None)
    ChargeFactory(case=case, count_number=3, statute_code="PC 186.22(b)(1)", gang_alleged=None)
    row = case_facts(actor=every_case_reader(), case=case, referral_date=dt.date(2026, 1, 1)).row(
        0, named=True
    )
    assert (row["weapon_involved"], row["gang_enhancement"]) == (True, True)
