"""Writes for plans and events: keyword-only, atomic, audited, timeline entry included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event
from ontrack.common.errors import ValidationFailed
from ontrack.common.services import ensure_permission
from ontrack.common.text import reason_problem
from ontrack.enrollments.selectors import enrollment_for_update
from ontrack.enrollments.timeline import add_entry
from ontrack.hearings.models import Hearing
from ontrack.plans.event_rules import event_problems
from ontrack.plans.models import Event, EventKind
from ontrack.plans.selectors import event_for_update


@transaction.atomic
def record_participant_event(
    *,
    actor: Any,
    enrollment_id: int,
    kind: str,
    occurred_on: dt.date,
    hours: Decimal | None = None,
    verified_by: str = "",
    verification: str = "",
    result: str = "",
    substance: str = "",
    hearing: Hearing | None = None,
    hearing_id: int | None = None,
    details: dict[str, Any] | None = None,
    note: str = "",
) -> Event:
    """Record what a participant did (or did not do): the one door every app's events go
    through. The per-kind rules are ``plans/event_rules.py``; a refusal records nothing."""
    ensure_permission(actor, "plans.record_event")
    enrollment = enrollment_for_update(actor=actor, enrollment_id=enrollment_id)
    if hearing_id is not None:  # the API names the hearing by id; the rules check whose it is
        hearing = Hearing.objects.filter(pk=hearing_id).first()
        if hearing is None:
            raise ValidationFailed({"hearing": "that hearing is not one of this participant's"})
    if problems := event_problems(
        kind=kind, occurred_on=occurred_on, today=timezone.localdate(),
        enrollment_id=enrollment.pk,
        hours=hours, result=result, substance=substance, hearing=hearing, details=details,
    ):  # fmt: skip
        raise ValidationFailed(problems)
    kind = EventKind(kind)
    hours = Decimal(str(hours)) if hours is not None else None
    event = Event.objects.create(
        enrollment=enrollment,
        kind=kind,
        occurred_on=occurred_on,
        recorded_at=timezone.now(),
        recorded_by=actor,
        hours=hours,
        verified_by=verified_by.strip(),
        verification=verification.strip(),
        result=result,
        substance=substance.strip(),
        hearing=hearing,
        details=details or {},
        note=note.strip(),
    )
    add_entry(
        enrollment=enrollment,
        kind=f"event.{kind.value}",
        actor=actor,
        occurred_on=occurred_on,
        # A drug test's result stays in its event, read through its own access rule; the
        # timeline says only that a test was recorded.
        parameters={} if kind == EventKind.DRUG_TEST else {"hours": hours},
        ref=event,
        sensitive=kind == EventKind.DRUG_TEST,
    )
    record_event(
        actor=actor,
        action="event.recorded",
        target=event,
        details={"enrollment": enrollment.pk, "kind": kind.value, "occurred_on": occurred_on},
    )
    return event


@transaction.atomic
def void_participant_event(*, actor: Any, event_id: int, reason: str) -> Event:
    """Void an event recorded in error (it stops counting; who, when and why are kept)."""
    ensure_permission(actor, "plans.record_event")
    event = event_for_update(actor=actor, event_id=event_id)
    if problem := reason_problem(reason.strip(), what="a reason", limit=2000,
                                 missing="say why the event is voided"):  # fmt: skip
        raise ValidationFailed({"reason": problem})
    if event.voided_at is not None:
        raise ValidationFailed({"event": "this event is already voided"})
    event.voided_at = timezone.now()
    event.voided_by = actor
    event.void_reason = reason.strip()
    event.save(update_fields=["voided_at", "voided_by", "void_reason"])
    add_entry(
        enrollment=event.enrollment,
        kind="event.voided",
        actor=actor,
        occurred_on=event.occurred_on,
        parameters={"event_kind": event.kind, "reason": event.void_reason},
        ref=event,
    )
    record_event(
        actor=actor, action="event.voided", target=event, details={"reason": event.void_reason}
    )
    return event
