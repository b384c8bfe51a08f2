"""The offense catalog page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ontrack.common.access import requires
from ontrack.offenses.lookup import catalog
from ontrack.offenses.models import OffenseCategory
from ontrack.offenses.selectors import catalog_listing

SEARCH_MAX = 100  # characters of a search kept, as on the caseload page (ADR 0024)


@requires("offenses.view_statute")
def catalog_page(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    query = request.GET.get("q", "")[:SEARCH_MAX]
    entries = catalog_listing(actor=request.user, category=category, query=query)
    loaded = catalog()
    return render(
        request,
        "offenses/catalog.html",
        {
            "entries": entries,
            "category": category,
            "query": query,
            "categories": [c for c in OffenseCategory.choices if c[0] != OffenseCategory.OTHER],
            "version": loaded.version,
            "known_codes": len(loaded.codes()),
        },
    )
