"""The drug-testing panels: upcoming days only for record_result holders, results through
the audited read, the day's tests in a constant number of queries, the weekday spread."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from conftest import make_user
from django.template.loader import render_to_string
from django.utils import timezone

from ontrack.audit.models import AccessEvent
from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory
from ontrack.drugtests import panels, services
from ontrack.drugtests.models import TestDay
from ontrack.enrollments.models import Enrollment
from ontrack.enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db
AT = timezone.make_aware(dt.datetime(2025, 7, 2, 9, 30))
TODAY = dt.date(2025, 7, 2)


def _days(user: Any, enrollment: Any, *days: dt.date) -> list[TestDay]:
    return [TestDay.objects.create(enrollment=enrollment, day=day, drawn_at=AT, drawn_by=user)
            for day in days]  # fmt: skip


def test_upcoming_days_only_for_record_result_holders(
    case_manager: Any, auditor: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(panels, "office_today", lambda: TODAY)
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    past, today, ahead = _days(case_manager, enrollment, dt.date(2025, 7, 1), TODAY,
                               dt.date(2025, 7, 5))  # fmt: skip
    services.record_result(actor=case_manager, test_day_id=past.pk, result="negative",
                           collected_at=AT)  # fmt: skip
    seen = panels.participant_context(case_manager, enrollment)
    assert [d.pk for d in seen["upcoming"]] == [today.pk, ahead.pk]
    assert [(r["event"].result, r["confirmation"]) for r in seen["results"]] == [
        ("negative", "not requested")
    ]
    row = AccessEvent.objects.get(action="drugtests.results_read")
    assert (row.outcome, row.object_id, row.row_count) == ("success", str(enrollment.pk), 1)
    # The auditor reads every record but neither the days ahead nor, without view_result,
    # the results; and asks for none, so no access row of a result read is written.
    hidden = panels.participant_context(auditor, enrollment)
    assert (hidden["may_see_days"], hidden["upcoming"], hidden["results"]) == (False, [], None)
    assert AccessEvent.objects.filter(action="drugtests.results_read").count() == 1
    html = render_to_string("drugtests/_participant.html", {"data": hidden})
    assert "2025-07-05" not in html
    assert "Drug-test results need the permission to read them." in html


def test_confirmation_status_in_words(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    (test_day,) = _days(case_manager, enrollment, TODAY)
    screen = services.record_result(
        actor=case_manager, test_day_id=test_day.pk, result="positive", substance="THC",
        collected_at=AT)  # fmt: skip
    services.request_confirmation(actor=case_manager, event_id=screen.pk)
    rows = panels.participant_context(case_manager, enrollment)["results"]
    assert [r["confirmation"] for r in rows] == ["requested, not yet reported"]
    services.record_confirmation(actor=case_manager, event_id=screen.pk, lab="Synthetic Lab",
                                 method="GC-MS", result="positive",
                                 reported_on=dt.date(2025, 7, 9))  # fmt: skip
    rows = panels.participant_context(case_manager, enrollment)["results"]
    assert [r["confirmation"] for r in rows] == ["Confirmed positive (GC-MS, Synthetic Lab)"]


def _caseload(user: Any, count: int) -> None:
    """``count`` enrollments on ``user``'s caseload, each with a test due on TODAY (bulk: the
    factories would take minutes at 1,000)."""
    first = EnrollmentFactory(case=CaseFactory(case_manager=user))
    cases = []
    for n in range(count - 1):
        case = copy.copy(first.case)
        case.pk = None
        case.docket_number = f"CRI-{user.pk:03d}-9{n:05d}"
        cases.append(case)
    Case.objects.bulk_create(cases)
    enrollments = []
    for case in cases:
        enrollment = copy.copy(first)
        enrollment.pk = None
        enrollment.case = case
        enrollments.append(enrollment)
    Enrollment.objects.bulk_create(enrollments)
    TestDay.objects.bulk_create(
        TestDay(enrollment=e, day=TODAY, drawn_at=AT, drawn_by=user)
        for e in Enrollment.objects.filter(case__case_manager=user)
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_the_day_panel_runs_constant_queries(
    count: int, case_manager: Any, django_assert_num_queries: Any
) -> None:
    _caseload(case_manager, count)
    other = make_user("case_manager", "other-manager")
    _caseload(other, 3)  # another caseload's tests are not on this day page
    case_manager = type(case_manager).objects.get(pk=case_manager.pk)  # no cached permissions
    with django_assert_num_queries(3):
        data = panels.day_context(case_manager, TODAY)
        html = render_to_string("drugtests/_day.html", {"data": data})
    assert len(data["due"]) == count
    assert html.count("<li>") == count


def test_the_program_panel_counts_test_days_by_weekday(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    _days(case_manager, enrollment, dt.date(2025, 7, 5), dt.date(2025, 7, 6), dt.date(2025, 7, 7))
    data = panels.program_context(case_manager, enrollment.program)
    assert data["by_weekday"] == [("Mon", 1), ("Tue", 0), ("Wed", 0), ("Thu", 0), ("Fri", 0),
                                  ("Sat", 1), ("Sun", 1)]  # fmt: skip
    assert round(data["statistic"], 3) == 4.0  # 3 x (1-3/7)²/(3/7) + 4 x (3/7) = 4
