"""The access stream: who read, exported or was refused what, and sign-in steps (ADR 0032).

CJIS AU-2 (events logged), AU-3 (content: who, what, when, where, outcome), AU-5 (response to
a logging failure), AU-9 (append-only, ``audit/0005``).

Two ways in:

- ``note_access(request, ...)``: a view notes what it shows (one line, first in the view); the
  ``AccessLogMiddleware`` writes the rows after the response, with the outcome the response
  had: a page that failed (5xx) is a ``failure``, a refusal (403/404) is ``denied``. A 403 or
  404 to a signed-in user that no view noted is written too (``request.denied``).
- ``record_access(...)``: commands and sign-in steps write their row directly.

Rows are written in their own short transaction, never inside a business transaction
(``atomic(durable=True)`` refuses to nest in one): a read that a rollback undoes is still a
read, and a change's rollback must not take the proof of a refusal with it.

AU-5: when the row cannot be written, the data is not delivered (fail closed): the page is
replaced by a 503 that carries none of it, and the failure is logged at CRITICAL on
``ontrack.audit`` for the administrators' alerting. Commands refuse to write their file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from ontrack.audit.context import current_origin
from ontrack.audit.models import AccessEvent, Outcome
from ontrack.audit.services import jsonable

logger = logging.getLogger("ontrack.audit")

_NOTES = "_ontrack_access_notes"


@dataclass(frozen=True)
class AccessNote:
    action: str
    object_type: str = ""
    object_id: str = ""
    row_count: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


def note_access(
    request: HttpRequest,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    *,
    row_count: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Note that this request reads (or exports) a record; written after the response."""
    notes: list[AccessNote] = request.__dict__.setdefault(_NOTES, [])
    notes.append(AccessNote(action, object_type, str(object_id), row_count, dict(details or {})))


def note_row_count(request: HttpRequest, row_count: int) -> None:
    """Add the number of rows shown to this request's latest note: a list's view notes the
    access first (so a refusal is still on the stream) and knows the count only later."""
    notes: list[AccessNote] = request.__dict__.get(_NOTES, [])
    if notes:
        last = notes[-1]
        notes[-1] = AccessNote(
            last.action, last.object_type, last.object_id, row_count, last.details
        )


def outcome_for(status: int) -> str:
    """What a response status means for an access (a 400 form page still showed the record)."""
    if status >= 500:
        return Outcome.FAILURE
    if status in (403, 404):
        return Outcome.DENIED
    return Outcome.SUCCESS


def _actor_and_username(actor: Any, username: str | None) -> tuple[Any, str]:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor, username if username is not None else actor.get_username()
    return None, username or ""


def _event(
    *,
    actor: Any,
    action: str,
    outcome: str,
    username: str | None = None,
    object_type: str = "",
    object_id: str | int = "",
    status_code: int | None = None,
    row_count: int | None = None,
    details: Mapping[str, Any] | None = None,
    method: str = "",
    path: str = "",
) -> AccessEvent:
    if outcome not in Outcome.values:
        raise ValueError(f"outcome must be one of {', '.join(Outcome.values)}, not {outcome!r}")
    who, name = _actor_and_username(actor, username)
    here = current_origin()
    return AccessEvent(
        actor=who,
        username=name[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        outcome=outcome,
        status_code=status_code,
        row_count=row_count,
        request_id=here.request_id,
        ip_address=here.ip_address,
        source=here.source,
        os_user=here.os_user,
        method=method[:10],
        path=path[:500],
        details={k: jsonable(v) for k, v in (details or {}).items()},
    )


def _write(events: list[AccessEvent]) -> None:
    # durable: a RuntimeError if a caller holds a transaction open around this (the access
    # row would then share the fate of someone else's business transaction).
    with transaction.atomic(durable=True):
        for event in events:
            event.save()


def record_access(*, actor: Any, **fields: Any) -> AccessEvent:
    """Append one access row now, in its own transaction; ``fields`` as ``_event`` takes them
    (``action``, ``outcome``, ``username``, ``object_type``, ``object_id``, ``row_count``,
    ``details``...). ``actor`` may be None or anonymous (a sign-in for a name that matches no
    account): ``username`` then says who was claimed."""
    event = _event(actor=actor, **fields)
    _write([event])
    return event


def _events_for(request: HttpRequest, response: HttpResponse) -> list[AccessEvent]:
    user = getattr(request, "user", None)
    notes: list[AccessNote] = request.__dict__.get(_NOTES, [])
    status = response.status_code
    method, path = request.method or "", request.path
    events = [
        _event(
            actor=user,
            action=note.action,
            outcome=outcome_for(status),
            object_type=note.object_type,
            object_id=note.object_id,
            status_code=status,
            # An export that failed delivered nothing.
            row_count=note.row_count if status < 400 else None,
            details=note.details,
            method=method,
            path=path,
        )
        for note in notes
    ]
    # Only then is the user loaded (anonymous refusals are sign-in redirects, not reads).
    if not events and status in (403, 404) and user is not None and user.is_authenticated:
        match = getattr(request, "resolver_match", None)
        events.append(
            _event(
                actor=user,
                action="request.denied",
                outcome=Outcome.DENIED,
                object_type="page",
                object_id=(match.view_name if match else ""),
                status_code=status,
                method=method,
                path=path,
            )
        )
    return events


def withheld() -> HttpResponse:
    """The page shown instead of data whose access could not be recorded (CJIS AU-5)."""
    return HttpResponse(render_to_string("audit/access_unrecorded.html"), status=503)


class AccessLogMiddleware:
    """Writes the request's access rows after the response is made, before it is sent.

    Placed inside ``RequestContextMiddleware`` (the rows carry its request id and address)
    and outside every view, so a view's exception has already become its 500 response here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        events = _events_for(request, response)
        if not events:
            return response
        try:
            _write(events)
        except Exception:
            # AU-5: fail closed. The response (the data) is dropped, never sent unrecorded.
            logger.critical(
                "access record not written; response withheld (%s %s, %d rows)",
                request.method,
                request.path,
                len(events),
                exc_info=True,
            )
            return withheld()
        return response
