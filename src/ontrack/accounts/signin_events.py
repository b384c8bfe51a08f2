"""Sign-in events on the access stream: logons, failures, lockouts, MFA, session ends.

CJIS AU-2, AC-7 (ADR 0032). Each event is one ``audit.AccessEvent`` written at once in its
own transaction, so a refused sign-in still leaves its row. The row names the account when
the username matches one, and always keeps the username as given: a failure for a name that
matches no account has no actor (``actor`` NULL), not a stand-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ontrack.accounts.models import User
from ontrack.audit.access import record_access
from ontrack.audit.models import Outcome

# Each sign-in action and what it means as an access outcome (one list: an unknown action
# is a programming error, not a default).
OUTCOMES: dict[str, str] = {
    "signin.password_accepted": Outcome.SUCCESS,
    "signin.failed": Outcome.FAILURE,
    "signin.locked_out": Outcome.DENIED,
    "signin.mfa_succeeded": Outcome.SUCCESS,
    "signin.backup_code_used": Outcome.SUCCESS,
    "signin.mfa_failed": Outcome.FAILURE,
    "signin.mfa_enrolled": Outcome.SUCCESS,
    "signin.reauthenticated": Outcome.SUCCESS,
    "signin.reauthentication_failed": Outcome.FAILURE,
    "signin.signed_out": Outcome.SUCCESS,
    "signin.session_expired": Outcome.SUCCESS,
}
OBJECT_TYPE = "accounts.user"


def record_sign_in_event(
    *,
    action: str,
    username: str,
    user: User | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Append ``action`` for ``username`` to the access stream."""
    outcome = OUTCOMES[action]
    if user is None:
        user = User.objects.filter(username=username).first()
    record_access(
        actor=user,
        username=username,
        action=action,
        outcome=outcome,
        object_type=OBJECT_TYPE,
        object_id=user.pk if user is not None else "",
        details=details,
    )


def on_login_failed(
    sender: Any, credentials: Mapping[str, Any], request: Any = None, **_: Any
) -> None:
    record_sign_in_event(action="signin.failed", username=str(credentials.get("username", "")))


def on_locked_out(sender: Any, username: str | None = None, **_: Any) -> None:
    record_sign_in_event(action="signin.locked_out", username=username or "")
