"""The "Record an event" page: one form per kind of event. The rules are the service's
(``plans/event_rules.py``); a refusal shows each message next to its field and saves
nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ontrack.common.access import requires
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.enrollments.selectors import get_enrollment
from ontrack.hearings.models import Hearing
from ontrack.plans.event_rules import CLASS_KINDS, HEARING_KINDS, HOURS_KINDS
from ontrack.plans.kinds import CLASS_NAMES
from ontrack.plans.models import EventKind, TestResult
from ontrack.plans.services import record_participant_event


class EventForm(forms.Form):
    occurred_on = forms.DateField(label="Day it happened", widget=forms.DateInput({"type": "date"}))
    hours = forms.DecimalField(required=False, max_digits=6, decimal_places=2)
    result = forms.ChoiceField(required=False, choices=[("", "—"), *TestResult.choices])
    substance = forms.CharField(required=False, max_length=100)
    hearing = forms.ModelChoiceField(required=False, queryset=Hearing.objects.none())
    class_name = forms.ChoiceField(
        required=False, choices=[("", "—")] + [(c, c) for c in CLASS_NAMES]
    )
    amount = forms.DecimalField(required=False, max_digits=9, decimal_places=2)
    verified_by = forms.CharField(required=False, max_length=200)
    note = forms.CharField(required=False, widget=forms.Textarea, max_length=4000)

    def __init__(self, *args: Any, kind: EventKind, enrollment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = {"occurred_on", "verified_by", "note"}
        if kind in HOURS_KINDS:
            keep.add("hours")
        if kind == EventKind.DRUG_TEST:
            keep |= {"result", "substance"}
        if kind in HEARING_KINDS:
            keep.add("hearing")
            self.fields["hearing"].queryset = Hearing.objects.filter(enrollment=enrollment)  # type: ignore[attr-defined]
        if kind in CLASS_KINDS:
            keep.add("class_name")
        if kind == EventKind.CHILD_SUPPORT_PAID:
            keep.add("amount")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


@requires("plans.record_event")
def record_event(request: HttpRequest, enrollment_id: int, kind: str) -> HttpResponse:
    try:
        enrollment = get_enrollment(actor=request.user, enrollment_id=enrollment_id)
        event_kind = EventKind(kind)
    except (NotFound, ValueError):
        raise Http404 from None
    form = EventForm(request.POST or None, kind=event_kind, enrollment=enrollment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = {k: str(data[k]) for k in ("class_name", "amount") if data.get(k)}
        try:
            record_participant_event(
                actor=request.user,
                enrollment_id=enrollment.pk,
                kind=event_kind,
                occurred_on=data["occurred_on"],
                hours=data.get("hours"),
                verified_by=data.get("verified_by", ""),
                result=data.get("result", ""),
                substance=data.get("substance", ""),
                hearing=data.get("hearing"),
                details=details,
                note=data.get("note", ""),
            )
        except ValidationFailed as refused:
            for field, message in refused.problems.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            return redirect(f"/participants/{enrollment.pk}/#plan")
    return render(
        request,
        "plans/record_event.html",
        {"form": form, "enrollment": enrollment, "kind": event_kind},
    )
