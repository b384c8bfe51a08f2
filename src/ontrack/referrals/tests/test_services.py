"""take_referral: the referral, its person (new or on file) and its case, in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import make_user

from ontrack.cases.models import Case, Charge
from ontrack.cases.selectors import visible_cases
from ontrack.cases.services import NewCharge
from ontrack.cases.tests.factories import CaseFactory, assign, program_with
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import Forbidden
from ontrack.people.models import Person, PersonIdentifier
from ontrack.people.services import NewIdentifier, NewPerson
from ontrack.people.tests.factories import PersonFactory
from ontrack.programs.models import Program
from ontrack.referrals.models import Referral
from ontrack.referrals.services import take_referral

pytestmark = pytest.mark.django_db

NEW = NewPerson(
    "Marisol",
    "Quintero",
    (NewIdentifier("state_id", "CA", "A1234567"),),
    {"date_of_birth": dt.date(2003, 5, 17)},
)


def _take(actor: Any, **overrides: Any) -> Referral:
    arguments: dict[str, Any] = {
        "actor": actor,
        "source": "police",
        "referral_date": dt.date(2025, 3, 3),
        "referrer_name": "Officer Dana Lee",
        "referrer_agency": "SFPD Bayview",
        "referrer_contact": "415-555-0100",
        "notes": "First arrest; asks about the jobs program.",
        "person": None,
        "new_person": NEW,
        "docket_number": "CRI-2025-900001",
        "court": "San Francisco Superior Court",
        "filing_date": dt.date(2025, 3, 4),
        "charges": [
            NewCharge("HS 11351", "", offense_date=dt.date(2025, 3, 1)),
            NewCharge("PC 148(a)(1)", "misdemeanor", description="Resisting an officer"),
        ],
    }
    return take_referral(**{**arguments, **overrides})


def _everything() -> tuple[int, ...]:
    from ontrack.audit.models import AuditEvent

    return (
        Person.objects.count(),
        PersonIdentifier.objects.count(),
        Case.objects.count(),
        Charge.objects.count(),
        Referral.objects.count(),
        AuditEvent.objects.count(),
        Program.objects.count(),
    )


def test_a_new_person_and_case_placed_in_the_case_managers_program(
    case_manager: Any, catalog: None, new_events: Any
) -> None:
    program = program_with(case_manager)
    referral = _take(case_manager)

    person = Person.objects.get()
    assert (person.given_name, person.family_name, person.date_of_birth) == (
        "Marisol",
        "Quintero",
        dt.date(2003, 5, 17),
    )
    assert list(person.identifiers.values_list("id_type", "issuer", "value")) == [
        ("state_id", "CA", "A1234567")
    ]
    case = Case.objects.get()
    # In the program's intake queue, unassigned (ADR 0059), so its taker still sees it.
    assert (case.program_id, case.case_manager_id, case.defendant_id) == (
        program.pk,
        None,
        person.pk,
    )
    assert list(visible_cases(actor=case_manager)) == [case]
    # The catalog completed count 1 (no level or description typed); count 2 as typed.
    charges = case.charges.values_list("count_number", "statute_code", "level", "description")
    assert list(charges) == [
        (1, "HS 11351", "felony",
         "Possession or purchase for sale of a narcotic controlled substance"),
        (2, "PC 148(a)(1)", "misdemeanor", "Resisting an officer"),
    ]  # fmt: skip
    assert (
        referral.source,
        referral.referral_date,
        referral.referrer_name,
        referral.referrer_agency,
        referral.referrer_contact,
        referral.notes,
        referral.person_id,
        referral.case_id,
        referral.linked_existing_person,
        referral.taken_by_id,
    ) == (
        "police",
        dt.date(2025, 3, 3),
        "Officer Dana Lee",
        "SFPD Bayview",
        "415-555-0100",
        "First arrest; asks about the jobs program.",
        person.pk,
        case.pk,
        False,
        case_manager.pk,
    )
    events = list(new_events().order_by("id"))
    assert [e.action for e in events] == ["person.created", "case.created", "referral.taken"]
    assert events[1].changes["program_id"] == [None, program.pk]
    assert events[2].details == {"person": "new person", "program": "back-on-track"}
    assert events[2].changes["source"] == [None, "police"]
    assert {e.actor_id for e in events} == {case_manager.pk}


def test_a_person_on_file_is_linked_not_created(
    case_manager: Any, catalog: None, new_events: Any
) -> None:
    existing = assign(CaseFactory(docket_number="CRI-2024-000007"), case_manager)
    people = Person.objects.count()
    referral = _take(case_manager, person=existing.defendant, new_person=None)
    assert Person.objects.count() == people
    case = referral.case
    assert (case.defendant_id, case.program_id, case.case_manager_id) == (
        existing.defendant_id,
        existing.program_id,
        None,
    )
    assert referral.linked_existing_person is True
    assert [e.action for e in new_events().order_by("id")] == ["case.created", "referral.taken"]


def test_a_refusal_changes_nothing_audit_included(case_manager: Any, catalog: None) -> None:
    program_with(case_manager)
    CaseFactory(docket_number="CRI-2025-900001")
    before = _everything()
    # The person would be created first; the duplicate docket then refuses it all.
    with pytest.raises(ValidationFailed) as refused:
        _take(case_manager)
    assert refused.value.problems == {"docket_number": "CRI-2025-900001 already exists"}
    assert _everything() == before
    # A bad second charge, after person, case and first charge were written: all undone.
    with pytest.raises(ValidationFailed) as refused:
        _take(
            case_manager,
            docket_number="CRI-2025-900002",
            charges=[NewCharge("HS 11351", "felony"), NewCharge("count two", "felony")],
        )
    assert set(refused.value.problems) == {"charges[2].statute_code"}
    assert _everything() == before


def test_an_invisible_person_is_not_found_and_nothing_is_written(
    case_manager: Any, catalog: None
) -> None:
    colleague = make_user("case_manager", "colleague")
    program = program_with(case_manager, colleague)
    hidden = assign(CaseFactory(), colleague, program)
    caseless = PersonFactory()  # visible only to those who see every program
    before = _everything()
    for person in (hidden.defendant, caseless):
        with pytest.raises(NotFound):
            _take(case_manager, person=person, new_person=None)
    assert _everything() == before


def test_placement_rules(case_manager: Any, supervisor: Any, catalog: None) -> None:
    before = _everything()
    with pytest.raises(ValidationFailed) as refused:
        _take(case_manager)  # in no program: the case would vanish from its taker
    assert refused.value.problems == {
        "program": "you are not a member of any program: ask an administrator"
    }
    first = program_with(case_manager, slug="back-on-track")
    second = program_with(case_manager, slug="young-adult-court")
    elsewhere = program_with(slug="elsewhere")
    before = _everything()
    with pytest.raises(ValidationFailed) as refused:
        _take(case_manager)
    assert refused.value.problems == {"program": "choose the program the referral is for"}
    with pytest.raises(ValidationFailed) as refused:
        _take(case_manager, program=elsewhere)
    assert refused.value.problems == {"program": "you cannot take referrals into Elsewhere"}
    assert _everything() == before
    assert _take(case_manager, program=second).case.program == second
    # A supervisor sees every program: may place in any, and must choose among them.
    other = NewPerson("Tomas", "Reyes")
    referral = _take(supervisor, program=first, docket_number="CRI-2025-900003", new_person=other)
    assert referral.case.program == first


def test_a_code_with_more_than_one_level_needs_the_level(case_manager: Any, catalog: None) -> None:
    program_with(case_manager)
    before = _everything()
    with pytest.raises(ValidationFailed) as refused:
        # HS 11350(a) is a felony or, since Prop 47 (2014-11-05), a misdemeanor.
        _take(
            case_manager, charges=[NewCharge("HS 11350(a)", "", offense_date=dt.date(2025, 3, 1))]
        )
    assert refused.value.problems == {
        "charges[1].level": (
            "the catalog does not give one level for this code on that date: choose it"
        )
    }
    assert _everything() == before


def test_refusals_without_the_permission_or_with_bad_referral_facts(
    case_manager: Any, analyst: Any, catalog: None
) -> None:
    program_with(case_manager)
    someone = assign(CaseFactory(), case_manager).defendant
    before = _everything()
    with pytest.raises(Forbidden):
        _take(analyst)
    with pytest.raises(ValidationFailed) as refused:
        _take(
            case_manager,
            source="neighbour",
            referral_date=dt.date(2999, 1, 1),
            referrer_name="x" * 201,
            charges=[],
        )
    assert refused.value.problems == {
        "source": "choose who referred the person",
        "referral_date": "is in the future",
        "referrer_name": "at most 200 characters",
        "charges": "a case taken in at referral needs at least one charge",
    }
    with pytest.raises(ValidationFailed) as refused:
        _take(case_manager, person=someone)  # both a person and a new person
    assert refused.value.problems == {"person": "choose a person on file or confirm a new person"}
    assert _everything() == before
