"""Errors as problem documents (RFC 9457, ADR 0055): 400 for a body that does not match the
schema, 422 for one the rules refuse (per-field ``errors``), 404 one body, nothing changed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ontrack.api.tests.helpers import Api, token_for
from ontrack.audit.models import AuditEvent
from ontrack.people.models import Person
from ontrack.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(supervisor: Any) -> Api:
    return Api(token_for(supervisor))


def _unchanged() -> tuple[int, int]:
    return Person.objects.count(), AuditEvent.objects.count()


def test_a_body_of_the_wrong_shape_is_a_400_naming_the_fields(api: Api) -> None:
    before = _unchanged()
    response = api.post("people", {"given_name": "Ana", "family_name": ["Ruiz"], "sex": "unknown",
                                   "date_of_birth": "3/7/1991"})  # fmt: skip
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    doc = response.json()
    assert doc["type"] == "https://ontrack.invalid/problems/bad-request"
    assert (doc["status"], doc["instance"]) == (400, "/api/v1/people")
    assert sorted(doc["errors"]) == ["date_of_birth", "family_name", "sex"]
    assert _unchanged() == before


def test_nested_field_errors_are_named_by_path(api: Api) -> None:
    person = PersonFactory()
    response = api.post(
        "cases",
        {
            "defendant": person.pk,
            "docket_number": "CRI-1",
            "court": "SF",
            "charges": [{"level": "felony"}, {"level": "capital"}],
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"charges[1].level": '"capital" is not a valid choice.'}


def test_json_that_does_not_parse_is_a_400(api: Api) -> None:
    response = api.client.post(
        "/api/v1/people", data="{not json", content_type="application/json", headers=api.headers
    )
    assert response.status_code == 400
    assert response.json()["title"] == "Malformed request."


def test_a_well_formed_body_the_rules_refuse_is_a_422_with_field_errors(api: Api) -> None:
    before = _unchanged()
    response = api.post("people", {"given_name": " ", "family_name": "Ruiz",
                                   "date_of_birth": "2999-01-01"})  # fmt: skip
    assert response.status_code == 422
    doc = response.json()
    assert doc["errors"] == {"given_name": "required", "date_of_birth": "is in the future"}
    assert doc["type"] == "https://ontrack.invalid/problems/invalid"
    assert _unchanged() == before


def test_an_unknown_policy_and_a_person_one_cannot_use_are_422(api: Api) -> None:
    response = api.post("cases", {"defendant": 999_999, "docket_number": "CRI-9", "court": "SF"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"defendant": "no such person, or you may not see them"}


def test_patch_identifiers_and_aliases_is_the_list_after_the_change(api: Api) -> None:
    created = api.post("people", {"given_name": "Ana", "family_name": "Ruiz", "identifiers": [
        {"id_type": "state_id", "issuer": "CA", "value": "A1"}],
        "aliases": [{"given_name": "Annie", "family_name": "Ruiz"}]}).json()  # fmt: skip
    changed = api.patch(f"people/{created['id']}", {"version": 1, "city": "Oakland",
        "identifiers": [{"id_type": "fbi", "issuer": "FBI", "value": "F9"}],
        "aliases": [{"family_name": "Ruiz-Paz", "kind": "maiden"}]})  # fmt: skip
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["identifiers"] == [{"id_type": "fbi", "issuer": "FBI", "value": "F9"}]
    assert body["aliases"] == [{"given_name": "", "family_name": "Ruiz-Paz", "kind": "maiden"}]
    # One audited change each (city, identifier removed and added, alias removed and added).
    assert (body["city"], body["version"]) == ("Oakland", 6)
    actions = AuditEvent.objects.filter(
        object_type="people.person", object_id=str(created["id"])
    ).order_by("id")
    assert [a.action for a in actions][1:] == [
        "person.updated", "person.identifier_removed", "person.identifier_added",
        "person.alias_removed", "person.alias_added",
    ]  # fmt: skip


def test_a_refused_identifier_rolls_back_the_whole_patch(api: Api) -> None:
    other = api.post("people", {"given_name": "Bo", "family_name": "Lee", "identifiers": [
        {"id_type": "fbi", "issuer": "FBI", "value": "F9"}]}).json()  # fmt: skip
    created = api.post("people", {"given_name": "Ana", "family_name": "Ruiz", "identifiers": [
        {"id_type": "state_id", "issuer": "CA", "value": "A1"}]}).json()  # fmt: skip
    before = _unchanged()
    response = api.patch(f"people/{created['id']}", {"version": 1, "city": "Oakland",
        "identifiers": [{"id_type": "fbi", "issuer": "FBI", "value": "F9"}]})  # fmt: skip
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["identifier"]
    assert _unchanged() == before
    person = Person.objects.get(pk=created["id"])
    assert (person.city, person.row_version) == ("", 1)  # the city change rolled back too
    assert [i.value for i in person.identifiers.all()] == ["A1"]  # and the removal
    assert other["id"] != created["id"]


def test_not_found_is_one_fixed_document(api: Api) -> None:
    response = api.get("cases/424242")
    assert response.status_code == 404
    assert json.loads(response.content) == {
        "type": "https://ontrack.invalid/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "There is no such record, or you may not see it.",
        "instance": "/api/v1/cases/424242",
    }


def test_a_stale_patch_adding_only_an_identifier_is_a_409_and_adds_nothing(api: Api) -> None:
    created = api.post("people", {"given_name": "Ana", "family_name": "Ruiz"}).json()
    assert (
        api.patch(f"people/{created['id']}", {"version": 1, "city": "Oakland"}).status_code == 200
    )
    before = (_unchanged(), list(Person.objects.get(pk=created["id"]).identifiers.all()))
    stale = api.patch(f"people/{created['id']}", {"version": 1, "identifiers": [
        {"id_type": "fbi", "issuer": "FBI", "value": "F9"}]})  # fmt: skip
    assert stale.status_code == 409
    assert (_unchanged(), list(Person.objects.get(pk=created["id"]).identifiers.all())) == before
