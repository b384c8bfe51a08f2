"""Response headers every page carries (issue 8, headers and caching).

``NoStoreMiddleware`` marks every response our views produce ``Cache-Control: no-store``:
almost every page shows personal data (names, birth dates, charges, audit values), so no
browser, shared computer or proxy may keep a copy (CJIS 5.10.1.2 confidentiality in transit,
OWASP ASVS 8.2.1). Static files are served outside the middleware chain (the web server in
production, ``StaticFilesHandler`` in development and tests) and stay cacheable.

The header is *set*, not merged: a view that asked for public caching must not weaken it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

NO_STORE = "no-store"


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers["Cache-Control"] = NO_STORE
        return response
