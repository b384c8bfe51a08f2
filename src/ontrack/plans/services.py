"""Writes for plans and events: keyword-only, atomic, audited, timeline entry included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event
from ontrack.common.services import ensure_permission
from ontrack.enrollments.selectors import enrollment_for_update
from ontrack.enrollments.timeline import add_entry
from ontrack.hearings.models import Hearing
from ontrack.plans.models import Event, EventKind


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
    details: dict[str, Any] | None = None,
    note: str = "",
) -> Event:
    """Record what a participant did (or did not do). The per-kind rules are in
    ``plans/event_rules.py``; this is the one door every app's events go through."""
    ensure_permission(actor, "plans.record_event")
    enrollment = enrollment_for_update(actor=actor, enrollment_id=enrollment_id)
    kind = EventKind(kind)
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
