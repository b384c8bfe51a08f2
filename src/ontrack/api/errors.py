"""Every API error as ``application/problem+json`` (RFC 9457), in one handler (ADR 0055).

``type``, ``title``, ``status``, ``detail``, ``instance``, and ``errors`` (field → message)
where the input had problems. Which status:

- 400: the body is not what the schema says (not JSON, a wrong type, a missing field):
  DRF's parsing and serializers;
- 422: well-formed, refused by the domain's rules (``ValidationFailed``, a ``ServiceError``
  such as an example policy that never decides a real case);
- 401: no valid bearer token; 403: the account or the token's scope does not allow it
  (``Forbidden``); 404: missing *or* invisible, one body (CJIS AC-3); 409: stale
  ``version`` (``ConcurrentEdit``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

from ontrack.common.errors import ConcurrentEdit, NotFound, ServiceError, ValidationFailed
from ontrack.common.problems import NOT_FOUND_DETAIL, PROBLEM, problem_document
from ontrack.common.services import Forbidden
from ontrack.eligibility.policy import PolicyError


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    instance: str,
    errors: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = problem_document(status, slug, title, detail, instance, errors)
    return Response(body, status=status, content_type=PROBLEM, headers=headers)


def _flat(detail: Any, prefix: str = "") -> dict[str, str]:
    """DRF's nested error detail as ``{"field": "message"}`` (``charges[0].level``)."""
    if isinstance(detail, dict):
        out: dict[str, str] = {}
        for key, value in detail.items():
            if isinstance(key, int):  # a list's items, by index
                out.update(_flat(value, f"{prefix}[{key}]"))
                continue
            name = "body" if key == "non_field_errors" and not prefix else str(key)
            out.update(_flat(value, f"{prefix}.{name}" if prefix else name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(v, dict | list) for v in detail):
            return {prefix or "body": " ".join(str(v) for v in detail)}
        out = {}
        for index, value in enumerate(detail):
            if value:
                out.update(_flat(value, f"{prefix}[{index}]"))
        return out
    return {prefix or "body": str(detail)}


def problem_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, NotFound | Http404 | exceptions.NotFound):
        return problem(404, "not-found", "Not found", NOT_FOUND_DETAIL, instance)
    if isinstance(exc, ValidationFailed):
        return problem(
            422, "invalid", "The request was refused", str(exc), instance, errors=exc.problems
        )
    if isinstance(exc, PolicyError):
        return problem(
            422, "invalid", "The request was refused", str(exc), instance, {"policy": str(exc)}
        )
    if isinstance(exc, ConcurrentEdit):
        return problem(409, "stale-version", "Changed by someone else", str(exc), instance)
    if isinstance(exc, Forbidden | DjangoPermissionDenied | exceptions.PermissionDenied):
        detail = str(exc) if isinstance(exc, exceptions.PermissionDenied) else "not allowed"
        return problem(403, "forbidden", "Not allowed", detail, instance)
    if isinstance(exc, ServiceError):
        return problem(422, "refused", "The request was refused", str(exc), instance)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return problem(
            401,
            "unauthenticated",
            "A valid bearer token is needed",
            str(exc.detail),
            instance,
            headers={"WWW-Authenticate": 'Bearer realm="ontrack"'},
        )
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            400,
            "bad-request",
            "The request does not match the schema",
            "see errors",
            instance,
            errors=_flat(exc.detail),
        )
    if isinstance(exc, exceptions.APIException):
        return problem(
            exc.status_code,
            exc.default_code.replace("_", "-"),
            str(exc.default_detail),
            str(exc.detail),
            instance,
        )
    return None  # a programming error: Django's 500 (and the access row says failure)
