"""The responses app in the program walk (see ``tests/program_walks/enrollments.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ontrack.plans.models import Event
from ontrack.responses import selectors, services
from ontrack.responses.models import Response
from tests.program_walks.world import ProgramWorld

DAY = dt.date(2025, 7, 2)


def _event(w: ProgramWorld, enrollment: Any) -> Event:
    return Event.objects.create(
        enrollment=enrollment, kind="hearing_missed", occurred_on=DAY,
        recorded_at=enrollment.state_since, recorded_by=w.actor,
    )  # fmt: skip


def _walk_awaiting(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        _event(w, enrollment)
    assert len(selectors.awaiting_response(actor=w.actor, enrollment_id=w.visible.pk)) == 1
    assert list(selectors.awaiting_response(actor=w.actor, enrollment_id=w.hidden.pk)) == []


def _walk_responses(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        Response.objects.create(event=_event(w, enrollment), code="warning", kind="sanction",
                                on=DAY, recorded_at=enrollment.state_since,
                                recorded_by=w.actor)  # fmt: skip
    assert len(selectors.responses_of(actor=w.actor, enrollment_id=w.visible.pk)) == 1
    assert list(selectors.responses_of(actor=w.actor, enrollment_id=w.hidden.pk)) == []


def _respond(w: ProgramWorld) -> Callable[[], Any]:
    event_id = _event(w, w.hidden).pk
    return lambda: services.record_response(actor=w.actor, event_id=event_id,
                                            response_code="warning", kind="sanction",
                                            chosen_from_suggestions=True, on=DAY)  # fmt: skip


def _no_response(w: ProgramWorld) -> Callable[[], Any]:
    event_id = _event(w, w.hidden).pk
    return lambda: services.record_no_response(actor=w.actor, event_id=event_id, reason="walk",
                                               on=DAY)  # fmt: skip


SELECTORS: dict[str, Callable[[ProgramWorld], None]] = {
    "ontrack.responses.selectors.responses_of": _walk_responses,
    "ontrack.responses.selectors.awaiting_response": _walk_awaiting,
}
NOT_ABOUT_RECORDS: dict[str, str] = {}
PAGES: dict[str, Callable[[ProgramWorld], tuple[dict[str, int], dict[str, int], Any]]] = {}
SERVICES: dict[str, Callable[[ProgramWorld], Callable[[], Any]]] = {
    "ontrack.responses.services.record_response": _respond,
    "ontrack.responses.services.record_no_response": _no_response,
}
SERVICE_MODULES: list[Any] = [services]


def state() -> tuple[Any, ...]:
    return (Response.objects.count(),)
