"""CJIS AC-3/AC-6 over the API: every API URL that names a record, walked like the pages in
``test_visibility_walk.py``, with a token of an actor who may not see the record. Hidden and
missing get the same 404 body (403 for the case manager at a supervisor's endpoint, before
any lookup), and nothing changes, audit trail included. The lists and search leave hidden
records out."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import get_resolver
from django.urls.converters import IntConverter

from ontrack.api.tests.helpers import Api, token_for
from ontrack.common.tests.test_access import walk
from ontrack.eligibility.tests.helpers import POLICY
from tests.test_visibility_walk import World, _everything, make_world

pytestmark = pytest.mark.django_db

PRIOR = {"version": 1, "record_type": "arrest", "event_date": "2020-01-02", "level": "felony",
         "statute_code": "PC 459", "jurisdiction": "SF", "source": "walk"}  # fmt: skip

# Every method of every record URL, with a body its schema accepts: the refusal must not
# depend on bad input.
CALLS: dict[str, list[tuple[str, dict[str, Any] | None]]] = {
    "api:person": [("get", None), ("patch", {"version": 1, "city": "Oakland"})],
    "api:case": [("get", None), ("patch", {"version": 1, "court": "Oakland"})],
    "api:checks": [
        ("get", None),
        ("post", {"version": 1, "source": "walk", "as_of": "2026-11-30", "total": 0}),
    ],
    "api:priors": [
        ("get", None),
        ("post", PRIOR),
    ],
    "api:duplicates": [("get", None)],
    "api:charges": [("post", {"version": 1, "level": "felony", "statute_code": "PC 459"})],
    "api:charge": [("patch", {"version": 1, "description": "walk"}), ("delete", {"version": 1})],
    "api:screenings": [("post", {"policy": POLICY, "as_of": "2026-11-30"})],
    "api:facts": [
        ("post", {"fact": "work_authorization", "value": "not_authorized", "method": "walk"})
    ],
    "api:override": [
        ("post", {"result": "eligible", "reason": "walk"}),
        ("delete", {"version": 1, "reason": "walk"}),
    ],
}
SUPERVISORS_ONLY = {"api:override"}


def record_urls() -> dict[str, list[str]]:
    return {
        name: sorted(k for k, c in converters.items() if isinstance(c, IntConverter))
        for name, _view, converters in walk(get_resolver().url_patterns)
        if name.startswith("api:") and converters
    }


def test_every_api_record_url_is_walked() -> None:
    # The program at work's API URLs are walked in tests/test_program_visibility_walk.py.
    from tests.test_program_visibility_walk import API_CALLS

    assert set(record_urls()) == set(CALLS) | set(API_CALLS)


@pytest.fixture(params=["assignment", "sealed"])
def world(request: pytest.FixtureRequest, catalog: None) -> World:
    return make_world(request.param)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_an_api_record_url_is_the_same_404_for_hidden_and_missing(world: World, name: str) -> None:
    api = Api(token_for(world.actor))
    param = record_urls()[name][0]  # the record; a charge of it comes second
    hidden = {"case_id": world.hidden_case.pk, "person_id": world.hidden_person.pk}[param]
    missing = {"case_id": world.missing_case, "person_id": world.missing_person}[param]
    charge = world.hidden_case.charges.order_by("pk").values_list("pk", flat=True).first()
    path = {"api:person": "people/{}", "api:case": "cases/{}", "api:screenings":
            "cases/{}/screenings", "api:facts": "cases/{}/facts",
            "api:override": "cases/{}/override", "api:checks": "people/{}/history-checks",
            "api:priors": "people/{}/prior-records",
            "api:duplicates": "people/{}/possible-duplicates", "api:charges": "cases/{}/charges",
            "api:charge": f"cases/{{}}/charges/{charge}"}[name]  # fmt: skip
    before = _everything()
    expected = 403 if name in SUPERVISORS_ONLY and world.actor.username == "cm-a" else 404
    for method, body in CALLS[name]:
        answers = []
        for record in (hidden, missing):
            url = path.format(record)
            response = getattr(api, method)(url, body) if body else api.get(url)
            assert response.status_code == expected, (name, method, response.content)
            assert response["Content-Type"] == "application/problem+json"
            doc = response.json()
            assert doc.pop("instance") == f"/api/v1/{url}"
            answers.append(doc)
        assert answers[0] == answers[1], (name, method)
    assert _everything() == before


def test_api_lists_and_search_leave_hidden_records_out(world: World) -> None:
    api = Api(token_for(world.actor))
    people = api.get("people").json()
    cases = api.get("cases").json()
    assert [p["id"] for p in people["results"]] == [world.visible_case.defendant_id]
    assert people["count"] == 1
    assert [c["id"] for c in cases["results"]] == [world.visible_case.pk]
    assert cases["count"] == 1
    hits = api.get("search", q="Hiddenperson").json()
    assert (hits["count"], hits["results"]) == (0, [])
    hits = api.get("search", q=world.hidden_case.docket_number).json()
    assert (hits["count"], hits["results"]) == (0, [])
    seen = api.get("search", q=world.visible_case.docket_number).json()
    assert [(h["type"], h["id"]) for h in seen["results"]] == [("case", world.visible_case.pk)]
