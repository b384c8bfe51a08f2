"""Changing a screening: recording work authorization (which screens again), overrides, who
may do what, and refusals that change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ontrack.eligibility.models import CaseFact, Screening, ScreeningOverride
from ontrack.eligibility.tests.helpers import POLICY, body_of, screening_url

# --- recording work authorization --------------------------------------------------------------


def test_recording_work_authorization_screens_again(
    client: Any, case_manager: Any, screened: Screening, new_events: Any
) -> None:
    client.force_login(case_manager)
    response = client.post(
        f"{screening_url(screened)}work-authorization/",
        {"value": "verified", "method": "I-9 documents reviewed", "document": "I-9 2025-0042"},
    )
    again = Screening.objects.exclude(pk=screened.pk).get()
    assert response.status_code == 302
    assert response["Location"] == screening_url(again)
    assert (again.result, again.missing, again.as_of) == ("eligible", [], screened.as_of)
    assert again.policy_version == screened.policy_version
    fact = CaseFact.objects.get()
    assert (fact.case, fact.fact, fact.value, fact.method, fact.document) == (
        screened.case,
        "work_authorization",
        "verified",
        "I-9 documents reviewed",
        "I-9 2025-0042",
    )
    assert list(new_events().order_by("id").values_list("action", flat=True)) == [
        "case.fact_recorded",
        "case.screened",
    ]
    body = body_of(client.get(response["Location"]))
    day = timezone.localdate(again.created_at).isoformat()
    assert (
        f'<h2 id="result-h">Eligible — screening of {day} under Back on Track 2009-07</h2>' in body
    )
    assert "superseded" not in body  # the new screening is the current one
    old = body_of(client.get(screening_url(screened)))
    assert (
        '<p id="superseded"><strong>This screening is superseded</strong> by the'
        f' <a href="{screening_url(again)}">current screening, of {day}</a>.</p>'
    ) in old
    assert "<p>On file: Verified.</p>" in body
    assert "missing-facts" not in body
    assert "<details>" in body  # the form stays available, closed
    assert (
        "<tr><td>Legal authorization to work in the United States</td><td>Verified</td>"
        "<td>I-9 documents reviewed</td><td>I-9 2025-0042</td><td>case_manager-user</td>"
    ) in body


def test_recording_not_authorized_makes_the_case_ineligible(
    client: Any, case_manager: Any, screened: Screening
) -> None:
    client.force_login(case_manager)
    response = client.post(
        f"{screening_url(screened)}work-authorization/",
        {"value": "not_authorized", "method": "I-9 documents reviewed"},
    )
    assert Screening.objects.get(pk=int(response["Location"].split("/")[-2])).result == "ineligible"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "verified", "method": "  "}, "wa-method", "say how the fact was established"),
        (
            {"value": "maybe", "method": "asked"},
            "wa-value",
            "Select a valid choice. maybe is not one of the available choices.",
        ),
    ],
)
def test_a_refused_fact_shows_why_and_changes_nothing(
    client: Any,
    case_manager: Any,
    screened: Screening,
    new_events: Any,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    client.force_login(case_manager)
    response = client.post(f"{screening_url(screened)}work-authorization/", data)
    assert response.status_code == 400
    body = body_of(response)
    assert f'<small id="{field}-error">{message}</small>' in body
    assert "<details open>" in body
    assert CaseFact.objects.count() == 0
    assert Screening.objects.count() == 1
    assert new_events().count() == 0


# --- overrides ---------------------------------------------------------------------------------


def test_supervisor_overrides_with_a_reason(
    client: Any, supervisor: Any, screened: Screening, new_events: Any
) -> None:
    client.force_login(supervisor)
    body = body_of(client.get(screening_url(screened)))
    assert '<label for="ov-result">Overridden result</label>' in body
    assert '<label for="ov-reason">Reason (required; recorded with your name)</label>' in body
    day = timezone.localdate(screened.created_at).isoformat()
    asked = {"result": "eligible", "reason": " Work permit seen in court "}
    # The first step shows what will change and writes nothing.
    confirm = client.post(f"{screening_url(screened)}override/", asked)
    assert confirm.status_code == 200
    page = body_of(confirm)
    assert (
        "<dt>Decision in force now</dt><dd>Needs information — screening of"
        f" {day} under Back on Track 2009-07</dd>"
        " <dt>Decision after confirming</dt><dd>Eligible — supervisor override by"
        " supervisor-user: Work permit seen in court</dd>"
    ) in page
    assert '<input type="hidden" name="confirm" value="yes">' in page
    assert '<input type="hidden" name="reason" value="Work permit seen in court">' in page
    assert ScreeningOverride.objects.count() == 0
    assert new_events().count() == 0
    response = client.post(f"{screening_url(screened)}override/", {**asked, "confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == screening_url(screened)
    override = ScreeningOverride.objects.get()
    assert (override.screening, override.result, override.reason, override.actor) == (
        screened,
        "eligible",
        "Work permit seen in court",
        supervisor,
    )
    assert list(new_events().values_list("action", flat=True)) == ["screening.overridden"]
    when = timezone.localdate(override.created_at).isoformat()
    body = body_of(client.get(screening_url(screened)))
    assert (
        '<h2 id="result-h">Eligible — supervisor override by supervisor-user on'
        f" {when}: Work permit seen in court</h2>"
    ) in body
    assert '<strong id="computed-result">Needs information</strong>' in body


def test_case_manager_cannot_override(
    client: Any, case_manager: Any, screened: Screening, new_events: Any
) -> None:
    client.force_login(case_manager)
    response = client.post(
        f"{screening_url(screened)}override/",
        {"result": "eligible", "reason": "I think so", "confirm": "yes"},
    )
    assert response.status_code == 403
    assert ScreeningOverride.objects.count() == 0
    assert new_events().count() == 0


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_without_a_reason_is_refused(
    client: Any, supervisor: Any, screened: Screening, new_events: Any, reason: str
) -> None:
    client.force_login(supervisor)
    response = client.post(
        f"{screening_url(screened)}override/", {"result": "eligible", "reason": reason}
    )
    assert response.status_code == 400
    body = body_of(response)
    assert (
        '<textarea id="ov-reason" name="reason" required maxlength="2000" rows="3"'
        ' aria-invalid="true" aria-describedby="ov-reason-error">'
    ) in body
    assert '<small id="ov-reason-error">an override needs a reason</small>' in body
    assert '<option value="eligible" selected>Eligible</option>' in body
    assert ScreeningOverride.objects.count() == 0
    assert new_events().count() == 0


# --- who may do what -----------------------------------------------------------------------------


def test_users_without_permission_are_refused_and_nothing_changes(
    client: Any, analyst: Any, auditor: Any, screened: Screening, new_events: Any
) -> None:
    url = screening_url(screened)
    writes = [
        (f"/eligibility/cases/{screened.case_id}/screen/", {"policy": POLICY}),
        (f"{url}work-authorization/", {"value": "verified", "method": "I-9"}),
        (f"{url}override/", {"result": "eligible", "reason": "because"}),
    ]
    client.force_login(analyst)  # no case files at all
    assert client.get(url).status_code == 403
    assert client.get(f"/eligibility/cases/{screened.case_id}/").status_code == 403
    for path, data in writes:
        assert client.post(path, data).status_code == 403, path
    client.force_login(auditor)  # reads case files, changes nothing
    assert client.get(url).status_code == 200
    for path, data in writes:
        assert client.post(path, data).status_code == 403, path
    assert Screening.objects.count() == 1
    assert CaseFact.objects.count() == ScreeningOverride.objects.count() == 0
    assert new_events().count() == 0


def test_missing_screenings_and_cases_are_404(
    client: Any, case_manager: Any, screened: Screening, new_events: Any
) -> None:
    client.force_login(case_manager)
    missing = screened.pk + 999
    assert client.get(f"/eligibility/screenings/{missing}/").status_code == 404
    assert client.get(f"/eligibility/cases/{screened.case_id + 999}/").status_code == 404
    assert (
        client.post(
            f"/eligibility/cases/{screened.case_id + 999}/screen/", {"policy": POLICY}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/eligibility/screenings/{missing}/work-authorization/",
            {"value": "verified", "method": "I-9"},
        ).status_code
        == 404
    )
    assert Screening.objects.count() == 1
    assert new_events().count() == 0


def test_get_never_writes(client: Any, supervisor: Any, screened: Screening) -> None:
    client.force_login(supervisor)
    url = screening_url(screened)
    for path in [
        f"/eligibility/cases/{screened.case_id}/screen/",
        f"{url}work-authorization/",
        f"{url}override/",
    ]:
        assert client.get(path).status_code == 405, path
    assert Screening.objects.count() == 1
