"""The Plan panel, the Record-an-event page and the day panel (constant queries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.plans.models import Event, Requirement
from ontrack.plans.tests.factories import complete_plan

pytestmark = pytest.mark.django_db
LONG_AGO = dt.date(2025, 1, 1)


@pytest.fixture
def enrollment(case_manager: Any) -> Any:
    return EnrollmentFactory(case=CaseFactory(case_manager=case_manager))


def test_the_plan_panel_shows_compliance_and_what_is_left(
    client: Any, case_manager: Any, enrollment: Any
) -> None:
    complete_plan(enrollment, case_manager)
    Requirement.objects.filter(kind="community_service").update(parameters={"total_hours": 40})
    client.force_login(case_manager)
    page = client.get(f"/participants/{enrollment.pk}/").content.decode()
    assert "Community service: 30 hours left" in page
    assert "10 of 40; last on" in page
    assert "Job or full-time school: verified" in page
    assert "Not met yet: Community service<" in page


def test_no_plan_says_so(client: Any, case_manager: Any, enrollment: Any) -> None:
    client.force_login(case_manager)
    page = client.get(f"/participants/{enrollment.pk}/").content.decode()
    assert "No plan yet" in page


def test_the_event_form_shows_errors_next_to_the_field_and_saves_nothing(
    client: Any, case_manager: Any, enrollment: Any
) -> None:
    client.force_login(case_manager)
    before = (Event.objects.count(), AuditEvent.objects.filter(action="event.recorded").count())
    url = f"/plans/{enrollment.pk}/events/drug_test/"
    response = client.post(url, {"occurred_on": "2025-07-01", "result": "positive"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<small id="id_substance-error" role="alert">a positive test names the substance' in page
    assert (Event.objects.count(), AuditEvent.objects.filter(action="event.recorded").count()) == (
        before
    )
    response = client.post(
        url, {"occurred_on": "2025-07-01", "result": "positive", "substance": "THC"}
    )
    assert response.status_code == 302
    assert list(Event.objects.values_list("kind", "result", "substance")) == [
        ("drug_test", "positive", "THC")
    ]


def test_an_hours_form_refuses_a_long_day(client: Any, case_manager: Any, enrollment: Any) -> None:
    client.force_login(case_manager)
    response = client.post(
        f"/plans/{enrollment.pk}/events/work_hours/", {"occurred_on": "2025-07-01", "hours": "25"}
    )
    assert "a day has at most 24 hours: record each day separately" in response.content.decode()
    assert not Event.objects.exists()


def _caseload(manager: Any, count: int) -> None:
    enrollments = [EnrollmentFactory(case=CaseFactory(case_manager=manager)) for _ in range(count)]
    Requirement.objects.bulk_create(
        Requirement(
            enrollment=e,
            kind="contacts",
            label="Contacts",
            parameters={"per_week": 3},
            starts_on=LONG_AGO,
        )
        for e in enrollments
    )
    Event.objects.bulk_create(
        Event(
            enrollment=e,
            kind="contact",
            occurred_on=timezone.localdate(),
            recorded_at=timezone.now(),
            recorded_by=manager,
        )
        for e in enrollments
    )


def test_the_day_panel_lists_contacts_due_in_constant_queries(
    client: Any,
    case_manager: Any,
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(case_manager)
    _caseload(case_manager, 10)
    # The whole day page: every app's panels (their own counts are their apps' tests).
    with django_assert_max_num_queries(20) as small:
        page = client.get("/participants/day/").content.decode()
    assert page.count("1 of 3 since") == 10
    _caseload(case_manager, 990)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get("/participants/day/").content.decode()
    assert page.count("1 of 3 since") == 1000
