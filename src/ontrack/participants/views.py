"""The pages of a program at work, made of the panels the apps register
(``enrollments/panels.py``): the participant page, the case manager's day and the
supervisor's program view. Thin: each panel reads through its own app's selectors."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ontrack.audit.access import note_access
from ontrack.common.access import requires
from ontrack.common.errors import NotFound
from ontrack.common.site import office_today
from ontrack.enrollments.panels import panels
from ontrack.enrollments.selectors import get_enrollment, get_program


def _render(request: HttpRequest, page: str, subject: Any, context: dict[str, Any]) -> HttpResponse:
    shown = [
        {"panel": panel, "data": panel.context(request.user, subject)} for panel in panels(page)
    ]
    return render(request, f"participants/{page}.html", {**context, "panels": shown})


@requires("enrollments.view_enrollment")
def participant(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    note_access(request, "enrollment.viewed", "enrollments.enrollment", enrollment_id)
    try:
        enrollment = get_enrollment(actor=request.user, enrollment_id=enrollment_id)
    except NotFound:
        raise Http404 from None
    return _render(request, "participant", enrollment, {"enrollment": enrollment})


@requires("enrollments.view_enrollment")
def day(request: HttpRequest) -> HttpResponse:
    today = office_today()
    return _render(request, "day", today, {"today": today})


@requires("enrollments.view_enrollment")
def program(request: HttpRequest, program_id: int) -> HttpResponse:
    note_access(request, "program.viewed", "programs.program", program_id)
    try:
        found = get_program(actor=request.user, program_id=program_id)
    except NotFound:
        raise Http404 from None
    return _render(request, "program", found, {"program": found})
