"""Issue 9 item 6, done-when: the intake journey over the API, with documented endpoints only.

Look for the person first (possible matches: none), create them and a case, record the
criminal-history check (clean), screen (needs information), supply the missing facts (the
date of birth by PATCH, work authorization by POST facts), screen again (eligible), a
supervisor overrides and withdraws, and a stale PATCH is a 409 that changes nothing. No
ORM writes: every step is a documented endpoint, and every call is on the access stream, as
the token's user.
"""

from __future__ import annotations

import pytest
from conftest import make_user

from ontrack.api.tests.helpers import Api, token_for
from ontrack.audit.models import AccessEvent, AuditEvent
from ontrack.cases.models import Case
from ontrack.eligibility.tests.helpers import POLICY
from ontrack.people.models import Person

pytestmark = pytest.mark.django_db


def test_referral_to_decision_over_the_api(catalog: None, new_access) -> None:
    intake = make_user("supervisor", "intake-sup")
    deciding = make_user("supervisor", "deciding-sup")
    api, boss = Api(token_for(intake)), Api(token_for(deciding))
    calls = 0

    looked = api.get("people/possible-matches", given_name="Lupe", family_name="Arriaga")
    calls += 1
    assert looked.status_code == 200, looked.content
    assert looked.json() == {"count": 0, "next": None, "previous": None, "results": []}

    created = api.post("people", {"given_name": "Lupe", "family_name": "Arriaga",
                                  "identifiers": [{"id_type": "state_id", "issuer": "CA",
                                                   "value": "A1234567"}]})  # fmt: skip
    calls += 1
    assert created.status_code == 201, created.content
    person = created.json()
    assert person["date_of_birth"] is None  # not known, never a default
    assert person["version"] == 1
    assert person["identifiers"] == [{"id_type": "state_id", "issuer": "CA", "value": "A1234567"}]

    case = api.post("cases", {
        "defendant": person["id"], "docket_number": "CRI-2026-000901", "court": "SF Superior",
        "filing_date": "2026-03-02",
        "charges": [{"statute_code": "HS 11351", "level": "felony", "offense_date": "2026-03-01",
                     "weapon_alleged": False, "gang_alleged": False,
                     "near_school_alleged": False}],
    })  # fmt: skip
    calls += 1
    assert case.status_code == 201, case.content
    case_id = case.json()["id"]
    assert case.json()["charges"][0]["statute_code"] == "HS 11351"
    # The rap sheet came back clean: a check that found nothing (total 0), not "not checked".
    check = api.post(f"people/{person['id']}/history-checks", {
        "version": 1, "source": "CA DOJ", "as_of": "2026-03-02", "total": 0})  # fmt: skip
    calls += 1
    assert check.status_code == 201, check.content
    assert (check.json()["total"], check.json()["person_version"]) == (0, 2)
    priors = api.get(f"people/{person['id']}/prior-records")
    calls += 1
    assert priors.json() == {"count": 0, "next": None, "previous": None, "results": []}

    first = api.post(f"cases/{case_id}/screenings", {"policy": POLICY, "as_of": "2026-03-10"})
    calls += 1
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["result"] == "needs_information"
    assert body["policy"] == POLICY
    assert sorted(body["missing"]) == ["date_of_birth", "work_authorization"]
    assert body["decision_in_force"]["result"] == "needs_information"
    assert body["decision_in_force"]["override"] is None
    assert {"id", "status", "missing", "citation"} <= set(body["criteria"][0])

    patched = api.patch(f"people/{person['id']}", {"version": 2, "date_of_birth": "2001-05-04"})
    calls += 1
    assert patched.status_code == 200, patched.content
    assert (patched.json()["date_of_birth"], patched.json()["version"]) == ("2001-05-04", 3)
    duplicates = api.get(f"people/{person['id']}/possible-duplicates")
    calls += 1
    assert duplicates.json()["results"] == []

    fact = api.post(f"cases/{case_id}/facts", {"fact": "work_authorization", "value": "verified",
                                               "method": "I-9 documents reviewed",
                                               "document": "I-9 of 2026-03-09"})  # fmt: skip
    calls += 1
    assert fact.status_code == 201, fact.content
    assert fact.json()["value"] == "verified"

    second = api.post(f"cases/{case_id}/screenings", {"policy": POLICY, "as_of": "2026-03-10"})
    calls += 1
    assert second.status_code == 201, second.content
    assert (second.json()["result"], second.json()["missing"]) == ("eligible", [])
    assert second.json()["decision_in_force"]["result"] == "eligible"

    override = boss.post(
        f"cases/{case_id}/override",
        {"result": "ineligible", "reason": "Pending out-of-county hold"},
    )
    calls += 1
    assert override.status_code == 201, override.content
    assert override.json()["decision_in_force"]["result"] == "ineligible"
    assert override.json()["decision_in_force"]["override"] == override.json()["id"]

    withdrawn = boss.delete(
        f"cases/{case_id}/override",
        {"version": override.json()["version"], "reason": "Hold lifted"},
    )
    calls += 1
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["decision_in_force"]["result"] == "eligible"
    assert withdrawn.json()["withdrawal_reason"] == "Hold lifted"

    # A stale PATCH: version 1 was read before the check and the date of birth.
    events, before = AuditEvent.objects.count(), Person.objects.get(pk=person["id"])
    stale = api.patch(f"people/{person['id']}", {"version": 1, "city": "Oakland"})
    calls += 1
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    assert stale.json()["status"] == 409
    after = Person.objects.get(pk=person["id"])
    assert (after.city, after.row_version) == (before.city, 3)
    assert AuditEvent.objects.count() == events
    stale_case = api.patch(f"cases/{case_id}", {"version": 7, "court": "Oakland"})
    calls += 1
    assert stale_case.status_code == 409
    assert Case.objects.get(pk=case_id).court == "SF Superior"

    rows = list(new_access().exclude(action__startswith="signin"))
    assert [(r.action, r.username, r.status_code) for r in rows] == [
        ("api.people.matched", "intake-sup", 200),
        ("api.person.create", "intake-sup", 201),
        ("api.case.create", "intake-sup", 201),
        ("api.person.history_check", "intake-sup", 201),
        ("api.person.prior_records", "intake-sup", 200),
        ("api.case.screen", "intake-sup", 201),
        ("api.person.update", "intake-sup", 200),
        ("api.person.duplicates", "intake-sup", 200),
        ("api.case.record_fact", "intake-sup", 201),
        ("api.case.screen", "intake-sup", 201),
        ("api.case.override", "deciding-sup", 201),
        ("api.case.withdraw_override", "deciding-sup", 200),
        ("api.person.update", "intake-sup", 409),
        ("api.case.update", "intake-sup", 409),
    ]
    assert len(rows) == calls
    assert AccessEvent.objects.filter(path__startswith="/api/v1/").count() == calls
