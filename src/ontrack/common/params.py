"""Query parameters are refused whole when they hold a NUL character, in one place.

PostgreSQL text cannot hold NUL (0x00): a search box given ``%00`` used to reach the
database and answer 500 there (issue 8, found while probing). ``RefuseNulMiddleware``
answers every such request 400 with the product's page before any view runs, so no search,
filter or paging parameter — present or future — can carry one to the database. Form fields
need no help: Django's form ``CharField`` already refuses NUL (``ProhibitNullCharactersValidator``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ontrack.common.problems import is_api, problem_response

NUL_MESSAGE = "A query parameter contains a NUL character (%00), which no search can hold."


def has_nul(request: HttpRequest) -> bool:
    """Whether any query parameter's name or value holds NUL (the decoded text, so ``%2500``
    — the three characters ``%00`` — is ordinary text)."""
    return any(
        "\x00" in name or any("\x00" in value for value in values)
        for name, values in request.GET.lists()
    )


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "400.html", {"message": message}, status=400)


class RefuseNulMiddleware:
    """Input validation at the edge (CJIS SI-10): no NUL in a query parameter reaches a view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            if is_api(request):  # an API client gets a problem document, not a page
                return problem_response(request, 400, "bad-request", "Bad request", NUL_MESSAGE)
            return bad_request(request, NUL_MESSAGE)
        return self.get_response(request)
