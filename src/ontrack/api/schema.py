"""OpenAPI helpers: the list envelope and the problem responses every endpoint may give."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from ontrack.common.problems import PROBLEM

_PROBLEM_BODY = inline_serializer(
    "Problem",
    {
        "type": serializers.CharField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "instance": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.CharField(), required=False),
    },
)
_WHY = {
    400: "the body or a parameter does not match the schema",
    401: "no valid bearer token",
    403: "the account or the token's scope does not allow it",
    404: "missing, or not visible to the token's user (the same answer)",
    409: "stale version: someone else changed the record; nothing was changed",
    422: "refused by the rules (per-field errors); nothing was changed",
}


def problems(*statuses: int) -> dict[Any, Any]:
    """Responses for the given statuses, each ``application/problem+json``; every endpoint
    may answer 400 (an unknown query parameter), 401 and 403."""
    return {
        (status, PROBLEM): OpenApiResponse(_PROBLEM_BODY, description=_WHY[status])
        for status in sorted({400, 401, 403, *statuses})
    }


def paged(name: str, item: type[serializers.Serializer[Any]]) -> Any:
    """``{"count", "next", "previous", "results"}`` around ``item``."""
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "next": serializers.CharField(allow_null=True),
            "previous": serializers.CharField(allow_null=True),
            "results": item(many=True),
        },
    )
