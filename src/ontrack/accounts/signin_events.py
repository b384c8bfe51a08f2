"""Sign-in events in the audit trail: logons, failures, lockouts, MFA, session ends.

A minimal helper until a full access stream exists: each event is an ordinary audit event,
written in its own transaction so that a refused sign-in still leaves its row (CJIS AU-2,
AC-7). Events name the account by username (``accounts.signin``), because a failure for a
name that matches no account has no primary key to point at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from ontrack.accounts.models import User
from ontrack.audit.services import record_event

OBJECT_TYPE = "accounts.signin"


def record_sign_in_event(
    *,
    action: str,
    username: str,
    user: User | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Append ``action`` for ``username``; the actor is the account, or the system actor when
    the name matches none (the audit row always has an actor)."""
    from ontrack.accounts.services import system_actor

    with transaction.atomic():
        if user is None:
            user = User.objects.filter(username=username).first()
        record_event(
            actor=user or system_actor(),
            action=action,
            object_type=OBJECT_TYPE,
            object_id=username[:64],
            details=details,
        )


def on_login_failed(
    sender: Any, credentials: Mapping[str, Any], request: Any = None, **_: Any
) -> None:
    record_sign_in_event(action="signin.failed", username=str(credentials.get("username", "")))


def on_locked_out(sender: Any, username: str | None = None, **_: Any) -> None:
    record_sign_in_event(action="signin.locked_out", username=username or "")
