"""Graduation posted from the participant's Status panel (the move view): a redirect to the
participant, not a 500 — graduation's step returns the sealing request it opened, not a
transition (fixed in enrollments/views.py). Top-level: the plans guard needs a complete
plan (``plans.tests.factories.complete_plan``), and enrollments' tests cannot import plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.models import Enrollment, SealingRequest
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.plans.tests.factories import complete_plan

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)


def test_graduation_from_the_page_redirects_to_the_participant(
    client: Any, case_manager: Any
) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    complete_plan(enrollment, case_manager, on=DAY)
    client.force_login(case_manager)
    response = client.post(f"/enrollments/{enrollment.pk}/moves/", {
        "to_state": "graduated", "on": "2025-07-01", "reason": "Completed the program",
        "dismissal_court": "SF Superior Court, Dept. 12", "dismissal_order_date": "2025-07-01",
        "sealing_statute": "PC 851.90"})  # fmt: skip
    assert (response.status_code, response["Location"]) == (302, f"/participants/{enrollment.pk}/")
    assert Enrollment.objects.get(pk=enrollment.pk).state == "graduated"
    assert list(SealingRequest.objects.values_list("statute", "status")) == [
        ("PC 851.90", "requested")]  # fmt: skip
