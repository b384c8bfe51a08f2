"""API bearer tokens (issue 9 item 6; ADR 0053): issue, revoke, check.

A token is ``ot_`` + an 8-character prefix + ``_`` + 43 characters of secret (256 bits in
all from ``secrets``). It is printed once by ``ontrack staff token`` and never stored: the
database keeps its SHA-256 and the prefix, which identifies it on pages and in the audit.

A token acts as its user, limited by its scope (``read``: safe methods only). It is refused
when revoked, expired, or when its user is disabled or locked out (CJIS AC-2, AC-7). Tokens
live at most ``MAX_DAYS`` days (CJIS IA-5(1)(d): authenticators have a maximum lifetime;
90 days matches the inactivity limit of ``accounts/staff.py``), and 90 is the default:
an integration that needs a token keeps needing one, and a shorter default would only
teach operators to pass ``--days`` every time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ontrack.accounts.models import ApiToken, TokenScope, User
from ontrack.accounts.services import staff_account
from ontrack.audit.services import record_event
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import Forbidden, ensure_permission

MANAGE = "accounts.manage_staff"
MAX_DAYS = 90
DEFAULT_DAYS = MAX_DAYS
SCOPES = tuple(TokenScope.values)
# How often a token's ``last_used_at`` is written: each use is on the access stream anyway;
# this only keeps a busy integration from writing the token row on every request.
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)

_FORMAT = re.compile(r"ot_([A-Za-z0-9]{8})_[A-Za-z0-9_-]{43}")


class TokenRefused(Exception):
    """The bearer token does not authenticate; ``reason`` says why (for the access row only:
    the client is told nothing more than that the token is not valid)."""

    def __init__(self, reason: str, token: ApiToken | None = None) -> None:
        self.reason = reason
        self.token = token
        super().__init__(reason)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def _new_token() -> tuple[str, str]:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    prefix = "".join(secrets.choice(alphabet) for _ in range(8))
    return prefix, f"ot_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def issue_token(
    *, actor: User, username: str, scope: str, days: int = DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """A new token for ``username``; returns it with the token itself, which is shown once.

    Administrators (``accounts.manage_staff``) issue tokens, never for their own account
    (ADR 0038: an administrator never acts on their own account; another one does)."""
    ensure_permission(actor, MANAGE)
    problems: dict[str, str] = {}
    if scope not in SCOPES:
        problems["scope"] = f"must be one of {', '.join(SCOPES)}"
    if not 1 <= days <= MAX_DAYS:
        problems["days"] = f"must be between 1 and {MAX_DAYS}"
    if problems:
        raise ValidationFailed(problems)
    user = staff_account(username)
    if user.pk == actor.pk:
        raise ValidationFailed(
            {"username": "you cannot issue a token for your own account; another administrator can"}
        )
    if not user.is_active:
        raise ValidationFailed({"username": f"{username} is disabled"})
    prefix, raw = _new_token()
    token = ApiToken.objects.create(
        user=user,
        prefix=prefix,
        token_hash=_digest(raw),
        scope=scope,
        created_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    record_event(
        actor=actor,
        action="api_token.issued",
        target=user,
        details={"token": prefix, "scope": scope, "expires_at": token.expires_at.isoformat()},
    )
    return token, raw


@transaction.atomic
def revoke_token(*, actor: User, prefix: str) -> ApiToken:
    """End a token now. Its owner may revoke it, and so may an administrator."""
    token = (
        ApiToken.objects.select_for_update().select_related("user").filter(prefix=prefix).first()
    )
    may_manage = actor.is_active and actor.has_perm(MANAGE)
    if token is None or not (may_manage or token.user_id == actor.pk):
        raise NotFound(prefix)  # someone else's token looks like none at all
    if not actor.is_active:
        raise Forbidden(f"{actor.get_username()} is disabled")
    if token.revoked_at is not None:
        raise ValidationFailed({"token": f"token {prefix} was already revoked"})
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record_event(
        actor=actor, action="api_token.revoked", target=token.user, details={"token": prefix}
    )
    return token


def is_locked(user: User) -> bool:
    """django-axes' lockout for the username (CJIS AC-7) applies to its tokens too."""
    return bool(
        AccessAttempt.objects.filter(
            username=user.get_username(), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).exists()
    )


def check_token(raw: str, *, now: dt.datetime | None = None) -> ApiToken:
    """The token ``raw`` names, with its user, if it authenticates; else ``TokenRefused``."""
    now = now or timezone.now()
    found = _FORMAT.fullmatch(raw)
    if found is None:
        raise TokenRefused("malformed token")
    token = ApiToken.objects.select_related("user").filter(prefix=found.group(1)).first()
    if token is None or not hmac.compare_digest(token.token_hash, _digest(raw)):
        raise TokenRefused("unknown token")
    if token.revoked_at is not None:
        raise TokenRefused("revoked token", token)
    if token.expires_at <= now:
        raise TokenRefused("expired token", token)
    if not token.user.is_active:
        raise TokenRefused("disabled account", token)
    if is_locked(token.user):
        raise TokenRefused("locked account", token)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        # Bookkeeping, not a change of record: the use itself is on the access stream.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def allows(token: Any, method: str) -> bool:
    """Whether the token's scope allows an HTTP method (read: safe methods only)."""
    return bool(token.scope == TokenScope.WRITE or method in ("GET", "HEAD", "OPTIONS"))
