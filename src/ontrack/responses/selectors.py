"""Reads of responses, through the enrollment's visibility."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db.models import QuerySet

from ontrack.audit.access import record_access
from ontrack.audit.models import Outcome
from ontrack.common.errors import NotFound
from ontrack.enrollments.selectors import visible_enrollments
from ontrack.plans.models import Event, EventKind
from ontrack.responses.fidelity import by_group, ratio_in_words
from ontrack.responses.matrix import Suggestion, matrix, trigger_of
from ontrack.responses.models import Response

# drugtests sits beside this app (no import either way); the permission's name is the contract.
VIEW_RESULT = "drugtests.view_result"


def responses_of(*, actor: Any, enrollment_id: int) -> QuerySet[Response]:
    return Response.objects.filter(
        event__enrollment__in=visible_enrollments(actor=actor),
        event__enrollment_id=enrollment_id,
    ).select_related("event")


def awaiting_response(*, actor: Any, enrollment_id: int) -> QuerySet[Event]:
    """Live events of the enrollment with no decision yet."""
    return Event.objects.filter(
        enrollment__in=visible_enrollments(actor=actor),
        enrollment_id=enrollment_id,
        voided_at__isnull=True,
        response__isnull=True,
    ).order_by("occurred_on", "pk")


def awaiting_with_suggestions(*, actor: Any, enrollment: Any) -> list[dict[str, Any]]:
    """Events awaiting a decision, each with the matrix's suggestions for the enrollment's
    phase. A drug test's suggestions give its result away, so they (and the result) are
    shown only to holders of ``drugtests.view_result``, and then the read is an access row."""
    events = list(awaiting_response(actor=actor, enrollment_id=enrollment.pk))
    sees_results = bool(actor.is_active and actor.has_perm(VIEW_RESULT))
    rows = []
    results_shown = 0
    for event in events:
        hidden = event.kind == EventKind.DRUG_TEST and not sees_results
        results_shown += event.kind == EventKind.DRUG_TEST and sees_results
        trigger = trigger_of(event.kind, "" if hidden else event.result)
        rows.append(
            {
                "event": event,
                "result_hidden": hidden,
                "suggestions": [] if hidden else matrix().suggest(trigger, enrollment.phase),
            }
        )
    if results_shown:
        record_access(actor=actor, action="responses.awaiting_results_read",
                      outcome=Outcome.SUCCESS, object_type="enrollment",
                      object_id=enrollment.pk, row_count=results_shown)  # fmt: skip
    return rows


def fidelity_of(*, actor: Any, program: Any) -> dict[str, Any]:
    """The program's figures (All Rise Standard IV): incentives and sanctions, their ratio
    against the 4:1 aim, days from event to response, events awaiting a decision. Two
    queries whatever the number of events."""
    visible = visible_enrollments(actor=actor).filter(program=program)
    events = list(
        Event.objects.filter(enrollment__in=visible, voided_at__isnull=True).values_list(
            "pk", "occurred_on"
        )
    )
    decided = {
        event_id: (kind, on)
        for event_id, kind, on in Response.objects.filter(
            event__enrollment__in=visible, event__voided_at__isnull=True
        ).values_list("event_id", "kind", "on")
    }
    frame = pl.DataFrame(
        {
            "group": ["program"] * len(events),
            "kind": [decided.get(pk, (None, None))[0] or None for pk, _ in events],
            "event_on": [on for _, on in events],
            "response_on": [decided.get(pk, (None, None))[1] for pk, _ in events],
        },
        schema={"group": pl.String, "kind": pl.String, "event_on": pl.Date,
                "response_on": pl.Date},
    )  # fmt: skip
    rows = by_group(frame).to_dicts()
    figures = rows[0] if rows else {"incentives": 0, "sanctions": 0, "mean_days": None,
                                    "median_days": None, "awaiting": 0, "ratio": None}  # fmt: skip
    return {**figures, "in_words": ratio_in_words(figures["incentives"], figures["sanctions"])}


def event_awaiting(*, actor: Any, event_id: int) -> Event:
    """A visible event (with its enrollment), for the decision form; ``NotFound`` otherwise."""
    found = (
        Event.objects.filter(pk=event_id, enrollment__in=visible_enrollments(actor=actor))
        .select_related("enrollment")
        .first()
    )
    if found is None:
        raise NotFound
    return found


def result_hidden(actor: Any, event: Event) -> bool:
    """A drug test's result (and so its suggestions) is not for those without view_result."""
    return event.kind == EventKind.DRUG_TEST and not (
        actor.is_active and actor.has_perm(VIEW_RESULT)
    )


def suggestions_for(*, actor: Any, event: Event) -> list[Suggestion]:
    if result_hidden(actor, event):
        return []
    return matrix().suggest(trigger_of(event.kind, event.result), event.enrollment.phase)
