"""Every writer of people and cases keeps the search keys current: a record written through
it is found at once (ADR 0044)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from ontrack.cases import services as case_services
from ontrack.cases.models import Case
from ontrack.imports.services import import_caseload
from ontrack.imports.tests.test_hostile_input import csv_bytes, row
from ontrack.people import services as people_services
from ontrack.people.models import Person, PersonSearchKey
from ontrack.people.services import NewIdentifier
from ontrack.search.selectors import search
from ontrack.synth.generate import generate
from ontrack.synth.load import load_caseload

pytestmark = pytest.mark.django_db


def found(actor: Any, q: str) -> list[tuple[str, int]]:
    return [(h.type, h.id) for h in search(actor=actor, q=q).hits]


def test_people_services_keep_the_keys(supervisor: Any) -> None:
    person = people_services.create_person(
        actor=supervisor,
        given_name="Ana María",
        family_name="Núñez-Reyes",
        date_of_birth=dt.date(1999, 4, 1),
        identifiers=[NewIdentifier("state_id", "CA", "A-555-01")],
        aliases=[("Annie", "Smythe")],
    )
    for q in ("nunez", "Reyes, Ana", "maria", "4/1/1999", "A55501", "Smythe"):
        assert found(supervisor, q) == [("person", person.pk)], q
    person = people_services.update_person(
        actor=supervisor, person=person, expected_version=person.row_version, family_name="Ortiz"
    )
    assert found(supervisor, "nunez") == []
    assert found(supervisor, "ortiz") == [("person", person.pk)]
    people_services.add_identifier(
        actor=supervisor, person=person, identifier=NewIdentifier("fbi", "FBI", "77-Z")
    )
    assert found(supervisor, "77z") == [("person", person.pk)]


def test_the_edit_forms_services_keep_the_keys(supervisor: Any) -> None:
    """Aliases and identifiers added and removed on the person form (issue 9, item 2)."""
    person = people_services.create_person(
        actor=supervisor, given_name="Tomas", family_name="Ilunga",
        identifiers=[NewIdentifier("local_id", "SFSO", "LX-4411")],
    )  # fmt: skip
    alias = people_services.add_alias(
        actor=supervisor, person=person, expected_version=1, family_name="Kabasele"
    )
    assert found(supervisor, "Kabasele") == [("person", person.pk)]
    people_services.remove_alias(
        actor=supervisor, person=person, alias_id=alias.pk, expected_version=2
    )
    assert found(supervisor, "Kabasele") == []
    ident = person.identifiers.get()
    assert found(supervisor, "LX4411") == [("person", person.pk)]
    people_services.remove_identifier(
        actor=supervisor, person=person, identifier_id=ident.pk, expected_version=3
    )
    assert found(supervisor, "LX4411") == []
    assert found(supervisor, "Ilunga") == [("person", person.pk)]


def test_case_services_keep_the_keys(supervisor: Any) -> None:
    person = people_services.create_person(actor=supervisor, given_name="Bo", family_name="Li")
    case = case_services.create_case(
        actor=supervisor,
        defendant=person,
        docket_number="CRI-2026-4242",
        court="SF",
        filing_date=None,
    )
    assert found(supervisor, "cri20264242") == [("case", case.pk)]
    case = case_services.update_case(
        actor=supervisor,
        case=case,
        expected_version=case.row_version,
        external_case_number="OAK/19-88",
    )
    assert found(supervisor, "oak1988") == [("case", case.pk)]


def test_an_import_keeps_the_keys(tmp_path: Path, supervisor: Any) -> None:
    first = tmp_path / "first.csv"
    first.write_bytes(
        csv_bytes(
            [
                row(
                    person_id="9",
                    given_name="José",
                    family_name="O'Connor",
                    state_id="A-9090",
                    docket_number="CRI-2026-000777",
                )
            ]
        )
    )
    import_caseload(actor=supervisor, path=first, profile_name="ontrack")
    person = Person.objects.get()
    case = Case.objects.get()
    assert found(supervisor, "jose oconnor") == [("person", person.pk)]
    assert found(supervisor, "A9090") == [("person", person.pk)]
    assert found(supervisor, "CRI2026000777") == [("case", case.pk)]
    # A re-import that renames the person updates them (the ORM path): found by the new name.
    second = tmp_path / "second.csv"
    second.write_bytes(
        csv_bytes(
            [
                row(
                    person_id="9",
                    given_name="José",
                    family_name="Whitfield",
                    state_id="A-9090",
                    docket_number="CRI-2026-000777",
                )
            ]
        )
    )
    import_caseload(actor=supervisor, path=second, profile_name="ontrack")
    assert found(supervisor, "oconnor") == []
    assert found(supervisor, "jose whitfield") == [("person", person.pk)]


def test_the_synthetic_loader_keeps_the_keys(system: Any, supervisor: Any) -> None:
    load_caseload(actor=system, frames=generate(40, 5, today=dt.date(2026, 11, 30)), seed=5)
    assert PersonSearchKey.objects.values("person").distinct().count() == Person.objects.count()
    person = Person.objects.exclude(family_name="").exclude(date_of_birth=None).order_by("pk")[0]
    q = f"{person.family_name} {person.given_name} {person.date_of_birth}"
    assert ("person", person.pk) in found(supervisor, q)
    assert search(actor=supervisor, q=q).hits[0].score == 1.0
    case = Case.objects.order_by("pk")[0]
    assert ("case", case.pk) in found(supervisor, (case.docket_number or "").replace("-", ""))
