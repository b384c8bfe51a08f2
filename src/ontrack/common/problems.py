"""The problem document (RFC 9457) of the REST API, in one place: ``ontrack.api.errors``
answers every API error with it, and the edge middlewares below the API (``params.py``)
use it for requests under ``/api/`` so that an API client never gets an HTML page."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

PROBLEM = "application/problem+json"
TYPE_BASE = "https://ontrack.invalid/problems/"  # a name, not a page to fetch (RFC 9457 3.1.1)
API_PREFIX = "/api/"
NOT_FOUND_DETAIL = "There is no such record, or you may not see it."


def problem_document(
    status: int, slug: str, title: str, detail: str, instance: str, errors: Any = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def problem_response(
    request: HttpRequest, status: int, slug: str, title: str, detail: str
) -> HttpResponse:
    """A problem document as a plain Django response (for middlewares, before DRF)."""
    body = problem_document(status, slug, title, detail, request.path)
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: under ``/api/`` a URL that names nothing (``/api/v1/cases/abc``) gets
    the same problem document as a record that is missing or invisible; elsewhere, the
    product's 404 page as before."""
    from django.views.defaults import page_not_found as django_page

    if is_api(request):
        return problem_response(request, 404, "not-found", "Not found", NOT_FOUND_DETAIL)
    return django_page(request, exception)
