"""A stated purpose: what lets a holder of ``cases.view_restricted`` see restricted cases.

CJIS AC-3/AC-6 and DESIGN "sealed means sealed": the permission alone is not enough; the user
says why, the statement is audited (``cases.services.state_purpose``) and it lasts a limited
time (``ONTRACK_RESTRICTED_PURPOSE_SECONDS``). On the web it is kept in the session and put on
the request's user by ``PurposeMiddleware``; the CLI states it with ``--purpose``. The rule
that reads it is ``cases/visibility.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

MAX_PURPOSE = 500
SESSION_KEY = "ontrack.restricted_purpose"
# Carried on the actor object, so every selector that takes ``actor=`` sees it without a new
# argument (the selectors' signatures are the public entry points).
_ATTRIBUTE = "_ontrack_restricted_purpose"


@dataclass(frozen=True)
class StatedPurpose:
    text: str
    stated_at: dt.datetime
    expires_at: dt.datetime


def purpose_lifetime() -> dt.timedelta:
    return dt.timedelta(seconds=settings.ONTRACK_RESTRICTED_PURPOSE_SECONDS)


def carry(actor: Any, purpose: StatedPurpose | None) -> None:
    """Let ``actor`` act under ``purpose`` (None: no purpose) for the rest of this process's
    request or command."""
    setattr(actor, _ATTRIBUTE, purpose)


def current_purpose(actor: Any) -> StatedPurpose | None:
    """The purpose ``actor`` acts under now; None when none was stated or it has expired."""
    purpose = getattr(actor, _ATTRIBUTE, None)
    if not isinstance(purpose, StatedPurpose) or expired(purpose):
        return None
    return purpose


def expired(purpose: StatedPurpose) -> bool:
    return purpose.expires_at <= timezone.now()


def to_session(request: HttpRequest, purpose: StatedPurpose) -> None:
    request.session[SESSION_KEY] = {
        "text": purpose.text,
        "stated_at": purpose.stated_at.isoformat(),
        "expires_at": purpose.expires_at.isoformat(),
    }


def from_session(request: HttpRequest) -> StatedPurpose | None:
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    try:
        return StatedPurpose(
            text=str(stored["text"]),
            stated_at=dt.datetime.fromisoformat(stored["stated_at"]),
            expires_at=dt.datetime.fromisoformat(stored["expires_at"]),
        )
    except (KeyError, TypeError, ValueError):
        return None  # a damaged entry is no purpose, never a default one


class PurposeMiddleware:
    """Puts the session's stated purpose (if still valid) on the signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and SESSION_KEY in request.session:
            purpose = from_session(request)
            if purpose is None or expired(purpose):
                del request.session[SESSION_KEY]
            else:
                carry(user, purpose)
        return self.get_response(request)
