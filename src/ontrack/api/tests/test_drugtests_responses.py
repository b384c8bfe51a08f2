"""API v1 for drug tests (audited, view_result) and responses (list, record a decision)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ontrack.api.tests.helpers import Api, token_for
from ontrack.audit.models import AccessEvent, AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.drugtests import services as drug_services
from ontrack.enrollments.models import TimelineEntry
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.plans.models import Event
from ontrack.responses.models import Response

pytestmark = pytest.mark.django_db
AT = timezone.make_aware(dt.datetime(2025, 7, 2, 9, 30))
DAY = dt.date(2025, 7, 2)


def _enrollment(user: Any) -> Any:
    return EnrollmentFactory(case=CaseFactory(case_manager=user), phase=1)


def test_drug_tests_are_listed_and_the_read_is_audited(case_manager: Any) -> None:
    enrollment = _enrollment(case_manager)
    screen = drug_services.record_result(actor=case_manager, enrollment_id=enrollment.pk,
                                         day=DAY, result="positive", substance="THC",
                                         collected_at=AT)  # fmt: skip
    answer = Api(token_for(case_manager)).get(f"enrollments/{enrollment.pk}/drug-tests")
    assert answer.status_code == 200
    assert answer.json() == [
        {"id": screen.pk, "occurred_on": "2025-07-02", "result": "positive", "substance": "THC",
         "voided": False, "confirmation": None}
    ]  # fmt: skip
    row = AccessEvent.objects.get(action="drugtests.results_read")
    assert (row.outcome, row.object_id, row.row_count) == ("success", str(enrollment.pk), 1)


def test_drug_tests_need_view_result(case_manager: Any, auditor: Any) -> None:
    enrollment = _enrollment(case_manager)
    answer = Api(token_for(auditor)).get(f"enrollments/{enrollment.pk}/drug-tests")
    assert answer.status_code == 403
    assert not AccessEvent.objects.filter(action="drugtests.results_read").exists()


def _event(user: Any, enrollment: Any) -> Event:
    return Event.objects.create(enrollment=enrollment, kind="hearing_missed", occurred_on=DAY,
                                recorded_at=AT, recorded_by=user)  # fmt: skip


def test_record_and_list_a_response(case_manager: Any) -> None:
    enrollment = _enrollment(case_manager)
    event = _event(case_manager, enrollment)
    api = Api(token_for(case_manager))
    body = {"response_code": "warning", "kind": "sanction", "on": "2025-07-03"}
    made = api.post(f"events/{event.pk}/response", body)
    assert made.status_code == 201
    decision = Response.objects.get(event=event)
    expected = {"id": decision.pk, "event": event.pk, "code": "warning", "kind": "sanction",
                "chosen_from_suggestions": True, "note": "", "no_response_reason": "",
                "on": "2025-07-03"}  # fmt: skip
    assert made.json() == expected
    listed = api.get(f"enrollments/{enrollment.pk}/responses")
    assert (listed.status_code, listed.json()) == (200, [expected])


def test_a_refused_response_is_a_422_and_changes_nothing(case_manager: Any) -> None:
    event = _event(case_manager, _enrollment(case_manager))
    token = token_for(case_manager)  # issuing the token is itself an audited write
    before = (Response.objects.count(), TimelineEntry.objects.count(), AuditEvent.objects.count())
    refused = Api(token).post(
        f"events/{event.pk}/response", {"response_code": "warning", "kind": "incentive",
                                        "on": "2025-07-03"})  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"kind": "warning is a sanction, not a incentive"}
    after = (Response.objects.count(), TimelineEntry.objects.count(), AuditEvent.objects.count())
    assert after == before
