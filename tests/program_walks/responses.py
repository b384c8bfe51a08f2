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


def _walk_with_suggestions(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        _event(w, enrollment)
    assert len(selectors.awaiting_with_suggestions(actor=w.actor, enrollment=w.visible)) == 1
    assert selectors.awaiting_with_suggestions(actor=w.actor, enrollment=w.hidden) == []


def _walk_fidelity(w: ProgramWorld) -> None:
    assert w.visible.program_id == w.hidden.program_id
    for enrollment in (w.visible, w.hidden):
        _event(w, enrollment)
    assert selectors.fidelity_of(actor=w.actor, program=w.visible.program)["awaiting"] == 1


def _walk_event(w: ProgramWorld) -> None:
    from ontrack.common.errors import NotFound

    visible, hidden = _event(w, w.visible), _event(w, w.hidden)
    assert selectors.event_awaiting(actor=w.actor, event_id=visible.pk) == visible
    for pk in (hidden.pk, hidden.pk + 1000):
        try:
            selectors.event_awaiting(actor=w.actor, event_id=pk)
        except NotFound:
            continue
        raise AssertionError(f"event {pk} was returned")


def _record_page(w: ProgramWorld) -> tuple[dict[str, int], dict[str, int], Any]:
    hidden = _event(w, w.hidden).pk
    return ({"event_id": hidden}, {"event_id": hidden + 1000},
            {"no_response_reason": "walk", "on": "2025-07-02"})  # fmt: skip


SELECTORS: dict[str, Callable[[ProgramWorld], None]] = {
    "ontrack.responses.selectors.awaiting_with_suggestions": _walk_with_suggestions,
    "ontrack.responses.selectors.fidelity_of": _walk_fidelity,
    "ontrack.responses.selectors.event_awaiting": _walk_event,
    "ontrack.responses.selectors.responses_of": _walk_responses,
    "ontrack.responses.selectors.awaiting_response": _walk_awaiting,
}
NOT_ABOUT_RECORDS: dict[str, str] = {
    "ontrack.responses.selectors.result_hidden": "a permission check on an event in hand",
    "ontrack.responses.selectors.suggestions_for": "the matrix for an event already read",
}
PAGES: dict[str, Callable[[ProgramWorld], tuple[dict[str, int], dict[str, int], Any]]] = {
    "responses:record": _record_page,
}
SERVICES: dict[str, Callable[[ProgramWorld], Callable[[], Any]]] = {
    "ontrack.responses.services.record_response": _respond,
    "ontrack.responses.services.record_no_response": _no_response,
}
SERVICE_MODULES: list[Any] = [services]


def state() -> tuple[Any, ...]:
    return (Response.objects.count(),)


def _api_responses(w: ProgramWorld) -> tuple[str, str, list[tuple[str, Any]]]:
    return (f"enrollments/{w.hidden.pk}/responses", f"enrollments/{w.missing}/responses",
            [("get", None)])  # fmt: skip


def _api_event_response(w: ProgramWorld) -> tuple[str, str, list[tuple[str, Any]]]:
    hidden = _event(w, w.hidden).pk
    return (f"events/{hidden}/response", f"events/{hidden + 1000}/response",
            [("post", {"no_response_reason": "walk", "on": "2025-07-02"})])  # fmt: skip


API_CALLS: dict[str, Callable[[ProgramWorld], tuple[str, str, list[tuple[str, Any]]]]] = {
    "api:responses": _api_responses,
    "api:event_response": _api_event_response,
}


def samples(records: dict[str, Any], case: Any) -> dict[str, Any]:
    """One event on the sample enrollment (enrollments' samples run first: sorted modules),
    for tests that open every page (the decision form's URL names it)."""
    enrollment = records["enrollment"]
    event = Event.objects.create(enrollment=enrollment, kind="hearing_missed", occurred_on=DAY,
                                 recorded_at=enrollment.state_since,
                                 recorded_by=records["reader"])  # fmt: skip
    return {"event_id": event.pk}
