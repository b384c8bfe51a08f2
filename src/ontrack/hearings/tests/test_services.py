"""Scheduling, moving, cancelling and holding hearings; refusals change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ontrack.audit.models import AuditEvent
from ontrack.common.errors import ConcurrentEdit, NotFound, ValidationFailed
from ontrack.enrollments.models import TimelineEntry
from ontrack.hearings import services
from ontrack.hearings.models import ContactPreference, Hearing, Reminder
from ontrack.hearings.tests.conftest import NOW

pytestmark = pytest.mark.django_db
IN_TEN_DAYS = dt.datetime(2026, 3, 12, 17, 30, tzinfo=dt.UTC)


def _state() -> tuple[Any, ...]:
    return (
        list(Hearing.objects.order_by("pk").values_list("starts_at", "status", "row_version")),
        Reminder.objects.count(),
        list(ContactPreference.objects.values_list("language", "sms_opt_out")),
        TimelineEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def _refused(call: Any, field: str, message: str) -> None:
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert refused.value.problems == {field: message}
    assert _state() == before


def _schedule(actor: Any, enrollment: Any, **kwargs: Any) -> Hearing:
    values: dict[str, Any] = {
        "starts_at": IN_TEN_DAYS,
        "court": "SF Superior Court",
        "department": "Dept. 17",
    }
    return services.schedule_hearing(actor=actor, enrollment_id=enrollment.pk, **(values | kwargs))


def test_scheduling_writes_the_hearing_its_reminders_timeline_and_audit(
    clock: Any, case_manager: Any, enrollment: Any
) -> None:
    hearing = _schedule(case_manager, enrollment, court="  SF Superior Court ")
    assert (hearing.court, hearing.department, hearing.status) == (
        "SF Superior Court", "Dept. 17", "scheduled",
    )  # fmt: skip
    rows = list(Reminder.objects.order_by("due_at", "channel").values_list("kind", "channel",
                                                                            "due_at"))  # fmt: skip
    assert rows == [
        ("at_scheduling", "email", NOW),
        ("at_scheduling", "sms", NOW),
        ("week_before", "email", dt.datetime(2026, 3, 5, 17, 30, tzinfo=dt.UTC)),
        ("week_before", "sms", dt.datetime(2026, 3, 5, 17, 30, tzinfo=dt.UTC)),
        ("day_before", "email", dt.datetime(2026, 3, 11, 17, 30, tzinfo=dt.UTC)),
        ("day_before", "sms", dt.datetime(2026, 3, 11, 17, 30, tzinfo=dt.UTC)),
    ]
    entry = TimelineEntry.objects.get()
    assert (entry.kind, entry.ref_id) == ("hearing.scheduled", hearing.pk)
    audit = AuditEvent.objects.get(action="hearing.scheduled")
    assert audit.details["reminders"] == 6


def test_a_hearing_in_three_days_has_no_week_before_reminder(
    clock: Any, case_manager: Any, enrollment: Any
) -> None:
    _schedule(case_manager, enrollment, starts_at=dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC))
    assert sorted(set(Reminder.objects.values_list("kind", flat=True))) == [
        "at_scheduling", "day_before",
    ]  # fmt: skip


def test_scheduling_refusals_change_nothing(clock: Any, case_manager: Any, enrollment: Any) -> None:
    _refused(lambda: _schedule(case_manager, enrollment, court="  "),
             "court", "name the court the hearing is in")  # fmt: skip
    _refused(lambda: _schedule(case_manager, enrollment, starts_at=NOW),
             "starts_at", "a hearing is scheduled in the future")  # fmt: skip
    _refused(lambda: _schedule(case_manager, enrollment, starts_at=dt.datetime(2026, 3, 12, 9)),
             "starts_at", "give the time with its time zone")  # fmt: skip
    enrollment.state, enrollment.phase = "referred", None
    enrollment.save()
    _refused(lambda: _schedule(case_manager, enrollment),
             "enrollment", "no hearing can be scheduled while Referred")  # fmt: skip


def test_an_absconded_participant_can_be_called_back_to_court(
    clock: Any, case_manager: Any, enrollment: Any
) -> None:
    enrollment.state, enrollment.phase = "absconded", None
    enrollment.save()
    assert _schedule(case_manager, enrollment).status == "scheduled"


def test_an_enrollment_on_someone_elses_caseload_is_not_found(clock: Any, enrollment: Any) -> None:
    from conftest import make_user

    other = make_user("case_manager", "other")
    before = _state()
    with pytest.raises(NotFound):
        _schedule(other, enrollment)
    assert _state() == before


def test_rescheduling_moves_it_and_plans_new_reminders(
    clock: Any, case_manager: Any, enrollment: Any
) -> None:
    hearing = _schedule(case_manager, enrollment)
    later = dt.datetime(2026, 3, 20, 17, 30, tzinfo=dt.UTC)
    moved = services.reschedule_hearing(actor=case_manager, hearing_id=hearing.pk,
                                        starts_at=later, reason="court closed",
                                        expected_version=1)  # fmt: skip
    assert (moved.starts_at, moved.row_version) == (later, 2)
    assert Reminder.objects.filter(for_starts_at=later).count() == 6
    assert Reminder.objects.filter(for_starts_at=IN_TEN_DAYS).count() == 6
    entry = TimelineEntry.objects.get(kind="hearing.rescheduled")
    assert entry.parameters["reason"] == "court closed"
    assert AuditEvent.objects.filter(action="hearing.rescheduled").count() == 1


def test_rescheduling_refusals_change_nothing(
    clock: Any, case_manager: Any, enrollment: Any
) -> None:
    hearing = _schedule(case_manager, enrollment)
    later = dt.datetime(2026, 3, 20, 17, 30, tzinfo=dt.UTC)

    def move(**kwargs: Any) -> Any:
        values: dict[str, Any] = {"starts_at": later, "reason": "court closed",
                                  "expected_version": 1}  # fmt: skip
        return services.reschedule_hearing(
            actor=case_manager, hearing_id=hearing.pk, **(values | kwargs)
        )

    _refused(lambda: move(reason=" "), "reason", "say why the hearing is moved")
    _refused(
        lambda: move(starts_at=IN_TEN_DAYS), "starts_at", "the hearing is already at that time"
    )
    before = _state()
    with pytest.raises(ConcurrentEdit):
        move(expected_version=7)
    assert _state() == before


def test_cancelling_then_no_more_changes(clock: Any, case_manager: Any, enrollment: Any) -> None:
    hearing = _schedule(case_manager, enrollment)
    cancelled = services.cancel_hearing(
        actor=case_manager, hearing_id=hearing.pk, reason="dismissed early", expected_version=1
    )
    assert (cancelled.status, cancelled.row_version) == ("cancelled", 2)
    assert TimelineEntry.objects.filter(kind="hearing.cancelled").count() == 1
    _refused(lambda: services.cancel_hearing(actor=case_manager, hearing_id=hearing.pk,
                                             reason="again", expected_version=2),
             "hearing", "this hearing is Cancelled")  # fmt: skip


def test_held_only_once_it_has_started(clock: Any, case_manager: Any, enrollment: Any) -> None:
    hearing = _schedule(case_manager, enrollment)

    def held() -> Hearing:
        return services.mark_hearing_held(actor=case_manager, hearing_id=hearing.pk,
                                          expected_version=1)  # fmt: skip

    _refused(held, "hearing", "this hearing has not started yet")
    clock.at = IN_TEN_DAYS + dt.timedelta(hours=1)
    assert held().status == "held"
    assert TimelineEntry.objects.filter(kind="hearing.held").count() == 1


def test_contact_preference_is_recorded_once_per_person(
    clock: Any, case_manager: Any, enrollment: Any
) -> None:
    def record(**kwargs: Any) -> ContactPreference:
        values: dict[str, Any] = {"language": "es", "email_opt_out": False, "sms_opt_out": True}
        return services.record_contact_preference(
            actor=case_manager, enrollment_id=enrollment.pk, **(values | kwargs)
        )

    record()
    record(language="ES ")
    assert list(ContactPreference.objects.values_list("person_id", "language", "sms_opt_out")) == [
        (enrollment.case.defendant_id, "es", True)
    ]
    _refused(lambda: record(language="xx"), "language", "one of en, es, or blank")
