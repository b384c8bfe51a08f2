"""Screening a case from OnTrack's records: facts derived, decision stored and audited."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from ontrack.cases.models import PriorCountSummary
from ontrack.cases.tests.factories import (
    CaseFactory,
    ChargeFactory,
    PriorRecordFactory,
    assign,
    every_case_reader,
)
from ontrack.common.errors import ValidationFailed
from ontrack.common.services import Forbidden
from ontrack.eligibility import policy as policy_module
from ontrack.eligibility.models import PolicyVersionRecord, Screening
from ontrack.eligibility.policy import PolicyError
from ontrack.eligibility.selectors import case_facts
from ontrack.eligibility.services import (
    override_screening,
    record_case_fact,
    screen_case,
    sync_policies,
)
from ontrack.people.tests.factories import PersonFactory

TODAY = dt.date(2026, 11, 30)


def clean_case(**charge: Any) -> Any:
    person = PersonFactory(date_of_birth=dt.date(2001, 5, 5))
    case = CaseFactory(defendant=person)
    ChargeFactory(
        case=case,
        count_number=1,
        statute_code="HS 11351",
        level="felony",
        offense_date=dt.date(2026, 10, 1),
        **charge,
    )
    PriorCountSummary.objects.create(person=person, source="test rap sheet", total=0, as_of=TODAY)
    return case


def test_facts_from_the_database(db: None) -> None:
    case = clean_case()
    ChargeFactory(
        case=case,
        count_number=2,
        statute_code="PC 148(a)(1)",
        level="misdemeanor",
        weapon_alleged=None,
    )
    facts = case_facts(actor=every_case_reader(), case=case, referral_date=TODAY).row(0, named=True)
    assert {k: facts[k] for k in (
        "date_of_birth", "offense_date", "charge_codes", "charge_level", "prior_felony_convictions",
        "prior_violent_or_serious", "prior_sex_registrable", "weapon_involved", "gang_enhancement",
        "near_school", "work_authorization", "charge_categories",
    )} == {
        "date_of_birth": dt.date(2001, 5, 5), "offense_date": dt.date(2026, 10, 1),
        "charge_codes": "HS 11351;PC 148(a)(1)", "charge_level": "felony",
        "prior_felony_convictions": 0, "prior_violent_or_serious": False,
        "prior_sex_registrable": False,
        "weapon_involved": None,  # count 2 does not record it: unknown, not "no"
        "gang_enhancement": False, "near_school": False, "work_authorization": None,
        "charge_categories": None,
    }  # fmt: skip


def test_history_is_unknown_without_a_check_on_file(db: None) -> None:
    case = clean_case()
    PriorCountSummary.objects.all().delete()
    facts = case_facts(actor=every_case_reader(), case=case, referral_date=TODAY).row(0, named=True)
    assert (facts["prior_felony_convictions"], facts["prior_violent_or_serious"]) == (None, None)
    PriorCountSummary.objects.create(person=case.defendant, source="rap sheet", total=2)
    PriorRecordFactory(person=case.defendant, level="felony", statute_code="PC 211", category="")
    # No level and no code: nothing can tell the level (with a code, the catalog could).
    PriorRecordFactory(person=case.defendant, level="", statute_code="", category="property")
    facts = case_facts(actor=every_case_reader(), case=case, referral_date=TODAY).row(0, named=True)
    # One conviction's level is unknown, so the felony count is unknown; robbery is violent.
    assert (facts["prior_felony_convictions"], facts["prior_violent_or_serious"]) == (None, True)


def test_enhancement_codes_count_as_allegations(db: None) -> None:
    case = clean_case()
    ChargeFactory(
        case=case,
        count_number=2,
        statute_code="PC 12022(a)(1)",
        level="felony",
        weapon_alleged=None,
    )
    assert case_facts(actor=every_case_reader(), case=case, referral_date=TODAY)[
        "weapon_involved"
    ].to_list() == [True]


def test_free_text_charges_are_classified(db: None) -> None:
    case = CaseFactory(defendant=PersonFactory())
    ChargeFactory(
        case=case, count_number=1, statute_code="", description="Poss Cocaine/Intent To Del/Sel"
    )
    facts = case_facts(actor=every_case_reader(), case=case, referral_date=TODAY).row(0, named=True)
    assert (facts["charge_codes"], facts["charge_categories"]) == (None, "drug_possession_for_sale")
    ChargeFactory(case=case, count_number=2, statute_code="", description="arrest case no charge")
    facts = case_facts(actor=every_case_reader(), case=case, referral_date=TODAY).row(0, named=True)
    assert facts["charge_categories"] is None  # one unclassified charge: categories unknown


def test_screen_record_fact_rescreen_and_override(
    case_manager: Any, supervisor: Any, new_events: Any
) -> None:
    case = assign(clean_case(), case_manager)
    first = screen_case(actor=case_manager, case=case, policy="back-on-track", as_of=TODAY)
    assert (first.result, first.missing, first.policy_version.label) == (
        "needs_information",
        ["work_authorization"],
        "2009-07",
    )
    assert [c["status"] for c in first.criteria] == ["met"] * 9 + ["unknown"]
    record_case_fact(
        actor=case_manager,
        case=case,
        fact="work_authorization",
        value="verified",
        method="I-9 documents reviewed",
        document="US passport",
    )
    second = screen_case(actor=case_manager, case=case, policy="back-on-track", as_of=TODAY)
    assert (second.result, second.missing) == ("eligible", [])
    assert second.facts["work_authorization"] == "verified"
    with pytest.raises(Forbidden):
        override_screening(actor=case_manager, screening=second, result="ineligible", reason="x")
    with pytest.raises(ValidationFailed):
        override_screening(actor=supervisor, screening=second, result="ineligible", reason="  ")
    assert second.overrides.count() == 0
    override_screening(
        actor=supervisor, screening=second, result="ineligible", reason="Pending federal hold"
    )
    assert [o.reason for o in second.overrides.all()] == ["Pending federal hold"]
    assert [e.action for e in new_events().order_by("id")] == [
        "case.screened",
        "case.fact_recorded",
        "case.screened",
        "screening.overridden",
    ]


def test_recording_a_fact_needs_a_method_and_a_known_value(
    case_manager: Any, new_events: Any
) -> None:
    case = assign(clean_case(), case_manager)
    with pytest.raises(ValidationFailed) as refused:
        record_case_fact(
            actor=case_manager, case=case, fact="work_authorization", value="probably", method=""
        )
    assert set(refused.value.problems) == {"value", "method"}
    assert case.recorded_facts.count() == 0
    assert new_events().count() == 0


def test_approved_versions_never_change(
    db: None, system: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    # A county's policy in the site directory, recorded once, then its approved file edited.
    folder = tmp_path / "policies" / "county"
    shutil.copytree(policy_module.POLICY_DIR / "back-on-track", folder)
    for path in folder.glob("*.yaml"):
        path.write_text(path.read_text().replace("policy: back-on-track", "policy: county"))
    monkeypatch.setenv("ONTRACK_SITE_DIR", str(tmp_path))
    assert sync_policies(actor=system) == ["county 2005-01", "county 2009-07"]
    edited = folder / "2009-07.yaml"
    edited.write_text(edited.read_text().replace("max: 30", "max: 35"))
    with pytest.raises(PolicyError, match="county 2009-07 is approved and its file changed"):
        sync_policies(actor=system)
    record = PolicyVersionRecord.objects.get(policy="county", label="2009-07")
    assert record.document["criteria"][0]["args"] == {"min": 18, "max": 30}
    assert Screening.objects.count() == 0


def test_overlapping_versions_are_refused(tmp_path: Path, monkeypatch: Any) -> None:
    folder = tmp_path / "policies" / "county"
    shutil.copytree(policy_module.POLICY_DIR / "back-on-track", folder)
    for path in folder.glob("*.yaml"):
        path.write_text(path.read_text().replace("policy: back-on-track", "policy: county"))
    edited = folder / "2005-01.yaml"
    edited.write_text(
        edited.read_text().replace("effective_to: 2009-07-01", "effective_to: 2009-08-01")
    )
    monkeypatch.setenv("ONTRACK_SITE_DIR", str(tmp_path))
    with pytest.raises(PolicyError, match="versions 2005-01 and 2009-07 overlap"):
        policy_module.load_policy("county")


def test_invalid_policy_names_every_problem() -> None:
    raw = b"""policy: p
label: "1"
title: t
effective_from: 2020-01-01
status: approved
value_sets: {codes: [HS 11351]}
criteria:
  - {id: a, label: A, citation: c, operator: age_between, args: {min: 30, max: 18}}
  - {id: a, label: B, citation: c, operator: is_false, args: {fact: charge_level}}
  - {id: c, label: C, citation: c, operator: teleport}
  - {id: d, label: D, citation: c, operator: charge_in_set, args: {level: felony, set: nope}}
"""
    with pytest.raises(PolicyError) as error:
        policy_module.parse_version(raw, "p/1.yaml")
    message = str(error.value)
    assert "criteria #1 (a): args: min and max must be whole numbers with min <= max" in message
    assert "criteria #2 (a): id: used twice" in message
    assert "criteria #2 (a): args: fact 'charge_level' is not a boolean fact" in message
    assert "criteria #3 (c): operator: 'teleport' is not one of" in message
    assert "criteria #4 (d): args: value set 'nope' is not defined in value_sets" in message
