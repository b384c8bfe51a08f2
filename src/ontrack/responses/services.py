"""Writes for responses: keyword-only, atomic, audited, timeline entry included.

All Rise Standard IV: every behaviour the team learns of gets a decision, a response or a
recorded reason for none; an event has at most one decision (the OneToOne on ``event``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event
from ontrack.common.errors import ValidationFailed
from ontrack.common.services import ensure_permission
from ontrack.enrollments.timeline import add_entry
from ontrack.plans.models import Event
from ontrack.plans.selectors import event_for_update
from ontrack.responses.matrix import matrix
from ontrack.responses.models import Response, ResponseKind


def _decision_problems(event: Event) -> dict[str, str]:
    if event.voided_at is not None:
        return {"event": "this event is voided"}
    if Response.objects.filter(event=event).exists():
        return {"event": "this event already has a response decision"}
    return {}


@transaction.atomic
def record_response(
    *,
    actor: Any,
    event_id: int,
    response_code: str,
    kind: str,
    chosen_from_suggestions: bool,
    note: str = "",
    on: dt.date,
) -> Response:
    ensure_permission(actor, "responses.record_response")
    event = event_for_update(actor=actor, event_id=event_id)
    problems = _decision_problems(event)
    if kind not in ResponseKind.values:
        problems["kind"] = "say the kind: incentive, sanction or service_adjustment"
    known = matrix().responses.get(response_code)
    if not response_code.strip():
        problems["response_code"] = "say which response"
    elif known is not None and kind in ResponseKind.values and known.kind != kind:
        problems["kind"] = f"{response_code} is a {known.kind}, not a {kind}"
    if on < event.occurred_on:
        problems["on"] = "a response comes on or after the event"
    if problems:
        raise ValidationFailed(problems)
    response = Response.objects.create(
        event=event, code=response_code.strip(), kind=kind,
        chosen_from_suggestions=chosen_from_suggestions, note=note.strip(), on=on,
        recorded_at=timezone.now(), recorded_by=actor,
    )  # fmt: skip
    add_entry(enrollment=event.enrollment, kind="responses.response", actor=actor,
              occurred_on=on, parameters={"code": response.code, "kind": kind},
              ref=response)  # fmt: skip
    record_event(actor=actor, action="responses.recorded", target=response,
                 details={"event": event.pk, "code": response.code, "kind": kind,
                          "chosen_from_suggestions": chosen_from_suggestions})  # fmt: skip
    return response


@transaction.atomic
def record_no_response(*, actor: Any, event_id: int, reason: str, on: dt.date) -> Response:
    """The team decided not to respond; why is kept (a missing response is not a decision)."""
    ensure_permission(actor, "responses.record_response")
    event = event_for_update(actor=actor, event_id=event_id)
    problems = _decision_problems(event)
    if not reason.strip():
        problems["reason"] = "say why there is no response"
    if problems:
        raise ValidationFailed(problems)
    response = Response.objects.create(
        event=event, no_response_reason=reason.strip(), on=on, recorded_at=timezone.now(),
        recorded_by=actor,
    )  # fmt: skip
    add_entry(enrollment=event.enrollment, kind="responses.no_response", actor=actor,
              occurred_on=on, parameters={"reason": response.no_response_reason},
              ref=response)  # fmt: skip
    record_event(actor=actor, action="responses.no_response", target=response,
                 details={"event": event.pk, "reason": response.no_response_reason})  # fmt: skip
    return response
