"""Charges over the API (by charge id, versioned by the case) and a person's criminal
history (versioned by the person): 409 for a stale version, 422 for a refusal, nothing
changed either time, audit trail included."""

from __future__ import annotations

from typing import Any

import pytest

from ontrack.api.tests.helpers import Api, token_for
from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case, Charge, PriorCountSummary, PriorRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(supervisor: Any) -> Api:
    return Api(token_for(supervisor))


def _case(api: Api) -> dict[str, Any]:
    person = api.post("people", {"given_name": "Ana", "family_name": "Ruiz"}).json()
    made = api.post("cases", {"defendant": person["id"], "docket_number": "CRI-2026-000777",
                              "court": "SF", "charges": [{"statute_code": "HS 11351",
                              "level": "felony"}]})  # fmt: skip
    assert made.status_code == 201, made.content
    return dict(made.json())


def _state() -> tuple[Any, ...]:
    charges = list(Charge.objects.order_by("pk").values_list("count_number", "statute_code"))
    return (charges, list(Case.objects.values_list("row_version", flat=True)),
            AuditEvent.objects.count(), PriorRecord.objects.count(),
            PriorCountSummary.objects.count())  # fmt: skip


def test_charges_are_added_changed_and_removed_by_id_with_the_case_version(api: Api) -> None:
    case = _case(api)
    first = case["charges"][0]["id"]
    added = api.post(f"cases/{case['id']}/charges", {"version": 1, "statute_code": "PC 459",
                                                     "level": "misdemeanor"})  # fmt: skip
    assert added.status_code == 201, added.content
    assert [(c["count_number"], c["statute_code"]) for c in added.json()["charges"]] == [
        (1, "HS 11351"), (2, "PC 459")]  # fmt: skip
    assert added.json()["version"] == 2
    changed = api.patch(f"cases/{case['id']}/charges/{first}",
                        {"version": 2, "disposition": "dismissed"})  # fmt: skip
    assert changed.status_code == 200, changed.content
    assert (changed.json()["version"], changed.json()["charges"][0]["disposition"]) == (
        3, "dismissed")  # fmt: skip
    removed = api.delete(f"cases/{case['id']}/charges/{first}", {"version": 3})
    assert removed.status_code == 200, removed.content
    assert [c["count_number"] for c in removed.json()["charges"]] == [2]  # numbers kept
    assert removed.json()["version"] == 4


def test_a_stale_or_refused_charge_write_changes_nothing(api: Api) -> None:
    case = _case(api)
    first = case["charges"][0]["id"]
    before = _state()
    stale = [
        api.post(f"cases/{case['id']}/charges", {"version": 9, "level": "felony",
                                                 "statute_code": "PC 459"}),
        api.patch(f"cases/{case['id']}/charges/{first}", {"version": 9, "description": "x"}),
        api.patch(f"cases/{case['id']}/charges/{first}", {"version": 9}),  # a no-op, still stale
        api.delete(f"cases/{case['id']}/charges/{first}", {"version": 9}),
    ]  # fmt: skip
    assert [r.status_code for r in stale] == [409, 409, 409, 409]
    refused = api.patch(f"cases/{case['id']}/charges/{first}",
                        {"version": 1, "offense_date": "2999-01-01"})  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"offense_date": "is in the future"}
    assert api.delete(f"cases/{case['id']}/charges/999999", {"version": 1}).status_code == 404
    assert _state() == before


def test_history_checks_and_prior_records_with_the_person_version(api: Api) -> None:
    person = api.post("people", {"given_name": "Ana", "family_name": "Ruiz"}).json()
    url = f"people/{person['id']}"
    check = api.post(f"{url}/history-checks", {"version": 1, "source": "CA DOJ",
                                               "as_of": "2026-03-02", "total": None})  # fmt: skip
    assert check.status_code == 201, check.content
    assert check.json() == {"id": check.json()["id"], "source": "CA DOJ", "as_of": "2026-03-02",
                            "total": None, "juvenile_felonies": None,
                            "juvenile_misdemeanors": None, "person_version": 2}  # fmt: skip
    prior = api.post(f"{url}/prior-records", {"version": 2, "record_type": "conviction",
                     "event_date": "2019-06-01", "level": "misdemeanor",
                     "statute_code": "PC 484", "jurisdiction": "Alameda",
                     "source": "CA DOJ"})  # fmt: skip
    assert prior.status_code == 201, prior.content
    assert (prior.json()["statute_code"], prior.json()["person_version"]) == ("PC 484", 3)
    listed = api.get(f"{url}/prior-records").json()
    assert [(p["record_type"], p["event_date"]) for p in listed["results"]] == [
        ("conviction", "2019-06-01")]  # fmt: skip
    checks = api.get(f"{url}/history-checks").json()
    assert [(c["source"], c["total"]) for c in checks["results"]] == [("CA DOJ", None)]
    assert api.get(url).json()["version"] == 3


def test_a_stale_or_refused_history_write_changes_nothing(api: Api) -> None:
    person = api.post("people", {"given_name": "Ana", "family_name": "Ruiz"}).json()
    url = f"people/{person['id']}"
    before = _state()
    stale = api.post(f"{url}/history-checks",
                     {"version": 5, "source": "CA DOJ", "as_of": None, "total": 0})  # fmt: skip
    assert stale.status_code == 409
    stale_prior = api.post(f"{url}/prior-records", {"version": 5, "record_type": "arrest",
                           "event_date": None, "level": "", "statute_code": "",
                           "jurisdiction": "SF", "source": "x"})  # fmt: skip
    assert stale_prior.status_code == 409
    future = {"version": 1, "source": "CA DOJ", "as_of": "2999-01-01", "total": 0}
    refused = api.post(f"{url}/history-checks", future)
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"as_of": "is in the future"}
    assert _state() == before
    assert api.get(url).json()["version"] == 1


def test_possible_duplicates_name_the_same_birth_date_and_a_similar_name(api: Api) -> None:
    one = api.post("people", {"given_name": "Eric", "family_name": "Garcia",
                              "date_of_birth": "1991-03-07"}).json()  # fmt: skip
    two = api.post("people", {"given_name": "Erik", "family_name": "Garcia",
                              "date_of_birth": "1991-03-07"}).json()  # fmt: skip
    api.post("people", {"given_name": "Eric", "family_name": "Garcia",
                        "date_of_birth": "1980-01-01"})  # fmt: skip
    found = api.get(f"people/{one['id']}/possible-duplicates").json()
    assert [m["id"] for m in found["results"]] == [two["id"]]
    matches = api.get("people/possible-matches", given_name="Eric", family_name="Garcia",
                      date_of_birth="1991-03-07").json()  # fmt: skip
    assert matches["results"][0]["id"] == one["id"]
    assert api.get("people/possible-matches", given_name="Eric").status_code == 400
