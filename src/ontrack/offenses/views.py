"""The offense catalog page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ontrack.common.access import requires
from ontrack.offenses.selectors import statutes


@requires("offenses.view_statute")
def catalog(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    entries = statutes(actor=request.user)
    if category:
        entries = entries.filter(categories__category=category).distinct()
    from ontrack.offenses.models import OffenseCategory

    return render(
        request,
        "offenses/catalog.html",
        {"statutes": entries, "category": category, "categories": OffenseCategory.choices},
    )
