"""The person page. Thin: selectors do the reading."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ontrack.cases.selectors import cases_of_person
from ontrack.common.access import requires
from ontrack.common.errors import NotFound
from ontrack.people import selectors


@requires("people.view_person")
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person = selectors.get_person(actor=request.user, person_id=person_id)
    except NotFound:
        raise Http404 from None
    context = {
        "person": person,
        "cases": cases_of_person(actor=request.user, person=person),
        "priors": person.prior_records.order_by("-event_date", "id"),
    }
    return render(request, "people/person_detail.html", context)
