"""Writes for drug testing: keyword-only, atomic, audited, timeline entry included.

Results go through ``plans.services.record_participant_event`` (the one event door, which
writes the event's audit row and its sensitive timeline entry); this app links the event to
its test day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import ensure_permission
from ontrack.drugtests.draw import draw_days, rng_for
from ontrack.drugtests.models import (
    Confirmation,
    ConfirmationResult,
    Method,
    Notice,
    NoticeHow,
    TestDay,
)
from ontrack.enrollments.selectors import enrollment_for_update, visible_enrollments
from ontrack.enrollments.timeline import add_entry
from ontrack.plans import services as plans_services
from ontrack.plans.models import Event, EventKind, TestResult
from ontrack.plans.selectors import drug_testing_rule_of, event_for_update

# All Rise Standard VII: at least twice a week in the first phase.
PHASE_ONE_MINIMUM = 2
LONGEST_DRAW = dt.timedelta(days=366)


@transaction.atomic
def draw_test_days(
    *, actor: Any, enrollment_id: int, start: dt.date, end: dt.date, seed: int | None = None
) -> list[TestDay]:
    """Draw random test days from ``start`` to ``end`` at the frequency the plan's rule sets
    for the enrollment's current phase."""
    ensure_permission(actor, "drugtests.record_result")
    enrollment = enrollment_for_update(actor=actor, enrollment_id=enrollment_id)
    if end < start:
        raise ValidationFailed({"end": "the last day is before the first"})
    if end - start > LONGEST_DRAW:
        raise ValidationFailed({"end": "draw at most a year of test days at a time"})
    rule = drug_testing_rule_of(actor=actor, enrollment_id=enrollment.pk)
    if rule is None:
        raise ValidationFailed({"plan": "the plan has no drug-testing requirement"})
    per_week = rule.per_week(enrollment.phase)
    if per_week is None:
        raise ValidationFailed(
            {"plan": f"the drug-testing rule sets no frequency for phase {enrollment.phase}"}
        )
    if enrollment.phase == 1 and per_week < PHASE_ONE_MINIMUM:
        raise ValidationFailed(
            {"plan": f"phase 1 needs at least {PHASE_ONE_MINIMUM} tests a week (All Rise "
                     f"Standard VII); the plan's rule says {per_week}"}
        )  # fmt: skip
    if TestDay.objects.filter(enrollment=enrollment, day__range=(start, end)).exists():
        raise ValidationFailed({"start": "test days are already drawn in this range"})
    now = timezone.now()
    rows = TestDay.objects.bulk_create(
        TestDay(enrollment=enrollment, day=day, drawn_at=now, drawn_by=actor)
        for day in draw_days(start, end, per_week, rng_for(seed))
    )
    add_entry(
        enrollment=enrollment, kind="drugtests.days_drawn", actor=actor, occurred_on=start,
        # The days themselves are not on the timeline: the participant must not learn them.
        parameters={"start": start, "end": end, "per_week": per_week, "count": len(rows)},
    )  # fmt: skip
    record_event(
        actor=actor, action="drugtests.days_drawn", target=enrollment,
        details={"start": start, "end": end, "per_week": per_week, "count": len(rows),
                 "seeded": seed is not None},
    )  # fmt: skip
    return rows


def _test_day_for_update(actor: Any, test_day_id: int) -> TestDay:
    found = (
        TestDay.objects.select_for_update(of=("self",))
        .select_related("enrollment", "event")
        .filter(pk=test_day_id, enrollment__in=visible_enrollments(actor=actor))
        .first()
    )
    if found is None:
        raise NotFound
    return found


@transaction.atomic
def record_notice(*, actor: Any, test_day_id: int, how: str, at: dt.datetime) -> Notice:
    """The participant was told of the test day (or called in and learned of it)."""
    ensure_permission(actor, "drugtests.record_result")
    test_day = _test_day_for_update(actor, test_day_id)
    if how not in NoticeHow.values:
        raise ValidationFailed({"how": "say how: call_in_line, phone, text or in_person"})
    notice = Notice.objects.create(test_day=test_day, how=how, at=at, recorded_by=actor)
    add_entry(
        enrollment=test_day.enrollment, kind="drugtests.notice", actor=actor,
        occurred_on=test_day.day, parameters={"how": how}, ref=notice, sensitive=True,
    )  # fmt: skip
    record_event(actor=actor, action="drugtests.notice_recorded", target=notice,
                 details={"test_day": test_day.pk, "how": how, "at": at})  # fmt: skip
    return notice


@transaction.atomic
def record_result(
    *,
    actor: Any,
    result: str,
    collected_at: dt.datetime | None,
    test_day_id: int | None = None,
    enrollment_id: int | None = None,
    day: dt.date | None = None,
    substance: str = "",
    note: str = "",
) -> Event:
    """Record a test's result for a drawn day (``test_day_id``), or for ``enrollment_id`` and
    ``day`` (the drawn day if there is one, else an unscheduled test, e.g. for cause)."""
    ensure_permission(actor, "drugtests.record_result")
    test_day: TestDay | None
    if test_day_id is not None:
        test_day = _test_day_for_update(actor, test_day_id)
    elif enrollment_id is not None and day is not None:
        enrollment_for_update(actor=actor, enrollment_id=enrollment_id)  # NotFound first
        test_day = (
            TestDay.objects.select_for_update(of=("self",))
            .select_related("event")
            .filter(enrollment_id=enrollment_id, day=day)
            .first()
        )
    else:
        raise ValidationFailed({"test_day": "say which test day (or enrollment and day)"})
    problems = _result_problems(result, substance, collected_at)
    if test_day is not None and test_day.event and test_day.event.voided_at is None:
        problems["test_day"] = "this test day already has a result; void it to correct it"
    if problems:
        raise ValidationFailed(problems)
    event = plans_services.record_participant_event(
        actor=actor,
        enrollment_id=test_day.enrollment_id if test_day else enrollment_id,  # type: ignore[arg-type]
        kind=EventKind.DRUG_TEST,
        occurred_on=test_day.day if test_day else day,  # type: ignore[arg-type]
        result=result,
        substance=substance,
        details={
            "collected_at": collected_at.isoformat() if collected_at else None,
            "test_day": test_day.pk if test_day else None,
        },
        note=note,
    )
    if test_day is not None:
        test_day.event = event
        test_day.save(update_fields=["event"])
    return event


def _result_problems(result: str, substance: str, at: dt.datetime | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if result not in TestResult.values:
        problems["result"] = "say the result: negative, positive, dilute or missed"
    elif result == TestResult.POSITIVE and not substance.strip():
        problems["substance"] = "say which substance the test was positive for"
    elif result != TestResult.POSITIVE and substance.strip():
        problems["substance"] = "a substance is named only for a positive test"
    if result == TestResult.MISSED and at is not None:
        problems["collected_at"] = "a missed test has no collection time"
    if result in (TestResult.NEGATIVE, TestResult.POSITIVE, TestResult.DILUTE) and at is None:
        problems["collected_at"] = "say when the sample was collected"
    return problems


def _positive_screen_for_update(actor: Any, event_id: int) -> Event:
    event = event_for_update(actor=actor, event_id=event_id)
    if event.kind != EventKind.DRUG_TEST or event.result != TestResult.POSITIVE:
        raise ValidationFailed({"event": "only a positive screen is confirmed by a laboratory"})
    if event.voided_at is not None:
        raise ValidationFailed({"event": "this result is voided"})
    return event


@transaction.atomic
def request_confirmation(*, actor: Any, event_id: int) -> Confirmation:
    """The participant disputes a positive screen: send the sample for confirmation."""
    ensure_permission(actor, "drugtests.record_result")
    event = _positive_screen_for_update(actor, event_id)
    if Confirmation.objects.filter(event=event).exists():
        raise ValidationFailed({"event": "a confirmation is already requested for this result"})
    confirmation = Confirmation.objects.create(
        event=event, requested_at=timezone.now(), requested_by=actor
    )
    add_entry(
        enrollment=event.enrollment, kind="drugtests.confirmation_requested", actor=actor,
        occurred_on=event.occurred_on, ref=confirmation, sensitive=True,
    )  # fmt: skip
    record_event(actor=actor, action="drugtests.confirmation_requested", target=confirmation,
                 details={"event": event.pk})  # fmt: skip
    return confirmation


@transaction.atomic
def record_confirmation(
    *, actor: Any, event_id: int, lab: str, method: str, result: str, reported_on: dt.date
) -> Confirmation:
    """The laboratory's answer. A confirmed negative overturns the screen: the screen's event
    is voided with the reason and a negative event recorded in its place."""
    ensure_permission(actor, "drugtests.record_result")
    event = _positive_screen_for_update(actor, event_id)
    problems: dict[str, str] = {}
    if not lab.strip():
        problems["lab"] = "name the laboratory"
    if method not in Method.values:
        problems["method"] = "say the method: GC-MS or LC-MS"
    if result not in ConfirmationResult.values:
        problems["result"] = "say the laboratory's result: positive or negative"
    confirmation = Confirmation.objects.filter(event=event).first()
    if confirmation is not None and confirmation.result:
        problems["event"] = "this result is already confirmed"
    if problems:
        raise ValidationFailed(problems)
    if confirmation is None:
        confirmation = Confirmation(event=event, requested_at=timezone.now(), requested_by=actor)
    confirmation.lab, confirmation.method = lab.strip(), method
    confirmation.result, confirmation.reported_on = result, reported_on
    if result == ConfirmationResult.NEGATIVE:
        reason = f"overturned: {lab.strip()} confirmed negative by {method} on {reported_on}"
        plans_services.void_participant_event(actor=actor, event_id=event.pk, reason=reason)
        corrected = plans_services.record_participant_event(
            actor=actor, enrollment_id=event.enrollment_id, kind=EventKind.DRUG_TEST,
            occurred_on=event.occurred_on, result=TestResult.NEGATIVE,
            details={**event.details, "confirms": event.pk}, note=reason,
        )  # fmt: skip
        confirmation.corrected_event = corrected
        TestDay.objects.filter(event=event).update(event=corrected)
    confirmation.save()
    add_entry(
        enrollment=event.enrollment, kind="drugtests.confirmation_recorded", actor=actor,
        occurred_on=reported_on, ref=confirmation, sensitive=True,
    )  # fmt: skip
    record_event(
        actor=actor, action="drugtests.confirmation_recorded", target=confirmation,
        details={"event": event.pk, "lab": lab.strip(), "method": method, "result": result,
                 "reported_on": reported_on},
    )  # fmt: skip
    return confirmation
