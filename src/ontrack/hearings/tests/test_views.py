"""The court calendar, the panels and the hearing forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.hearings.models import Hearing

pytestmark = pytest.mark.django_db
DAY = dt.date(2031, 7, 1)


def _at(hour: int, day: dt.date = DAY) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


def _hearings(actor: Any, count: int) -> None:
    enrollments = [EnrollmentFactory(case=CaseFactory(case_manager=actor)) for _ in range(3)]
    Hearing.objects.bulk_create(
        Hearing(enrollment=enrollments[i % 3], starts_at=_at(8 + i % 8),
                court=f"Court {i % 2}", department="D")
        for i in range(count)
    )  # fmt: skip


@pytest.mark.parametrize("count", [10, 1000])
def test_the_calendar_runs_a_constant_number_of_queries(
    client: Any, case_manager: Any, django_assert_num_queries: Any, count: int
) -> None:
    _hearings(case_manager, count)
    client.force_login(case_manager)
    url = reverse("hearings:calendar") + "?on=2031-07-01"
    client.get(url)  # warm the session and the permission cache
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == count + 1


def test_the_calendar_lists_by_court_then_time_and_the_week_view_spans_seven_days(
    client: Any, case_manager: Any
) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    for court, starts in (("B court", _at(9)), ("A court", _at(11)), ("A court", _at(10)),
                          ("A court", _at(9, DAY + dt.timedelta(days=6))),
                          ("A court", _at(9, DAY + dt.timedelta(days=7)))):  # fmt: skip
        Hearing.objects.create(enrollment=enrollment, starts_at=starts, court=court)
    client.force_login(case_manager)
    day = client.get(reverse("hearings:calendar") + "?on=2031-07-01")
    rows = [(h.court, h.starts_at) for h in day.context["hearings"]]
    assert rows == [("A court", _at(10)), ("A court", _at(11)), ("B court", _at(9))]
    week = client.get(reverse("hearings:calendar") + "?on=2031-07-01&week=1")
    assert len(week.context["hearings"]) == 4


def test_scheduling_from_the_participant_page(client: Any, case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    client.force_login(case_manager)
    url = reverse("hearings:schedule", args=[enrollment.pk])
    response = client.post(url, {"starts_at": "2031-07-01 09:30", "court": "Dept. 17 court"})
    assert response.status_code == 302
    assert list(Hearing.objects.values_list("court", flat=True)) == ["Dept. 17 court"]
    page = client.get(reverse("participants:participant", args=[enrollment.pk]))
    assert "Dept. 17 court" in page.content.decode()
    refused = client.post(url, {"starts_at": "2031-07-01 09:30", "court": " "})
    assert refused.status_code == 400
    assert Hearing.objects.count() == 1


def test_a_wrong_date_is_a_400_saying_so(client: Any, case_manager: Any) -> None:
    client.force_login(case_manager)
    response = client.get(reverse("hearings:calendar") + "?on=2031-13-01")
    assert response.status_code == 400
    assert "give the date as YYYY-MM-DD" in response.content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_the_participant_panel_runs_a_constant_number_of_queries(
    case_manager: Any, django_assert_num_queries: Any, count: int
) -> None:
    from django.template.loader import render_to_string

    from ontrack.hearings.apps import hearings_context

    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    Hearing.objects.bulk_create(
        Hearing(enrollment=enrollment, starts_at=_at(9, DAY + dt.timedelta(days=i)), court="C")
        for i in range(count)
    )
    case_manager.has_perm("hearings.schedule_hearing")  # the permission cache, once
    with django_assert_num_queries(2):  # the hearings, their reminders
        data = hearings_context(case_manager, enrollment)
        html = render_to_string("hearings/_hearings.html", {"data": data})
    assert html.count("<tr>") == count + 1
