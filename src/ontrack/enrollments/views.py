"""The Status panel's forms: one POST per allowed move (``moves.perform_move``). A refusal
shows the form again with the messages beside its fields and nothing saved (400)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ontrack.audit.access import note_access
from ontrack.common.access import requires
from ontrack.common.errors import NotFound
from ontrack.common.submit import submit
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.moves import perform_move
from ontrack.enrollments.selectors import get_enrollment


class MoveForm(forms.Form):
    """Every field a move may need; which ones a step reads is ``moves.STEP_FIELDS``."""

    to_state = forms.ChoiceField(choices=State.choices)
    on = forms.CharField(required=False)
    reason = forms.CharField(required=False)
    to_phase = forms.CharField(required=False)
    court = forms.CharField(required=False)
    judge = forms.CharField(required=False)
    defense_attorney = forms.CharField(required=False)
    interpreter = forms.CharField(required=False)
    language = forms.CharField(required=False)
    advisements = forms.CharField(required=False)
    reason_code = forms.CharField(required=False)
    sentencing_date = forms.CharField(required=False)
    dismissal_court = forms.CharField(required=False)
    dismissal_order_date = forms.CharField(required=False)
    sealing_statute = forms.CharField(required=False)


@require_POST
@requires("enrollments.move_enrollment")
def move(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    note_access(request, "enrollment.move", "enrollments.enrollment", enrollment_id)
    try:
        enrollment = get_enrollment(actor=request.user, enrollment_id=enrollment_id)
    except NotFound:
        raise Http404 from None
    form = MoveForm(request.POST)
    to_state = request.POST.get("to_state", "")
    done = submit(
        form,
        lambda: perform_move(
            actor=request.user, enrollment_id=enrollment.pk, to_state=to_state, data=request.POST
        ),
    )
    if done.ok:
        moved = done.value
        # Graduation's step returns the sealing request it opened, not the transition.
        label = State(getattr(moved, "to_state", None) or to_state).label.lower()
        messages.success(request, f"Now {label}.")
        return redirect("participants:participant", enrollment_id=enrollment.pk)
    return render(
        request, "enrollments/move.html",
        {"enrollment": enrollment, "form": form, "to_state": to_state},
        status=done.status,
    )  # fmt: skip
