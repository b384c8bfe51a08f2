"""API v1 for the plan: GET plan, PATCH requirement, GET/POST events."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ontrack.api.tests.helpers import Api, token_for
from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.plans.models import Event, Requirement, RequirementChange
from ontrack.plans.tests.factories import complete_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(case_manager: Any) -> Any:
    return EnrollmentFactory(case=CaseFactory(case_manager=case_manager))


def test_the_plan_with_compliance(case_manager: Any, enrollment: Any) -> None:
    complete_plan(enrollment, case_manager)
    doc = Api(token_for(case_manager)).get(f"enrollments/{enrollment.pk}/plan").json()
    assert doc["enrollment"] == enrollment.pk
    assert [(r["kind"], r["compliance"]["status"]) for r in doc["requirements"]] == [
        ("employment_or_school", "on_track"),
        ("community_service", "on_track"),
        ("class", "on_track"),
        ("contacts", "on_track"),
        ("drug_tests", "on_track"),
        ("phases", "on_track"),
    ]
    assert doc["left_before_graduation"]["not_met"] == []
    assert doc["left_before_graduation"]["verified_on"] == timezone.localdate().isoformat()


def test_patch_adjusts_with_a_reason_and_a_stale_version_is_a_409(
    case_manager: Any, enrollment: Any
) -> None:
    requirement = Requirement.objects.create(
        enrollment=enrollment, kind="contacts", label="Contacts", parameters={"per_week": 3}
    )
    api = Api(token_for(case_manager))
    body = {"version": 1, "parameters": {"per_week": 2}, "reason": "Night shift"}
    response = api.patch(f"requirements/{requirement.pk}", body)
    assert response.status_code == 200
    assert response.json()["requirements"][0]["parameters"] == {"per_week": 2}
    before = (RequirementChange.objects.count(), AuditEvent.objects.count())
    stale = api.patch(f"requirements/{requirement.pk}", body)
    assert stale.status_code == 409
    bad = api.patch(
        f"requirements/{requirement.pk}",
        {"version": 2, "parameters": {"per_week": 0}, "reason": "R"},
    )
    assert bad.status_code == 422
    assert (RequirementChange.objects.count(), AuditEvent.objects.count()) == before


def test_events_post_and_list(case_manager: Any, enrollment: Any) -> None:
    api = Api(token_for(case_manager))
    url = f"enrollments/{enrollment.pk}/events"
    refused = api.post(url, {"kind": "service_hours", "occurred_on": "2025-07-01"})
    assert refused.status_code == 422
    assert not Event.objects.exists()
    made = api.post(url, {"kind": "service_hours", "occurred_on": "2025-07-01", "hours": "4.5"})
    assert made.status_code == 201
    listed = api.get(url).json()
    assert [(e["kind"], e["hours"], e["voided"]) for e in listed] == [
        ("service_hours", "4.50", False)
    ]
