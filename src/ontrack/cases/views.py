"""Caseload search and the case page. Thin: selectors do the reading."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ontrack.audit.access import note_access
from ontrack.cases import selectors, services
from ontrack.cases.forms import AssignForm
from ontrack.cases.purpose import MAX_PURPOSE, current_purpose, purpose_lifetime, to_session
from ontrack.common.access import requires
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.http import HtmxHttpRequest
from ontrack.common.submit import BAD_INPUT, submit
from ontrack.people.selectors import get_person


@requires("cases.view_case")
def caseload(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    context = {
        "query": query,
        "cases": selectors.search_caseload(actor=request.user, query=query),
        "totals": selectors.count_caseload(actor=request.user),
    }
    # HTMX search-as-you-type swaps only the results table.
    template = "cases/_results.html" if request.htmx else "cases/caseload.html"
    return render(request, template, context)


def _render_case(
    request: HttpRequest, case_id: int, form: AssignForm | None = None, status: int = 200
) -> HttpResponse:
    note_access(request, "case.viewed", "cases.case", case_id)  # CJIS AU-2, whatever follows
    try:
        case_file = selectors.get_case_file(actor=request.user, case_id=case_id)
    except NotFound:
        raise Http404 from None
    choices = selectors.assignment_choices(actor=request.user)
    if form is None and choices.programs:
        case = case_file.case
        form = AssignForm(
            choices=choices,
            initial={
                "program": case.program_id or "",
                "case_manager": case.case_manager_id or "",
                "expected_version": case.row_version,
            },
        )
    context = {"file": case_file, "assign_form": form}
    return render(request, "cases/case_detail.html", context, status=status)


@requires("cases.view_case")
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _render_case(request, case_id)


@requires("cases.assign_case")
@require_POST
def assign(request: HttpRequest, case_id: int) -> HttpResponse:
    """A supervisor places the case in a program and assigns (or unassigns) its case manager."""
    try:
        case = selectors.get_case(actor=request.user, case_id=case_id)
    except NotFound:
        raise Http404 from None
    form = AssignForm(request.POST, choices=selectors.assignment_choices(actor=request.user))
    status = BAD_INPUT
    if form.is_valid():
        done = submit(
            form,
            lambda: services.assign_case(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["expected_version"],
                program=form.program_object(),
                case_manager=form.case_manager_object(),
            ),
        )
        if done.ok:
            return redirect("cases:detail", case_id=case.pk)
        status = done.status
    return _render_case(request, case_id, form, status=status)


@requires("people.view_person")
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """The person page lives here because it lists the person's cases (people → cases)."""
    note_access(request, "person.viewed", "people.person", person_id)  # CJIS AU-2
    try:
        person = get_person(actor=request.user, person_id=person_id)
    except NotFound:
        raise Http404 from None
    context = {
        "person": person,
        "cases": selectors.cases_of_person(actor=request.user, person=person),
        "priors": selectors.priors_of_person(actor=request.user, person=person),
    }
    return render(request, "people/person_detail.html", context)


@requires("cases.view_restricted")
def state_purpose(request: HttpRequest) -> HttpResponse:
    """Say why restricted (sealed) cases are needed; audited, kept in the session for
    ``ONTRACK_RESTRICTED_PURPOSE_SECONDS`` (CJIS AC-3/AC-6, ``cases/purpose.py``)."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("cases:caseload")
    problem = ""
    text = ""
    if request.method == "POST":
        text = request.POST.get("purpose", "")
        try:
            stated = services.state_purpose(actor=request.user, purpose=text)
        except ValidationFailed as exc:
            problem = exc.problems["purpose"]
        else:
            to_session(request, stated)
            return redirect(next_url)
    context = {
        "current": current_purpose(request.user),
        "problem": problem,
        "text": text,
        "next": next_url,
        "max_purpose": MAX_PURPOSE,
        "minutes": int(purpose_lifetime().total_seconds() // 60),
    }
    return render(request, "cases/purpose.html", context, status=400 if problem else 200)
