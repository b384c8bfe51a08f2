"""Recording a decision on an event from the participant page's "Responses" panel.

Success goes back to the panel; a refusal shows the form again with the problems, and the
service has changed nothing (ValidationFailed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ontrack.common.access import requires
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.site import office_today
from ontrack.responses import selectors, services
from ontrack.responses.models import ResponseKind


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def decide(*, actor: Any, event_id: int, data: Any) -> Any:
    """A response when ``response_code`` is given, else a decision not to respond."""
    on = _date(data.get("on", ""))
    if on is None:
        raise ValidationFailed({"on": "give the date as YYYY-MM-DD"})
    code = data.get("response_code", "").strip()
    reason = data.get("no_response_reason", "").strip()
    if code and reason:
        raise ValidationFailed({"event": "choose a response or a reason for none, not both"})
    if not code:
        return services.record_no_response(actor=actor, event_id=event_id, reason=reason, on=on)
    event = selectors.event_awaiting(actor=actor, event_id=event_id)
    suggested = {s.code for s in selectors.suggestions_for(actor=actor, event=event)}
    return services.record_response(
        actor=actor, event_id=event_id, response_code=code, kind=data.get("kind", ""),
        chosen_from_suggestions=code in suggested, note=data.get("note", ""), on=on,
    )  # fmt: skip


@require_POST
@requires("responses.record_response")
def record(request: HttpRequest, event_id: int) -> HttpResponse:
    try:
        decision = decide(actor=request.user, event_id=event_id, data=request.POST)
    except NotFound:
        raise Http404 from None
    except ValidationFailed as refused:
        event = selectors.event_awaiting(actor=request.user, event_id=event_id)
        suggestions = selectors.suggestions_for(actor=request.user, event=event)
        return render(
            request, "responses/record.html",
            {"event": event, "suggestions": suggestions, "kinds": ResponseKind.choices,
             "values": request.POST, "errors": refused.problems, "today": office_today()},
            status=400,
        )  # fmt: skip
    url = reverse("participants:participant", args=[decision.event.enrollment_id])
    return redirect(f"{url}#responses")
