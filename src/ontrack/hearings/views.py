"""The court calendar and the hearing forms. The outcome of a hearing (attended / missed)
is a plans event, recorded through the plans event form; ``mark_hearing_held`` says it
took place (docs/hearings.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ontrack.common.access import requires
from ontrack.common.errors import NotFound
from ontrack.common.site import office_today
from ontrack.common.submit import submit
from ontrack.hearings import selectors, services
from ontrack.hearings.forms import CancelForm, RescheduleForm, ScheduleForm


@require_GET
@requires("enrollments.view_enrollment")
def calendar(request: HttpRequest) -> HttpResponse:
    """``?on=YYYY-MM-DD`` (default today), ``&week=1`` for the seven days from it."""
    raw = request.GET.get("on", "")
    try:
        start = dt.date.fromisoformat(raw) if raw else office_today()
    except ValueError:  # a wrong date is said, never quietly read as today
        return render(request, "hearings/calendar.html",
                      {"problem": "give the date as YYYY-MM-DD", "start": office_today(),
                       "days": 1, "hearings": []}, status=400)  # fmt: skip
    days = 7 if request.GET.get("week") == "1" else 1
    hearings = list(selectors.calendar(actor=request.user, start=start, days=days))
    context = {
        "start": start, "days": days, "hearings": hearings,
        "end": start + dt.timedelta(days=days - 1),
        "previous": start - dt.timedelta(days=days), "next": start + dt.timedelta(days=days),
    }  # fmt: skip
    return render(request, "hearings/calendar.html", context)


def _form_page(request: HttpRequest, form: forms.Form, title: str, status: int) -> HttpResponse:
    return render(request, "hearings/form.html", {"form": form, "title": title}, status=status)


def _back(enrollment_id: int) -> HttpResponse:
    return redirect(reverse("participants:participant", args=[enrollment_id]) + "#hearings")


@require_POST
@requires("hearings.schedule_hearing")
def schedule(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        selectors_guard(request, enrollment_id)
        return _form_page(request, form, "Schedule a hearing", 400)
    done = submit(form, lambda: services.schedule_hearing(
        actor=request.user, enrollment_id=enrollment_id, **form.cleaned_data))  # fmt: skip
    if not done.ok:
        return _form_page(request, form, "Schedule a hearing", done.status)
    return _back(enrollment_id)


def selectors_guard(request: HttpRequest, enrollment_id: int) -> None:
    """A hidden enrollment is a 404 before its form's errors are shown (CJIS AC-3)."""
    from ontrack.enrollments.selectors import get_enrollment

    try:
        get_enrollment(actor=request.user, enrollment_id=enrollment_id)
    except NotFound:
        raise Http404 from None


def _hearing(request: HttpRequest, hearing_id: int) -> Any:
    try:
        return selectors.get_hearing(actor=request.user, hearing_id=hearing_id)
    except NotFound:
        raise Http404 from None


@require_POST
@requires("hearings.schedule_hearing")
def reschedule(request: HttpRequest, hearing_id: int) -> HttpResponse:
    hearing = _hearing(request, hearing_id)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, "Move a hearing", 400)
    done = submit(form, lambda: services.reschedule_hearing(
        actor=request.user, hearing_id=hearing_id, **form.cleaned_data))  # fmt: skip
    if not done.ok:
        return _form_page(request, form, "Move a hearing", done.status)
    return _back(hearing.enrollment_id)


@require_POST
@requires("hearings.schedule_hearing")
def cancel(request: HttpRequest, hearing_id: int) -> HttpResponse:
    hearing = _hearing(request, hearing_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, "Cancel a hearing", 400)
    done = submit(form, lambda: services.cancel_hearing(
        actor=request.user, hearing_id=hearing_id, **form.cleaned_data))  # fmt: skip
    if not done.ok:
        return _form_page(request, form, "Cancel a hearing", done.status)
    return _back(hearing.enrollment_id)
