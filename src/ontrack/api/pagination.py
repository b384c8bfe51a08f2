"""Lists: ``{"count", "next", "previous", "results"}`` (DESIGN.md, API conventions)."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 25
    page_size_query_param = "per_page"
    max_page_size = 100
