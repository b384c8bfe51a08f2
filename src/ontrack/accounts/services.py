"""Writes for staff accounts and roles: atomic, audited, keyword-only, with an actor."""

from __future__ import annotations

import re

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from ontrack.accounts.models import User
from ontrack.accounts.roles import ROLES, SYSTEM_ROLE
from ontrack.audit.services import record_event
from ontrack.common.errors import ValidationFailed
from ontrack.common.services import ensure_permission

SYSTEM_USERNAME = "ontrack-system"
_USERNAME = re.compile(r"[\w.@+-]+", re.ASCII)  # Django's ASCII username rule


def system_actor() -> User:
    """The account that machine work (migrations, CLI defaults) is attributed to.

    CJIS AC-6: it holds only the ``system`` role's permissions (``roles.SYSTEM_ROLE``: what
    the commands' services check), never superuser, and it can never sign in: its password
    is unusable. Its group is filled in by ``sync_roles`` after every migrate.
    """
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "OnTrack", "last_name": "system"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        group = Group.objects.filter(name=SYSTEM_ROLE.group_name).first()
        if group is not None:  # absent only during the very first migrate, before sync_roles
            user.groups.add(group)
    return user


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def sync_roles(*, actor: User) -> list[str]:
    """Make each role's group hold exactly its declared permissions. Safe to repeat."""
    changed: list[str] = []
    for role in (*ROLES.values(), SYSTEM_ROLE):
        group, _ = Group.objects.get_or_create(name=role.group_name)
        wanted = {_permission(p) for p in role.permissions}
        current = set(group.permissions.all())
        if wanted != current:
            group.permissions.set(wanted)
            record_event(
                actor=actor,
                action="role.permissions_synced",
                target=group,
                changes={
                    "permissions": [
                        sorted(f"{p.content_type.app_label}.{p.codename}" for p in current),
                        sorted(role.permissions),
                    ]
                },
            )
            changed.append(role.slug)
    system = system_actor()
    system_group = Group.objects.get(name=SYSTEM_ROLE.group_name)
    if list(system.groups.all()) != [system_group]:
        # Exactly the system role (a database from before ADR 0038 has no group for it).
        system.groups.set([system_group])
        record_event(
            actor=actor,
            action="staff.role_changed",
            target=system,
            changes={"role": [None, SYSTEM_ROLE.slug]},
        )
        changed.append(SYSTEM_ROLE.slug)
    return changed


@transaction.atomic
def create_staff_user(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    must_change_password: bool = False,
) -> User:
    """Create a staff account in one role (never a superuser: CJIS AC-6). The password must
    pass the validators. ``must_change_password``: an administrator chose this password, so
    the account replaces it at its first sign-in (CJIS IA-5(1): initial authenticators)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    ensure_permission(actor, "accounts.manage_staff")
    problems: dict[str, str] = {}
    if role not in ROLES:
        problems["role"] = f"unknown role {role!r}; choose one of {', '.join(ROLES)}"
    if not username:
        problems["username"] = "required"
    elif len(username) > 150 or not _USERNAME.fullmatch(username):
        problems["username"] = "use up to 150 letters, digits and @ . + - _"
    elif User.objects.filter(username=username).exists():
        problems["username"] = f"{username!r} is taken"
    for field, value, limit in (("first_name", first_name, 150), ("last_name", last_name, 150)):
        if len(value) > limit:
            problems[field] = f"at most {limit} characters"
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems["email"] = f"{email[:80]!r} is not an email address"
    candidate = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        must_change_password=must_change_password,
    )
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        problems["password"] = " ".join(exc.messages)
    if problems:
        raise ValidationFailed(problems)
    candidate.set_password(password)
    candidate.save()
    candidate.groups.add(Group.objects.get(name=ROLES[role].group_name))
    record_event(
        actor=actor,
        action="staff.created",
        target=candidate,
        changes={"username": [None, username], "role": [None, role]},
    )
    return candidate


def sync_roles_after_migrate(**kwargs: object) -> None:
    """post_migrate hook: permissions exist only once every app has migrated."""
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    sync_roles(actor=system_actor())


def _validated(password: str, user: User, field: str) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed({field: " ".join(exc.messages)}) from exc


def _staff_account(username: str) -> User:
    """A staff account administrators may manage. CJIS AC-6: never the system account and
    never a superuser (development only): resetting one's password would hand an
    administrator every permission, case files included."""
    user = User.objects.filter(username=username).first()
    if user is None or username == SYSTEM_USERNAME or user.is_superuser:
        raise ValidationFailed({"username": f"no staff account {username!r}"})
    return user


def staff_account(username: str) -> User:
    """The manageable account ``username`` (ValidationFailed when there is none)."""
    return _staff_account(username)


@transaction.atomic
def reset_password(
    *, actor: User, username: str, new_password: str, force_change: bool = True
) -> User:
    """An administrator sets a new password. CJIS IA-5: by default the account must change
    it at its next sign-in, before anything else (``must_change_password``). Other live
    sessions end, as Django ties each session to the password hash."""
    ensure_permission(actor, "accounts.manage_staff")
    user = _staff_account(username)
    if user.pk == actor.pk:
        # One's own password is changed knowing the current one (change_own_password).
        raise ValidationFailed({"username": "change your own password on the password page"})
    _validated(new_password, user, "new_password")
    user.set_password(new_password)
    before = user.must_change_password
    user.must_change_password = force_change
    user.save(update_fields=["password", "must_change_password"])
    # The audit never holds the password or its hash, only that it changed.
    record_event(
        actor=actor,
        action="staff.password_reset",
        target=user,
        changes={"must_change_password": [before, force_change]} if before != force_change else {},
    )
    return user


@transaction.atomic
def change_own_password(*, actor: User, current_password: str, new_password: str) -> None:
    """The account changes its own password; this clears ``must_change_password``."""
    problems: dict[str, str] = {}
    if not actor.check_password(current_password):
        problems["current_password"] = "that is not your current password"  # noqa: S105
    elif new_password == current_password:
        problems["new_password"] = "choose a password different from the current one"  # noqa: S105
    else:
        try:
            _validated(new_password, actor, "new_password")
        except ValidationFailed as exc:
            problems.update(exc.problems)
    if problems:
        raise ValidationFailed(problems)
    before = actor.must_change_password
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])
    record_event(
        actor=actor,
        action="staff.password_changed",
        target=actor,
        changes={"must_change_password": [True, False]} if before else {},
    )


@transaction.atomic
def unlock_account(*, actor: User, username: str) -> int:
    """CJIS AC-7: an administrator lifts a lockout (there is no automatic cool-off). Returns
    how many failed-attempt records were cleared; refuses an account that is not locked."""
    from axes.models import AccessAttempt
    from axes.utils import reset

    ensure_permission(actor, "accounts.manage_staff")
    user = _staff_account(username)
    locked = AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if not locked.exists():
        raise ValidationFailed({"username": f"{username!r} is not locked"})
    cleared = reset(username=username)
    record_event(
        actor=actor, action="staff.unlocked", target=user, details={"attempts_cleared": cleared}
    )
    return int(cleared)
