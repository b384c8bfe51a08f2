"""A test-only URLconf: the real one plus a view that fails, to see the product's 500 page.

Never part of ``ontrack.urls``; tests select it with ``override_settings(ROOT_URLCONF=...)``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ontrack.common.access import public
from ontrack.urls import urlpatterns as product_patterns


@public
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug with a secret: 1985-01-01 Arriaga")


urlpatterns = [*product_patterns, path("test-only/broken/", broken)]
