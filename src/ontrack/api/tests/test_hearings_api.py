"""The hearings API: list, schedule, move, cancel; a stale version is a 409."""

from __future__ import annotations

from typing import Any

import pytest

from ontrack.api.tests.helpers import Api, token_for
from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.hearings.models import Hearing

pytestmark = pytest.mark.django_db


def test_schedule_list_move_cancel(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    api = Api(token_for(case_manager))
    url = f"enrollments/{enrollment.pk}/hearings"
    made = api.post(url, {"starts_at": "2031-07-01T09:30:00Z", "court": "SF Superior Court"})
    assert made.status_code == 201, made.content
    hearing = made.json()
    assert (hearing["court"], hearing["department"], hearing["hearing_status"],
            hearing["version"]) == ("SF Superior Court", "", "scheduled", 1)  # fmt: skip
    listed = api.get(f"enrollments/{enrollment.pk}/hearings").json()
    assert [h["id"] for h in listed] == [hearing["id"]]
    moved = api.patch(f"hearings/{hearing['id']}", {"action": "reschedule", "version": 1,
                      "starts_at": "2031-07-08T09:30:00Z", "reason": "court closed"})  # fmt: skip
    assert (moved.status_code, moved.json()["version"]) == (200, 2)
    stale = api.patch(f"hearings/{hearing['id']}",
                      {"action": "cancel", "reason": "no", "version": 1})  # fmt: skip
    assert stale.status_code == 409
    assert Hearing.objects.get().status == "scheduled"
    refused = api.post(f"enrollments/{enrollment.pk}/hearings",
                       {"starts_at": "2031-07-01T09:30:00Z", "court": " "})  # fmt: skip
    assert (refused.status_code, Hearing.objects.count()) == (422, 1)
