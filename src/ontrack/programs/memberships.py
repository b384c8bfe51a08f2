"""Staff in programs: which programs an account works in, and adding a member of staff with
their programs in one step (CJIS AC-2). Atomic, audited, keyword-only, ``actor`` first.

This sits above ``accounts`` (the layers in pyproject.toml), so it composes the account
services with the program facts; ``accounts`` never imports it (ADR 0036).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from ontrack.accounts import mfa
from ontrack.accounts.models import User
from ontrack.accounts.services import create_staff_user
from ontrack.accounts.staff import MANAGE, managed_account, saved
from ontrack.audit.services import record_event
from ontrack.common.errors import ValidationFailed
from ontrack.common.services import ensure_permission
from ontrack.programs.models import Program, ProgramMembership


def _programs(slugs: Iterable[str]) -> list[Program]:
    wanted = sorted(set(slugs))
    found = list(Program.objects.filter(slug__in=wanted).order_by("slug"))
    unknown = sorted(set(wanted) - {p.slug for p in found})
    if unknown:
        raise ValidationFailed({"program": f"no program {', '.join(repr(s) for s in unknown)}"})
    return found


def _current(user: User) -> list[str]:
    return sorted(
        ProgramMembership.objects.filter(user=user).values_list("program__slug", flat=True)
    )


@transaction.atomic
def set_programs(
    *, actor: User, username: str, programs: Iterable[str], expected_version: int | None = None
) -> User:
    """The account works in exactly ``programs`` (slugs) from now on. Refused for one's own
    account (an administrator changes no access of their own, ADR 0038)."""
    user = managed_account(
        actor=actor,
        username=username,
        expected_version=expected_version,
        what="change the programs of",
    )
    wanted = _programs(programs)
    before = _current(user)
    after = [p.slug for p in wanted]
    if before == after:
        raise ValidationFailed({"program": f"{username!r} already works in exactly these programs"})
    ProgramMembership.objects.filter(user=user).exclude(program__in=wanted).delete()
    ProgramMembership.objects.bulk_create(
        [ProgramMembership(user=user, program=p) for p in wanted if p.slug not in before]
    )
    saved(user)
    record_event(
        actor=actor,
        action="staff.programs_changed",
        target=user,
        changes={"programs": [before, after]},
    )
    return user


@transaction.atomic
def add_staff_member(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    programs: Iterable[str] = (),
) -> tuple[User, list[str]]:
    """A new account in ``role`` and ``programs`` with ten backup codes to hand to its owner.
    The administrator chose the password, so the owner changes it at the first sign-in
    (CJIS IA-5(1)) and enrols an authenticator then (IA-2). All or nothing."""
    ensure_permission(actor, MANAGE)
    problems: dict[str, str] = {}
    wanted: list[Program] = []
    try:
        wanted = _programs(programs)
    except ValidationFailed as exc:
        problems.update(exc.problems)
    try:
        user = create_staff_user(
            actor=actor,
            username=username,
            password=password,
            role=role,
            first_name=first_name,
            last_name=last_name,
            email=email,
            must_change_password=True,
        )
    except ValidationFailed as exc:
        raise ValidationFailed({**exc.problems, **problems}) from exc
    if problems:
        raise ValidationFailed(problems)
    ProgramMembership.objects.bulk_create([ProgramMembership(user=user, program=p) for p in wanted])
    if wanted:
        record_event(
            actor=actor,
            action="staff.programs_changed",
            target=user,
            changes={"programs": [[], [p.slug for p in wanted]]},
        )
    codes = mfa.issue_backup_codes(actor=actor, user=user)
    return user, codes
