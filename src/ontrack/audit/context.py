"""Where a change came from: request id, client address and channel, per request or command."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class Origin:
    request_id: str
    ip_address: str | None
    source: str
    # The operating-system account that ran a command (CJIS AU-3: who, even when ``--actor``
    # names someone else); None on the web, where the signed-in user is the whole answer.
    os_user: str | None = None


_origin: ContextVar[Origin | None] = ContextVar("ontrack_origin", default=None)


def current_origin() -> Origin:
    """The origin of the work in progress; code outside a request or command is 'system'."""
    return _origin.get() or Origin(request_id="", ip_address=None, source="system")


@contextmanager
def origin(
    source: str,
    request_id: str | None = None,
    ip_address: str | None = None,
    os_user: str | None = None,
) -> Iterator[Origin]:
    value = Origin(
        request_id=request_id or uuid.uuid4().hex,
        ip_address=ip_address,
        source=source,
        os_user=os_user,
    )
    token = _origin.set(value)
    try:
        yield value
    finally:
        _origin.reset(token)


class RequestContextMiddleware:
    """Tags every web request with an id (echoed in ``X-Request-ID``) and the client address.

    The address is ``REMOTE_ADDR``: behind a proxy, configure the proxy to set it (trusting
    ``X-Forwarded-For`` from anyone would let a client write what it likes into the audit).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with origin("web", ip_address=request.META.get("REMOTE_ADDR") or None) as current:
            response = self.get_response(request)
        response["X-Request-ID"] = current.request_id
        return response
