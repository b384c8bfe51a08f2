"""Pages about the decision in force: withdrawing an override, and the supervisor's review
queue of re-screens that disagree with the override in force (issue 9, ADR 0040)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ontrack.accounts.session_limits import requires_recent_auth
from ontrack.audit.access import note_access
from ontrack.common.access import requires
from ontrack.common.submit import submit
from ontrack.eligibility import services
from ontrack.eligibility.forms import WithdrawForm
from ontrack.eligibility.selectors import cases_for_review, decision_of
from ontrack.eligibility.views import _render_screening, _visible_case, _visible_screening


@requires("eligibility.override_screening")
@require_POST
@requires_recent_auth  # CJIS IA-11: withdrawing an override changes a person's eligibility
def withdraw_override(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _visible_case(request.user, case_id)
    decision = decision_of(actor=request.user, case=case)
    if decision is None:  # never screened: nothing was ever overridden
        raise Http404
    screening = _visible_screening(request.user, decision.current.pk)
    form = WithdrawForm(request.POST)
    status = 400
    in_force = decision.override
    if form.is_valid() and (in_force is None or in_force.pk != form.cleaned_data["override"]):
        # Someone withdrew or replaced it since the form was read: never act on another one.
        status = 409
        form.add_error(
            None,
            "that override is no longer in force (withdrawn or replaced); the page now shows "
            "the decision in force",
        )
    elif form.is_valid() and in_force is not None:
        done = submit(
            form,
            lambda: services.withdraw_override(
                actor=request.user,
                override=in_force,
                expected_version=form.cleaned_data["expected_version"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if done.ok:
            return redirect("eligibility:screening", screening_id=screening.pk)
        status = done.status
    return _render_screening(request, screening, withdraw_form=form, status=status)


@requires("eligibility.override_screening")
def review_queue(request: HttpRequest) -> HttpResponse:
    """Cases whose latest screening disagrees with the override in force (visible ones)."""
    decisions = cases_for_review(actor=request.user)
    note_access(request, "review_queue.viewed", row_count=len(decisions))  # CJIS AU-2
    return render(request, "eligibility/review_queue.html", {"decisions": decisions})
