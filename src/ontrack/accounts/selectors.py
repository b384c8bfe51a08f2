"""Reads of staff accounts for administrators (``accounts.manage_staff``)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontrack.accounts.models import ApiToken, User
from ontrack.accounts.services import SYSTEM_USERNAME
from ontrack.common.errors import NotFound


def staff_accounts(*, actor: User) -> QuerySet[User]:
    """Every account administrators manage (not the system account, not superusers), with
    ``locked`` (CJIS AC-7) and ``mfa_enrolled`` (IA-2) in the same query and the role's
    group prefetched. Nobody else sees the list (empty, not an error)."""
    if not (actor.is_active and actor.has_perm("accounts.manage_staff")):
        return User.objects.none()
    locked = AccessAttempt.objects.filter(
        username=OuterRef("username"), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.exclude(username=SYSTEM_USERNAME)
        .exclude(is_superuser=True)
        .annotate(locked=Exists(locked), mfa_enrolled=Exists(enrolled))
        .prefetch_related("groups")
        .order_by("username")
    )


def get_staff_account(*, actor: User, username: str) -> User:
    found = staff_accounts(actor=actor).filter(username=username).first()
    if found is None:
        raise NotFound(username)
    return found


def tokens_of(*, actor: User, user: User) -> QuerySet[ApiToken]:
    """The API tokens of ``user``, newest first (prefix and dates; never the token), for
    the user themselves and administrators; nobody else (empty)."""
    if not actor.is_active or (user.pk != actor.pk and not actor.has_perm("accounts.manage_staff")):
        return ApiToken.objects.none()
    return (
        ApiToken.objects.filter(user=user)
        .select_related("created_by", "revoked_by")
        .order_by("-created_at", "-id")
    )
