"""The search page: one box over people and cases, best first, paged (docs/search.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ontrack.audit.access import note_access
from ontrack.common.access import requires
from ontrack.common.params import bad_request
from ontrack.search.selectors import search

PER_PAGE = 25
MAX_QUERY = 200


@requires("cases.view_case")
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    raw_page = request.GET.get("page", "1")
    if not raw_page.isdigit() or int(raw_page) < 1:
        note_access(request, "search", "search", "", row_count=0)
        return bad_request(request, "Page: a whole number from 1.")
    if len(query) > MAX_QUERY:
        note_access(request, "search", "search", "", row_count=0)
        return bad_request(request, f"Search: at most {MAX_QUERY} characters.")
    found = search(actor=request.user, q=query, page=int(raw_page), per_page=PER_PAGE)
    # CJIS AU-2: what was searched and how many records were shown.
    note_access(request, "search", "search", "", row_count=len(found.hits))
    last = max(1, -(-found.total // PER_PAGE))
    context = {
        "query": query,
        "found": found,
        "first": (found.page - 1) * PER_PAGE + 1,
        "last_shown": (found.page - 1) * PER_PAGE + len(found.hits),
        "previous": found.page - 1 if found.page > 1 else None,
        "next": found.page + 1 if found.page < last else None,
        "pages": last,
    }
    return render(request, "search/search.html", context)
