"""Writes for hearings: keyword-only, atomic, audited, timeline entry included.

Whether the participant came is not recorded here: it is a plans event (``hearing_attended``
/ ``hearing_missed``, ``plans.services.record_participant_event(hearing=...)``), because
plans sits above this app. ``mark_hearing_held`` is the one write that says the hearing took
place; the page that records the outcome calls both in one request (docs/hearings.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import bump_version, ensure_permission
from ontrack.common.text import reason_problem
from ontrack.enrollments.lifecycle import PARTICIPATING, State
from ontrack.enrollments.selectors import enrollment_for_update, visible_enrollments
from ontrack.enrollments.timeline import add_entry
from ontrack.hearings.models import ContactPreference, Hearing, HearingStatus
from ontrack.hearings.reminders import plan_reminders

# Who can be called to court as a participant: those in the program, and an absconded
# participant, whom the court calls back (All Rise Standard IV: re-engagement before a
# sanction of last resort). Before the offer is accepted there is no program hearing.
HEARING_STATES: frozenset[State] = PARTICIPATING | {State.ABSCONDED}
MAX_COURT = 100
MAX_DEPARTMENT = 40


def _where(court: str, department: str) -> tuple[str, str]:
    court, department = court.strip(), department.strip()
    if not court:
        raise ValidationFailed({"court": "name the court the hearing is in"})
    if len(court) > MAX_COURT:
        raise ValidationFailed({"court": f"at most {MAX_COURT} characters"})
    if len(department) > MAX_DEPARTMENT:
        raise ValidationFailed({"department": f"at most {MAX_DEPARTMENT} characters"})
    return court, department


def _future(starts_at: dt.datetime) -> dt.datetime:
    if timezone.is_naive(starts_at):
        raise ValidationFailed({"starts_at": "give the time with its time zone"})
    if starts_at <= timezone.now():
        raise ValidationFailed({"starts_at": "a hearing is scheduled in the future"})
    return starts_at


def _reason(reason: str, *, missing: str) -> str:
    reason = reason.strip()
    if problem := reason_problem(reason, what="a reason", limit=2000, missing=missing):
        raise ValidationFailed({"reason": problem})
    return reason


def _hearing_for_update(actor: Any, hearing_id: int) -> Hearing:
    found = (
        Hearing.objects.select_for_update(of=("self",))
        .select_related("enrollment", "enrollment__case")
        .filter(pk=hearing_id, enrollment__in=visible_enrollments(actor=actor))
        .first()
    )
    if found is None:
        raise NotFound
    return found


@transaction.atomic
def schedule_hearing(
    *,
    actor: Any,
    enrollment_id: int,
    starts_at: dt.datetime,
    court: str,
    department: str = "",
) -> Hearing:
    """Put a participant's progress hearing on the court calendar (BJA FS 000316: frequent
    status hearings before the judge) and plan its reminders."""
    ensure_permission(actor, "hearings.schedule_hearing")
    enrollment = enrollment_for_update(actor=actor, enrollment_id=enrollment_id)
    if enrollment.state not in HEARING_STATES:
        raise ValidationFailed(
            {"enrollment": f"no hearing can be scheduled while {enrollment.get_state_display()}"}
        )
    starts_at = _future(starts_at)
    court, department = _where(court, department)
    hearing = Hearing.objects.create(
        enrollment=enrollment, starts_at=starts_at, court=court, department=department
    )
    reminders = plan_reminders(hearing, now=timezone.now())
    add_entry(
        enrollment=enrollment, kind="hearing.scheduled", actor=actor,
        occurred_on=timezone.localdate(), ref=hearing,
        parameters={"starts_at": starts_at, "court": court, "department": department},
    )  # fmt: skip
    record_event(
        actor=actor, action="hearing.scheduled", target=hearing,
        details={"enrollment": enrollment.pk, "starts_at": starts_at, "court": court,
                 "department": department, "reminders": len(reminders)},
    )  # fmt: skip
    return hearing


@transaction.atomic
def reschedule_hearing(
    *, actor: Any, hearing_id: int, starts_at: dt.datetime, reason: str, expected_version: int
) -> Hearing:
    """Move a scheduled hearing. The reminders planned for the old time stay and are skipped
    as stale when due; the new time gets its own."""
    ensure_permission(actor, "hearings.schedule_hearing")
    hearing = _hearing_for_update(actor, hearing_id)
    if hearing.status != HearingStatus.SCHEDULED:
        raise ValidationFailed({"hearing": f"this hearing is {hearing.get_status_display()}"})
    starts_at = _future(starts_at)
    reason = _reason(reason, missing="say why the hearing is moved")
    if starts_at == hearing.starts_at:
        raise ValidationFailed({"starts_at": "the hearing is already at that time"})
    bump_version(hearing, expected_version)
    before = hearing.starts_at
    hearing.starts_at = starts_at
    hearing.save(update_fields=["starts_at", "updated_at"])
    plan_reminders(hearing, now=timezone.now())
    add_entry(
        enrollment=hearing.enrollment, kind="hearing.rescheduled", actor=actor,
        occurred_on=timezone.localdate(), ref=hearing,
        parameters={"from": before, "to": starts_at, "reason": reason},
    )  # fmt: skip
    record_event(
        actor=actor, action="hearing.rescheduled", target=hearing,
        details={"from": before, "to": starts_at, "reason": reason},
    )  # fmt: skip
    return hearing


@transaction.atomic
def cancel_hearing(*, actor: Any, hearing_id: int, reason: str, expected_version: int) -> Hearing:
    """Take a scheduled hearing off the calendar; its reminders are skipped when due."""
    ensure_permission(actor, "hearings.schedule_hearing")
    hearing = _hearing_for_update(actor, hearing_id)
    if hearing.status != HearingStatus.SCHEDULED:
        raise ValidationFailed({"hearing": f"this hearing is {hearing.get_status_display()}"})
    reason = _reason(reason, missing="say why the hearing is cancelled")
    bump_version(hearing, expected_version)
    hearing.status = HearingStatus.CANCELLED
    hearing.save(update_fields=["status", "updated_at"])
    add_entry(
        enrollment=hearing.enrollment, kind="hearing.cancelled", actor=actor,
        occurred_on=timezone.localdate(), ref=hearing,
        parameters={"starts_at": hearing.starts_at, "reason": reason},
    )  # fmt: skip
    record_event(actor=actor, action="hearing.cancelled", target=hearing,
                 details={"reason": reason})  # fmt: skip
    return hearing


@transaction.atomic
def mark_hearing_held(*, actor: Any, hearing_id: int, expected_version: int) -> Hearing:
    """The hearing took place (whether the participant came is the plans event)."""
    ensure_permission(actor, "hearings.schedule_hearing")
    hearing = _hearing_for_update(actor, hearing_id)
    if hearing.status != HearingStatus.SCHEDULED:
        raise ValidationFailed({"hearing": f"this hearing is {hearing.get_status_display()}"})
    if hearing.starts_at > timezone.now():
        raise ValidationFailed({"hearing": "this hearing has not started yet"})
    bump_version(hearing, expected_version)
    hearing.status = HearingStatus.HELD
    hearing.save(update_fields=["status", "updated_at"])
    add_entry(
        enrollment=hearing.enrollment, kind="hearing.held", actor=actor,
        occurred_on=timezone.localdate(hearing.starts_at), ref=hearing,
        parameters={"starts_at": hearing.starts_at},
    )  # fmt: skip
    record_event(actor=actor, action="hearing.held", target=hearing, details={})
    return hearing


@transaction.atomic
def record_contact_preference(
    *, actor: Any, enrollment_id: int, language: str, email_opt_out: bool, sms_opt_out: bool
) -> ContactPreference:
    """The language and opt-outs of the participant of an enrollment (language blank: not
    known, reminders in English)."""
    from ontrack.hearings.reminders import LANGUAGES

    ensure_permission(actor, "hearings.schedule_hearing")
    enrollment = enrollment_for_update(actor=actor, enrollment_id=enrollment_id)
    language = language.strip().lower()
    if language and language not in LANGUAGES:
        raise ValidationFailed({"language": f"one of {', '.join(sorted(LANGUAGES))}, or blank"})
    values = {"language": language, "email_opt_out": email_opt_out, "sms_opt_out": sms_opt_out}
    preference, _ = ContactPreference.objects.select_for_update().get_or_create(
        person_id=enrollment.case.defendant_id, defaults=values
    )
    for field, value in values.items():
        setattr(preference, field, value)
    preference.save()
    add_entry(
        enrollment=enrollment, kind="hearing.contact_preference", actor=actor,
        occurred_on=timezone.localdate(), ref=preference, parameters=values,
    )  # fmt: skip
    record_event(actor=actor, action="hearing.contact_preference_recorded", target=preference,
                 details={"enrollment": enrollment.pk, **values})  # fmt: skip
    return preference
