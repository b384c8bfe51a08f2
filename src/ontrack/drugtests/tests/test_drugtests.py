"""Drug testing: random days (Standard VII), notices, results through the event door,
laboratory confirmation, the sensitive read."""

from __future__ import annotations

import collections
import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ontrack.audit.models import AccessEvent, AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.drugtests import selectors, services
from ontrack.drugtests.draw import draw_days, iso_weeks, rng_for
from ontrack.drugtests.models import Confirmation, Notice, TestDay
from ontrack.enrollments.models import TimelineEntry
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.plans.models import Event, Requirement
from ontrack.plans.rules import DrugTestRule, counts_as

pytestmark = pytest.mark.django_db
AT = timezone.make_aware(dt.datetime(2025, 7, 2, 9, 30))


def _enrollment(user: Any, per_week: dict[str, int] | None = None, phase: int = 1) -> Any:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=user), phase=phase)
    if per_week is not None:
        Requirement.objects.create(
            enrollment=enrollment, kind="drug_tests", label="Drug tests",
            parameters={"per_week_by_phase": per_week, "missed_counts_as": "positive",
                        "dilute_counts_as": "dilute"},
        )  # fmt: skip
    return enrollment


def _state() -> tuple[Any, ...]:
    return (
        TestDay.objects.count(),
        list(TestDay.objects.order_by("pk").values_list("event_id", flat=True)),
        Notice.objects.count(),
        list(Confirmation.objects.values_list("result", flat=True)),
        list(Event.objects.order_by("pk").values_list("voided_at", flat=True)),
        TimelineEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def _refused(call: Any, field: str, message: str) -> None:
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert refused.value.problems[field] == message
    assert _state() == before


# --- the draw -------------------------------------------------------------------------


def test_every_day_of_the_week_is_equally_likely() -> None:
    # 500 whole ISO weeks from Monday 2024-01-01, two tests a week, a fixed seed.
    start = dt.date(2024, 1, 1)
    days = draw_days(start, start + dt.timedelta(days=7 * 500 - 1), 2, rng_for(20251))
    counts = collections.Counter(day.isoweekday() for day in days)
    observed = [counts[weekday] for weekday in range(1, 8)]
    assert observed == [159, 147, 136, 152, 146, 126, 134]  # Saturday and Sunday included
    expected = 1000 / 7
    statistic = sum((o - expected) ** 2 / expected for o in observed)
    assert round(statistic, 3) == 5.466
    # chi-square, 6 degrees of freedom, 5 % critical value 12.592: uniformity not rejected.
    assert statistic < 12.592
    from scipy.stats import chisquare

    assert chisquare(observed).pvalue > 0.05


def test_each_iso_week_has_the_required_count() -> None:
    start, end = dt.date(2025, 7, 2), dt.date(2025, 10, 5)  # Wednesday to Sunday
    for seed in range(50):
        days = draw_days(start, end, 3, rng_for(seed))
        per_week = collections.Counter(day.isocalendar()[:2] for day in days)
        assert len(per_week) == len(iso_weeks(start, end)) == 14
        assert set(per_week.values()) == {3}
        assert len(set(days)) == len(days)
        assert all(start <= day <= end for day in days)


def test_a_part_week_shorter_than_the_count_is_tested_every_day() -> None:
    assert draw_days(dt.date(2025, 7, 6), dt.date(2025, 7, 6), 2, rng_for(1)) == [
        dt.date(2025, 7, 6)
    ]


def test_draw_test_days_stores_the_days(case_manager: Any) -> None:
    enrollment = _enrollment(case_manager, {"1": 2, "2": 1})
    rows = services.draw_test_days(actor=case_manager, enrollment_id=enrollment.pk,
                                   start=dt.date(2025, 7, 2), end=dt.date(2025, 7, 15),
                                   seed=1)  # fmt: skip
    assert [row.day for row in rows] == [
        dt.date(2025, 7, 2), dt.date(2025, 7, 3), dt.date(2025, 7, 7), dt.date(2025, 7, 9),
        dt.date(2025, 7, 14), dt.date(2025, 7, 15),
    ]  # fmt: skip
    assert TestDay.objects.filter(enrollment=enrollment, drawn_by=case_manager).count() == 6
    entry = TimelineEntry.objects.get(enrollment=enrollment, kind="drugtests.days_drawn")
    assert entry.parameters == {"start": "2025-07-02", "end": "2025-07-15", "per_week": 2,
                                "count": 6}  # fmt: skip
    assert AuditEvent.objects.get(action="drugtests.days_drawn").details["seeded"] is True


def test_phase_one_below_twice_a_week_is_refused(case_manager: Any) -> None:
    enrollment = _enrollment(case_manager, {"1": 1})
    _refused(lambda: services.draw_test_days(
        actor=case_manager, enrollment_id=enrollment.pk, start=dt.date(2025, 7, 2),
        end=dt.date(2025, 7, 15)),
        "plan", "phase 1 needs at least 2 tests a week (All Rise Standard VII); the plan's "
                "rule says 1")  # fmt: skip


def test_phase_two_once_a_week_is_allowed(case_manager: Any) -> None:
    enrollment = _enrollment(case_manager, {"1": 2, "2": 1}, phase=2)
    rows = services.draw_test_days(actor=case_manager, enrollment_id=enrollment.pk,
                                   start=dt.date(2025, 7, 7), end=dt.date(2025, 7, 20),
                                   seed=3)  # fmt: skip
    assert len(rows) == 2


def test_no_rule_or_no_frequency_is_refused(case_manager: Any) -> None:
    bare = _enrollment(case_manager)
    draw = services.draw_test_days
    _refused(lambda: draw(actor=case_manager, enrollment_id=bare.pk, start=dt.date(2025, 7, 2),
                          end=dt.date(2025, 7, 15)),
             "plan", "the plan has no drug-testing requirement")  # fmt: skip
    phase3 = _enrollment(case_manager, {"1": 2}, phase=3)
    _refused(lambda: draw(actor=case_manager, enrollment_id=phase3.pk,
                          start=dt.date(2025, 7, 2), end=dt.date(2025, 7, 15)),
             "plan", "the drug-testing rule sets no frequency for phase 3")  # fmt: skip


def test_a_second_draw_over_the_same_days_is_refused(case_manager: Any) -> None:
    enrollment = _enrollment(case_manager, {"1": 2})
    args = {"actor": case_manager, "enrollment_id": enrollment.pk, "seed": 1}
    services.draw_test_days(**args, start=dt.date(2025, 7, 2), end=dt.date(2025, 7, 15))
    _refused(lambda: services.draw_test_days(**args, start=dt.date(2025, 7, 10),
                                             end=dt.date(2025, 7, 31)),
             "start", "test days are already drawn in this range")  # fmt: skip
    _refused(lambda: services.draw_test_days(**args, start=dt.date(2025, 8, 2),
                                             end=dt.date(2025, 8, 1)),
             "end", "the last day is before the first")  # fmt: skip


def test_an_analyst_cannot_draw(analyst: Any, case_manager: Any) -> None:
    from ontrack.common.services import Forbidden

    enrollment = _enrollment(case_manager, {"1": 2})
    before = _state()
    with pytest.raises(Forbidden):
        services.draw_test_days(actor=analyst, enrollment_id=enrollment.pk,
                                start=dt.date(2025, 7, 2), end=dt.date(2025, 7, 15))  # fmt: skip
    assert _state() == before


# --- notices, results, confirmation ---------------------------------------------------------


def _day(user: Any, enrollment: Any, day: dt.date = dt.date(2025, 7, 2)) -> TestDay:
    return TestDay.objects.create(enrollment=enrollment, day=day, drawn_at=AT, drawn_by=user)


def test_record_notice(case_manager: Any) -> None:
    test_day = _day(case_manager, _enrollment(case_manager))
    notice = services.record_notice(actor=case_manager, test_day_id=test_day.pk,
                                    how="call_in_line", at=AT)  # fmt: skip
    assert (notice.how, notice.at, notice.test_day_id) == ("call_in_line", AT, test_day.pk)
    entry = TimelineEntry.objects.get(kind="drugtests.notice")
    assert (entry.sensitive, entry.parameters) == (True, {"how": "call_in_line"})
    _refused(lambda: services.record_notice(actor=case_manager, test_day_id=test_day.pk,
                                            how="email", at=AT),
             "how", "say how: call_in_line, phone, text or in_person")  # fmt: skip


def test_record_result_goes_through_the_event_door(case_manager: Any) -> None:
    enrollment = _enrollment(case_manager)
    test_day = _day(case_manager, enrollment)
    event = services.record_result(actor=case_manager, test_day_id=test_day.pk,
                                   result="positive", substance="cocaine",
                                   collected_at=AT)  # fmt: skip
    assert (event.kind, event.result, event.substance, event.occurred_on) == (
        "drug_test", "positive", "cocaine", dt.date(2025, 7, 2))  # fmt: skip
    assert event.details == {"collected_at": "2025-07-02T09:30:00-07:00", "test_day": test_day.pk}
    test_day.refresh_from_db()
    assert test_day.event_id == event.pk
    assert AuditEvent.objects.filter(action="event.recorded").count() == 1
    _refused(lambda: services.record_result(actor=case_manager, test_day_id=test_day.pk,
                                            result="negative", collected_at=AT),
             "test_day", "this test day already has a result; void it to correct it")  # fmt: skip


def test_result_by_enrollment_and_day_finds_the_drawn_day(case_manager: Any) -> None:
    enrollment = _enrollment(case_manager)
    test_day = _day(case_manager, enrollment)
    event = services.record_result(actor=case_manager, enrollment_id=enrollment.pk,
                                   day=dt.date(2025, 7, 2), result="missed",
                                   collected_at=None)  # fmt: skip
    test_day.refresh_from_db()
    assert test_day.event_id == event.pk
    unscheduled = services.record_result(actor=case_manager, enrollment_id=enrollment.pk,
                                         day=dt.date(2025, 7, 3), result="negative",
                                         collected_at=AT)  # fmt: skip
    assert unscheduled.details["test_day"] is None


@pytest.mark.parametrize(
    ("result", "substance", "at", "field", "message"),
    [
        ("maybe", "", AT, "result", "say the result: negative, positive, dilute or missed"),
        ("positive", " ", AT, "substance", "say which substance the test was positive for"),
        ("negative", "THC", AT, "substance", "a substance is named only for a positive test"),
        ("missed", "", AT, "collected_at", "a missed test has no collection time"),
        ("dilute", "", None, "collected_at", "say when the sample was collected"),
    ],
)
def test_bad_results_are_refused(
    case_manager: Any, result: str, substance: str, at: Any, field: str, message: str
) -> None:
    test_day = _day(case_manager, _enrollment(case_manager))
    _refused(lambda: services.record_result(actor=case_manager, test_day_id=test_day.pk,
                                            result=result, substance=substance,
                                            collected_at=at), field, message)  # fmt: skip


def test_counts_as_follows_the_program() -> None:
    rule = DrugTestRule({1: 2}, missed_counts_as="positive", dilute_counts_as="negative")
    event = Event(kind="drug_test", result="missed")
    assert counts_as(event, rule) == "positive"
    assert counts_as(event, None) is None  # unknown is not yes
    assert counts_as(Event(kind="drug_test", result="dilute"), rule) == "negative"
    assert counts_as(Event(kind="drug_test", result="negative"), None) == "negative"
    assert counts_as(Event(kind="drug_test", result="positive", voided_at=AT), rule) is None
    assert counts_as(Event(kind="contact"), rule) is None


def _positive(user: Any) -> tuple[TestDay, Event]:
    test_day = _day(user, _enrollment(user))
    event = services.record_result(actor=user, test_day_id=test_day.pk, result="positive",
                                   substance="THC", collected_at=AT)  # fmt: skip
    return test_day, event


def test_a_confirmed_negative_overturns_the_screen(case_manager: Any) -> None:
    test_day, screen = _positive(case_manager)
    services.request_confirmation(actor=case_manager, event_id=screen.pk)
    confirmation = services.record_confirmation(
        actor=case_manager, event_id=screen.pk, lab="Synthetic Lab", method="LC-MS",
        result="negative", reported_on=dt.date(2025, 7, 9))  # fmt: skip
    screen.refresh_from_db()
    assert screen.voided_at is not None
    assert screen.void_reason == (
        "overturned: Synthetic Lab confirmed negative by LC-MS on 2025-07-09"
    )
    corrected = confirmation.corrected_event
    assert corrected is not None
    assert (corrected.result, corrected.occurred_on, corrected.details["confirms"]) == (
        "negative", dt.date(2025, 7, 2), screen.pk)  # fmt: skip
    test_day.refresh_from_db()
    assert test_day.event_id == corrected.pk
    _refused(lambda: services.request_confirmation(actor=case_manager, event_id=screen.pk),
             "event", "this result is voided")  # fmt: skip


def test_a_confirmed_positive_stands(case_manager: Any) -> None:
    _, screen = _positive(case_manager)
    confirmation = services.record_confirmation(
        actor=case_manager, event_id=screen.pk, lab="Synthetic Lab", method="GC-MS",
        result="positive", reported_on=dt.date(2025, 7, 9))  # fmt: skip
    screen.refresh_from_db()
    assert (screen.voided_at, confirmation.result, confirmation.corrected_event) == (
        None, "positive", None)  # fmt: skip
    _refused(lambda: services.record_confirmation(
        actor=case_manager, event_id=screen.pk, lab="Lab", method="GC-MS", result="negative",
        reported_on=dt.date(2025, 7, 9)), "event", "this result is already confirmed")  # fmt: skip


def test_bad_confirmations_are_refused(case_manager: Any) -> None:
    _, screen = _positive(case_manager)
    negative = services.record_result(actor=case_manager, enrollment_id=screen.enrollment_id,
                                      day=dt.date(2025, 7, 5), result="negative",
                                      collected_at=AT)  # fmt: skip
    _refused(lambda: services.request_confirmation(actor=case_manager, event_id=negative.pk),
             "event", "only a positive screen is confirmed by a laboratory")  # fmt: skip
    _refused(lambda: services.record_confirmation(
        actor=case_manager, event_id=screen.pk, lab="Lab", method="ELISA", result="negative",
        reported_on=dt.date(2025, 7, 9)), "method", "say the method: GC-MS or LC-MS")  # fmt: skip


# --- the sensitive read ----------------------------------------------------------------


def test_reading_results_needs_the_permission_and_is_audited(
    case_manager: Any, analyst: Any
) -> None:
    _, screen = _positive(case_manager)
    found = selectors.results_of(actor=case_manager, enrollment_id=screen.enrollment_id)
    assert [e.pk for e in found] == [screen.pk]
    row = AccessEvent.objects.get(action="drugtests.results_read", outcome="success")
    assert (row.object_id, row.row_count) == (str(screen.enrollment_id), 1)
    with pytest.raises(NotFound):
        selectors.results_of(actor=analyst, enrollment_id=screen.enrollment_id)
    assert AccessEvent.objects.filter(action="drugtests.results_read",
                                      outcome="denied").count() == 1  # fmt: skip


def test_tests_due_on_skips_days_with_a_result(case_manager: Any) -> None:
    enrollment = _enrollment(case_manager)
    done = _day(case_manager, enrollment)
    other = _day(case_manager, _enrollment(case_manager))
    services.record_result(actor=case_manager, test_day_id=done.pk, result="negative",
                           collected_at=AT)  # fmt: skip
    due = selectors.tests_due_on(actor=case_manager, day=dt.date(2025, 7, 2), own_caseload=False)
    assert [t.pk for t in due] == [other.pk]


def test_weekday_spread() -> None:
    from ontrack.drugtests.spread import weekday_spread

    days = [dt.date(2025, 7, 7) + dt.timedelta(days=i) for i in range(14)]  # two of each
    spread = weekday_spread(days)
    assert (spread["counts"], spread["statistic"], spread["p_value"]) == ([2] * 7, 0.0, 1.0)
    assert weekday_spread([])["p_value"] is None
    lopsided = weekday_spread([dt.date(2025, 7, 7)] * 7)  # every test on a Monday
    assert lopsided["counts"] == [7, 0, 0, 0, 0, 0, 0]
    assert lopsided["statistic"] == 42.0  # (7-1)²/1 + 6 x (0-1)²/1
