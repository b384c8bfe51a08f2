"""Session limits: idle lock after 30 minutes, absolute limit of 12 hours (CJIS AC-11), and
re-authentication within the last 15 minutes for sensitive actions (CJIS IA-11).

The times live in the session (server side): when the password was accepted, when the
second factor last was, and when the session was last used. A session missing any of them
is treated as expired (deny by default).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

View = TypeVar("View", bound=Callable[..., HttpResponse])

SIGNED_IN_AT = "ontrack_signed_in_at"
LAST_SEEN = "ontrack_last_seen"
VERIFIED_AT = "ontrack_verified_at"  # password and second factor, together


def stamp_sign_in(sender: Any, request: HttpRequest | None = None, **_: Any) -> None:
    """``user_logged_in`` receiver: the session's clock starts at the password."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


def stamp_verified(request: HttpRequest) -> None:
    """Password and second factor were both just given (sign-in or re-authentication)."""
    request.session[VERIFIED_AT] = time.time()


def expiry_reason(request: HttpRequest, now: float) -> str | None:
    started = request.session.get(SIGNED_IN_AT)
    last = request.session.get(LAST_SEEN)
    if started is None or last is None:
        return "no sign-in time"
    if now - float(last) > settings.ONTRACK_IDLE_SECONDS:
        return "idle"  # CJIS AC-11
    if now - float(started) > settings.ONTRACK_SESSION_MAX_SECONDS:
        return "absolute limit"  # CJIS AC-11
    return None


class SessionLimitsMiddleware:
    """Ends an idle or too-old session before anything else sees the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            reason = expiry_reason(request, now)
            if reason is None:
                request.session[LAST_SEEN] = now
            else:
                from ontrack.accounts.signin_events import record_sign_in_event

                user = request.user
                logout(request)
                record_sign_in_event(
                    action="signin.session_expired",
                    username=user.get_username(),
                    user=user,
                    details={"reason": reason},
                )
        return self.get_response(request)


def recently_authenticated(request: HttpRequest) -> bool:
    verified = request.session.get(VERIFIED_AT)
    return verified is not None and time.time() - float(verified) <= (
        settings.ONTRACK_RECENT_AUTH_SECONDS
    )


def requires_recent_auth(view: View) -> View:
    """CJIS IA-11: the password and second factor must have been given within the last
    ``ONTRACK_RECENT_AUTH_SECONDS``; otherwise nothing runs and the user is sent to give them
    again, then back to the page they came from (a POST cannot be replayed, so its form's
    page, when it is one of ours)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if recently_authenticated(request):
            return view(request, *args, **kwargs)
        back = request.get_full_path() if request.method == "GET" else ""
        if not back:
            referer = request.headers.get("Referer", "")
            if url_has_allowed_host_and_scheme(
                referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                back = referer
        url = reverse("accounts:reauth")
        if back:
            url = f"{url}?{urlencode({'next': back})}"
        response = HttpResponseRedirect(url)
        if getattr(request, "htmx", False):
            response["HX-Redirect"] = url
        return response

    return wrapped  # type: ignore[return-value]
