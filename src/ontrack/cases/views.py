"""Caseload search and the case page. Thin: selectors do the reading."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ontrack.audit.access import note_access
from ontrack.cases import selectors
from ontrack.common.access import requires
from ontrack.common.errors import NotFound
from ontrack.common.http import HtmxHttpRequest
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


@requires("cases.view_case")
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    note_access(request, "case.viewed", "cases.case", case_id)  # CJIS AU-2, whatever follows
    try:
        case_file = selectors.get_case_file(actor=request.user, case_id=case_id)
    except NotFound:
        raise Http404 from None
    return render(request, "cases/case_detail.html", {"file": case_file})


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
