"""Service tests for cases, charges and prior records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Arrest, Case, Charge, PriorRecord
from ontrack.cases.services import (
    NewArrest,
    NewCharge,
    add_charge,
    change_case_status,
    create_case,
    record_prior_record,
    update_case,
)
from ontrack.cases.tests.factories import ArrestFactory, CaseFactory, assign
from ontrack.common.errors import ConcurrentEdit, ValidationFailed
from ontrack.people.tests.factories import PersonFactory


def test_create_case_normalises_codes_and_numbers_counts(supervisor: Any) -> None:
    # A person with no case is visible only to those who see every program (cases/visibility).
    person = PersonFactory()
    case = create_case(
        actor=supervisor,
        defendant=person,
        docket_number=" CRI-2025-000123 ",
        court="San Francisco Superior Court",
        filing_date=dt.date(2025, 3, 4),
        charges=[
            NewCharge(
                "h&s 11351", "felony", offense_date=dt.date(2025, 3, 1), weapon_alleged=False
            ),
            NewCharge("Pen. Code 148 (A)(1)", "misdemeanor"),
        ],
        arrest=NewArrest(dt.date(2025, 3, 1), "SFPD", "25000001"),
    )
    assert case.docket_number == "CRI-2025-000123"
    assert list(
        case.charges.values_list("count_number", "statute_code", "weapon_alleged", "gang_alleged")
    ) == [
        (1, "HS 11351", False, None),
        (2, "PC 148(a)(1)", None, None),
    ]
    assert Arrest.objects.get().booking_number == "25000001"
    event = AuditEvent.objects.get(action="case.created")
    assert event.details == {
        "charges": ["1: HS 11351", "2: PC 148(a)(1)"],
        "arrest": "SFPD 25000001",
    }


def test_bad_charge_rolls_back_the_whole_case(supervisor: Any, new_events: Any) -> None:
    person = PersonFactory()
    with pytest.raises(ValidationFailed) as refused:
        create_case(
            actor=supervisor,
            defendant=person,
            docket_number="CRI-1",
            court="SF",
            filing_date=None,
            charges=[NewCharge("HS 11351", "felony"), NewCharge("count two", "felony")],
        )
    assert "charges[2].statute_code" in refused.value.problems
    assert (Case.objects.count(), Charge.objects.count(), new_events().count()) == (0, 0, 0)


def test_duplicate_docket_and_booking_are_refused(supervisor: Any, new_events: Any) -> None:
    existing = ArrestFactory(agency="SFPD", booking_number="25000001")
    with pytest.raises(ValidationFailed, match="already exists"):
        create_case(
            actor=supervisor,
            defendant=PersonFactory(),
            docket_number=existing.case.docket_number,
            court="SF",
            filing_date=None,
        )
    with pytest.raises(ValidationFailed, match="already recorded"):
        create_case(
            actor=supervisor,
            defendant=PersonFactory(),
            docket_number="CRI-NEW",
            court="SF",
            filing_date=None,
            arrest=NewArrest(dt.date(2025, 1, 1), "SFPD", "25000001"),
        )
    assert Case.objects.count() == 1
    assert new_events().count() == 0


def test_add_charge_takes_next_count_and_checks_version(case_manager: Any, supervisor: Any) -> None:
    case = assign(CaseFactory(), case_manager)
    add_charge(
        actor=case_manager,
        case=case,
        expected_version=1,
        charge=NewCharge("PC 12022(a)(1)", "felony"),
    )
    with pytest.raises(ConcurrentEdit):
        add_charge(
            actor=supervisor,
            case=case,
            expected_version=1,
            charge=NewCharge("PC 186.22(b)", "felony"),
        )
    assert list(case.charges.values_list("count_number", "statute_code")) == [(1, "PC 12022(a)(1)")]
    case.refresh_from_db()
    assert case.row_version == 2


def test_update_case_changes_fields_and_refuses_a_stale_version(
    case_manager: Any, supervisor: Any
) -> None:
    case = assign(CaseFactory(court="SF Superior", external_case_number=""), case_manager)
    update_case(actor=case_manager, case=case, expected_version=1, court=" Alameda ", status="open")
    case.refresh_from_db()
    assert (case.court, case.row_version) == ("Alameda", 2)
    event = AuditEvent.objects.get(action="case.updated")
    assert event.changes == {"court": ["SF Superior", "Alameda"]}
    before = AuditEvent.objects.count()
    with pytest.raises(ConcurrentEdit):
        update_case(actor=supervisor, case=case, expected_version=1, court="Marin")
    with pytest.raises(ValidationFailed) as refused:
        update_case(actor=case_manager, case=case, expected_version=2, court="", colour="red")
    assert refused.value.problems == {"colour": "not a case field"}
    with pytest.raises(ValidationFailed) as refused:
        update_case(actor=case_manager, case=case, expected_version=2, court="  ")
    assert refused.value.problems == {"court": "required"}
    case.refresh_from_db()
    assert (case.court, case.row_version, AuditEvent.objects.count()) == ("Alameda", 2, before)


def test_update_case_without_a_change_writes_nothing(case_manager: Any) -> None:
    case = assign(CaseFactory(court="SF"), case_manager)
    update_case(actor=case_manager, case=case, expected_version=1, court="SF")
    case.refresh_from_db()
    assert (case.row_version, AuditEvent.objects.filter(action="case.updated").count()) == (1, 0)


def test_change_status_is_audited(case_manager: Any) -> None:
    case = assign(CaseFactory(status="open"), case_manager)
    change_case_status(actor=case_manager, case=case, expected_version=1, status="diverted")
    case.refresh_from_db()
    assert case.status == "diverted"
    assert AuditEvent.objects.get(action="case.status_changed").changes == {
        "status": ["open", "diverted"]
    }


def test_prior_record_keeps_unknowns_blank(case_manager: Any) -> None:
    person = assign(CaseFactory(), case_manager).defendant
    prior = record_prior_record(
        actor=case_manager,
        person=person,
        record_type="conviction",
        event_date=None,
        level="",
        statute_code="",
        jurisdiction="NV",
        source="NV rap sheet",
    )
    assert (prior.event_date, prior.level, prior.statute_code, prior.category) == (None, "", "", "")
    with pytest.raises(ValidationFailed) as refused:
        record_prior_record(
            actor=case_manager,
            person=person,
            record_type="rumour",
            event_date=None,
            level="felony?",
            statute_code="PC 211",
            jurisdiction="CA",
            source="x",
            category="bad",
        )
    assert set(refused.value.problems) == {"record_type", "level", "category"}
    assert PriorRecord.objects.count() == 1


def test_create_case_with_a_new_person_placed_in_the_actors_program(
    case_manager: Any, new_events: Any
) -> None:
    from ontrack.cases.selectors import visible_cases
    from ontrack.cases.tests.factories import program_with
    from ontrack.people.models import Person
    from ontrack.people.services import NewPerson

    mine = program_with(case_manager, slug="back-on-track")
    theirs = program_with(slug="elsewhere")
    new = NewPerson("Rosa", "Ibarra", fields={"date_of_birth": dt.date(2001, 2, 3)})
    with pytest.raises(ValidationFailed) as refused:
        create_case(
            actor=case_manager, defendant=new, docket_number="CRI-9", court="SF",
            filing_date=None, program=theirs,
        )  # fmt: skip
    assert refused.value.problems == {"program": "you are not a member of Elsewhere"}
    assert (Person.objects.count(), Case.objects.count(), new_events().count()) == (0, 0, 0)
    case = create_case(
        actor=case_manager, defendant=new, docket_number="CRI-9", court="SF",
        filing_date=None, program=mine,
    )  # fmt: skip
    assert (case.defendant.full_name, case.defendant.date_of_birth) == (
        "Rosa Ibarra",
        dt.date(2001, 2, 3),
    )
    assert (case.program_id, case.case_manager_id) == (mine.pk, None)
    assert list(visible_cases(actor=case_manager)) == [case]
    assert [e.action for e in new_events().order_by("id")] == ["person.created", "case.created"]
