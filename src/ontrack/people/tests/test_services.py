"""Service tests for people: exact results, exact audit rows, and nothing changed on refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ontrack.audit.models import AuditEvent
from ontrack.common.errors import ConcurrentEdit, ValidationFailed
from ontrack.common.services import Forbidden
from ontrack.people.models import Person, PersonIdentifier
from ontrack.people.services import NewIdentifier, add_identifier, create_person, update_person
from ontrack.people.tests.factories import PersonFactory, PersonIdentifierFactory


def test_create_person_with_identifier_and_alias(case_manager: Any) -> None:
    person = create_person(
        actor=case_manager,
        given_name="Luis",
        family_name="Ortega",
        date_of_birth=dt.date(1999, 2, 28),
        identifiers=[NewIdentifier("state_id", "CA", "A00000042")],
        aliases=[("Lucho", "Ortega")],
    )
    assert Person.objects.get().full_name == "Luis Ortega"
    assert [(i.id_type, i.issuer, i.value) for i in person.identifiers.all()] == [
        ("state_id", "CA", "A00000042")
    ]
    event = AuditEvent.objects.get(action="person.created")
    assert event.details == {"identifiers": ["state_id:CA:A00000042"], "aliases": ["Lucho Ortega"]}
    assert event.changes["date_of_birth"] == [None, "1999-02-28"]


def test_the_same_alias_twice_is_refused_by_name_and_nothing_is_written(case_manager: Any) -> None:
    # Found by schemathesis through POST /api/v1/people: it used to be a database error (500).
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        create_person(
            actor=case_manager, given_name="Luis", family_name="Ortega",
            aliases=[("Lucho", "Ortega"), ("Lu", "Ortega"), ("Lucho", "Ortega")],
        )  # fmt: skip
    assert refused.value.problems == {"aliases[2]": "this alias is already given above"}
    assert (Person.objects.count(), AuditEvent.objects.count()) == (0, audit_rows)


def test_unknown_date_of_birth_stays_unknown(case_manager: Any) -> None:
    person = create_person(actor=case_manager, given_name="Ana", family_name="Diaz")
    assert person.date_of_birth is None
    assert person.sex == ""


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"given_name": " ", "family_name": "Diaz"}, "given_name"),
        ({"given_name": "Ana", "family_name": ""}, "family_name"),
        (
            {"given_name": "Ana", "family_name": "Diaz", "date_of_birth": dt.date(2999, 1, 1)},
            "date_of_birth",
        ),
        ({"given_name": "Ana", "family_name": "Diaz", "sex": "x"}, "sex"),
        (
            {"given_name": "Ana", "family_name": "Diaz", "favourite_colour": "red"},
            "favourite_colour",
        ),
    ],
)
def test_invalid_person_is_refused_and_nothing_is_written(
    case_manager: Any, kwargs: dict[str, Any], field: str, new_events: Any
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create_person(actor=case_manager, **kwargs)
    assert field in refused.value.problems
    assert Person.objects.count() == 0
    assert new_events().count() == 0


def test_identifier_belongs_to_one_person(case_manager: Any, new_events: Any) -> None:
    PersonIdentifierFactory(id_type="state_id", issuer="CA", value="A12345678")
    with pytest.raises(ValidationFailed, match="already recorded for another person"):
        create_person(
            actor=case_manager,
            given_name="Ana",
            family_name="Diaz",
            identifiers=[NewIdentifier("state_id", "CA", "A12345678")],
        )
    assert Person.objects.count() == 1  # only the factory's person
    assert PersonIdentifier.objects.count() == 1
    assert new_events().count() == 0


def test_same_value_of_another_type_is_allowed(supervisor: Any) -> None:
    PersonIdentifierFactory(id_type="state_id", issuer="CA", value="12345")
    person = PersonFactory()
    add_identifier(
        actor=supervisor, person=person, identifier=NewIdentifier("local_id", "SFSO", "12345")
    )
    assert PersonIdentifier.objects.filter(value="12345").count() == 2


def test_update_person_records_before_and_after(supervisor: Any) -> None:
    person = PersonFactory(city="San Francisco", phone="")
    update_person(
        actor=supervisor,
        person=person,
        expected_version=1,
        city="Daly City",
        phone="(415) 555-0100",
    )
    person.refresh_from_db()
    assert (person.city, person.phone, person.row_version) == ("Daly City", "(415) 555-0100", 2)
    event = AuditEvent.objects.get(action="person.updated")
    assert event.changes == {
        "city": ["San Francisco", "Daly City"],
        "phone": ["", "(415) 555-0100"],
    }


def test_stale_edit_is_refused_and_changes_nothing(supervisor: Any) -> None:
    person = PersonFactory(city="San Francisco")
    update_person(actor=supervisor, person=person, expected_version=1, city="Oakland")
    # The same editor from a second, stale page is refused like anyone else.
    with pytest.raises(ConcurrentEdit, match="changed by someone else since version 1"):
        update_person(actor=supervisor, person=person, expected_version=1, city="Richmond")
    person.refresh_from_db()
    assert (person.city, person.row_version) == ("Oakland", 2)
    assert AuditEvent.objects.filter(action="person.updated").count() == 1


def test_no_op_update_writes_nothing(supervisor: Any, new_events: Any) -> None:
    person = PersonFactory(city="Oakland")
    update_person(actor=supervisor, person=person, expected_version=1, city="Oakland")
    person.refresh_from_db()
    assert person.row_version == 1
    assert new_events().count() == 0


@pytest.mark.parametrize("role", ["analyst", "auditor", "administrator"])
def test_roles_without_write_permission_are_refused(
    role: str, request: Any, new_events: Any
) -> None:
    actor = request.getfixturevalue(role)
    with pytest.raises(Forbidden):
        create_person(actor=actor, given_name="Ana", family_name="Diaz")
    assert Person.objects.count() == 0
    assert new_events().count() == 0
