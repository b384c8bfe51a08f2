"""Writes for staff accounts and roles: atomic, audited, keyword-only, with an actor."""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from ontrack.accounts.models import User
from ontrack.accounts.roles import ROLES
from ontrack.audit.services import record_event
from ontrack.common.errors import ValidationFailed

SYSTEM_USERNAME = "ontrack-system"


def system_actor() -> User:
    """The account that machine work (migrations, CLI defaults) is attributed to.

    It holds every permission, so that operators' scripted commands pass the services'
    checks, but it can never sign in: its password is unusable.
    """
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "OnTrack", "last_name": "system", "is_superuser": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def sync_roles(*, actor: User) -> list[str]:
    """Make each role's group hold exactly its declared permissions. Safe to repeat."""
    changed: list[str] = []
    for role in ROLES.values():
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
) -> User:
    """Create a staff account in one role. The password must pass the validators."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    problems: dict[str, str] = {}
    if role not in ROLES:
        problems["role"] = f"unknown role {role!r}; choose one of {', '.join(ROLES)}"
    if not username:
        problems["username"] = "required"
    elif User.objects.filter(username=username).exists():
        problems["username"] = f"{username!r} is taken"
    candidate = User(username=username, first_name=first_name, last_name=last_name, email=email)
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


@transaction.atomic
def reset_password(*, actor: User, user: User, password: str) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed({"password": " ".join(exc.messages)}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    # The audit never holds the password or its hash, only that it changed.
    record_event(actor=actor, action="staff.password_reset", target=user)
