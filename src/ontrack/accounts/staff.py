"""Administrators' writes on staff accounts (CJIS AC-2): role, disable and enable, second
factor reset, and the 90-day inactivity rule (AC-2(3)). Atomic, audited, keyword-only.

Least privilege (CJIS AC-6, ADR 0038): an administrator manages other people's accounts —
never their own role, never their own disable or second factor (another administrator, or
the command line, does that), never a superuser or the system account, and only into the
roles in ``roles.ROLES``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontrack.accounts.models import User
from ontrack.accounts.roles import ROLES
from ontrack.accounts.services import SYSTEM_USERNAME, staff_account
from ontrack.audit.services import record_event
from ontrack.common.errors import ConcurrentEdit, ValidationFailed
from ontrack.common.services import ensure_permission

MANAGE = "accounts.manage_staff"


def role_of(user: User) -> str | None:
    """The slug of the account's role, or None (no role, or a group outside ROLES)."""
    by_group = {r.group_name: r.slug for r in ROLES.values()}
    names = [g.name for g in user.groups.all()]
    return by_group.get(names[0]) if len(names) == 1 else None


def managed_account(*, actor: User, username: str, expected_version: int | None, what: str) -> User:
    """The account to change, locked, checked: not the actor, not stale. For services in
    this app and the apps above it (``programs.memberships``)."""
    ensure_permission(actor, MANAGE)
    user = staff_account(username)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationFailed(
            {"username": f"you cannot {what} your own account; another administrator can"}
        )
    if expected_version is not None and user.row_version != expected_version:
        raise ConcurrentEdit(
            f"account {username!r} was changed by someone else since you opened it "
            f"(version {expected_version}, now {user.row_version}); reload and try again"
        )
    return user


def saved(user: User, *fields: str, end_sessions: bool = False) -> None:
    user.row_version += 1
    if end_sessions:
        user.session_generation += 1  # every session signed in before now stops matching
    user.save(update_fields=[*fields, "row_version", "session_generation"])


@transaction.atomic
def change_role(
    *, actor: User, username: str, role: str, expected_version: int | None = None
) -> User:
    """Put the account in exactly one role (its group). Refused for one's own account."""
    user = managed_account(
        actor=actor, username=username, expected_version=expected_version, what="change the role of"
    )
    if role not in ROLES:
        raise ValidationFailed({"role": f"unknown role {role!r}; choose one of {', '.join(ROLES)}"})
    before = role_of(user)
    if before == role:
        raise ValidationFailed({"role": f"{username!r} already has the role {role!r}"})
    user.groups.set([Group.objects.get(name=ROLES[role].group_name)])
    saved(user)
    record_event(
        actor=actor, action="staff.role_changed", target=user, changes={"role": [before, role]}
    )
    return user


@transaction.atomic
def disable_account(*, actor: User, username: str, expected_version: int | None = None) -> User:
    """Disable the account and end every live session at once (CJIS AC-2)."""
    user = managed_account(
        actor=actor, username=username, expected_version=expected_version, what="disable"
    )
    if not user.is_active:
        raise ValidationFailed({"username": f"{username!r} is already disabled"})
    user.is_active = False
    saved(user, "is_active", end_sessions=True)
    record_event(
        actor=actor, action="staff.disabled", target=user, changes={"is_active": [True, False]}
    )
    return user


@transaction.atomic
def enable_account(*, actor: User, username: str, expected_version: int | None = None) -> User:
    """Enable the account again. Old sessions stay ended (the generation moved on when it
    was disabled); the inactivity clock restarts now (CJIS AC-2(3))."""
    user = managed_account(
        actor=actor, username=username, expected_version=expected_version, what="enable"
    )
    if user.is_active:
        raise ValidationFailed({"username": f"{username!r} is not disabled"})
    user.is_active = True
    user.enabled_at = timezone.now()
    saved(user, "is_active", "enabled_at")
    record_event(
        actor=actor, action="staff.enabled", target=user, changes={"is_active": [False, True]}
    )
    return user


@transaction.atomic
def reset_mfa(*, actor: User, username: str, expected_version: int | None = None) -> User:
    """Remove the account's authenticator and backup codes (a lost phone): it enrols again
    at its next sign-in, and its live sessions end (CJIS IA-2)."""
    user = managed_account(
        actor=actor,
        username=username,
        expected_version=expected_version,
        what="reset the second factor of",
    )
    removed_totp, _ = TOTPDevice.objects.filter(user=user).delete()
    removed_static = StaticDevice.objects.filter(user=user).count()
    StaticDevice.objects.filter(user=user).delete()
    saved(user, end_sessions=True)
    record_event(
        actor=actor,
        action="staff.mfa_reset",
        target=user,
        details={
            "authenticators_removed": removed_totp,
            "backup_code_sets_removed": removed_static,
        },
    )
    return user


# --- CJIS AC-2(3): accounts unused for 90 days are disabled ---


def inactivity_limit() -> dt.timedelta:
    return dt.timedelta(days=settings.ONTRACK_INACTIVE_DAYS)


def last_activity(user: User) -> dt.datetime:
    """When the account last counted as used: its last sign-in, its creation (never signed
    in) or its last re-enabling, whichever is latest."""
    return max(t for t in (user.last_login, user.date_joined, user.enabled_at) if t is not None)


def is_inactive(user: User, now: dt.datetime) -> bool:
    return user.username != SYSTEM_USERNAME and now - last_activity(user) > inactivity_limit()


def _inactive_accounts(now: dt.datetime) -> list[User]:
    # Coalesce: Greatest is NULL on PostgreSQL (and SQLite) when any argument is NULL.
    joined = F("date_joined")
    latest = Greatest(joined, Coalesce(F("last_login"), joined), Coalesce(F("enabled_at"), joined))
    return list(
        User.objects.select_for_update()
        .alias(latest=latest)
        .filter(is_active=True, latest__lt=now - inactivity_limit())
        .exclude(username=SYSTEM_USERNAME)
        .order_by("username")
    )


def _disable_inactive(*, actor: User, user: User, now: dt.datetime, trigger: str) -> None:
    user.is_active = False
    saved(user, "is_active", end_sessions=True)
    record_event(
        actor=actor,
        action="staff.disabled_inactive",
        target=user,
        changes={"is_active": [True, False]},
        details={
            "last_activity": last_activity(user),
            "inactive_days": settings.ONTRACK_INACTIVE_DAYS,
            "trigger": trigger,
        },
    )


@transaction.atomic
def disable_inactive_accounts(*, actor: User, now: dt.datetime | None = None) -> list[str]:
    """Disable every active account unused for more than ``ONTRACK_INACTIVE_DAYS`` (90) days;
    returns their usernames. Safe to repeat (the scheduler runs it daily)."""
    ensure_permission(actor, MANAGE)
    now = now or timezone.now()
    found = _inactive_accounts(now)
    for user in found:
        _disable_inactive(actor=actor, user=user, now=now, trigger="scheduled")
    return [u.username for u in found]


@transaction.atomic
def disable_if_inactive(*, user: User, now: dt.datetime | None = None) -> bool:
    """At sign-in, after the password matched: an account past the limit is disabled then
    and there, so the rule holds even when the scheduler never ran. The system account
    records it (the person signing in is not acting as an administrator)."""
    from ontrack.accounts.services import system_actor

    now = now or timezone.now()
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not (locked.is_active and is_inactive(locked, now)):
        return False
    _disable_inactive(actor=system_actor(), user=locked, now=now, trigger="sign-in")
    return True
