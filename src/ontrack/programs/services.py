"""Writes for programs and their staff: keyword-only, atomic, audited.

Who works in which program decides which cases they see (``cases/visibility.py``), so it is
account management (CJIS AC-2): it needs ``accounts.manage_staff``, like the rest of staff
administration.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ontrack.audit.services import record_event
from ontrack.common.errors import ValidationFailed
from ontrack.common.services import ensure_permission
from ontrack.programs.models import Program, ProgramMembership


@transaction.atomic
def create_program(
    *, actor: Any, slug: str, name: str, colleagues_see_caseloads: bool = False
) -> Program:
    ensure_permission(actor, "accounts.manage_staff")
    problems: dict[str, str] = {}
    slug, name = slug.strip(), name.strip()
    if not slug:
        problems["slug"] = "required"
    elif Program.objects.filter(slug=slug).exists():
        problems["slug"] = f"a program {slug!r} already exists"
    if not name:
        problems["name"] = "required"
    if problems:
        raise ValidationFailed(problems)
    program = Program.objects.create(
        slug=slug, name=name, colleagues_see_caseloads=colleagues_see_caseloads
    )
    record_event(
        actor=actor,
        action="program.created",
        target=program,
        changes={
            "slug": [None, slug],
            "name": [None, name],
            "colleagues_see_caseloads": [None, colleagues_see_caseloads],
        },
    )
    return program


@transaction.atomic
def add_program_member(*, actor: Any, program: Program, user: Any) -> ProgramMembership:
    ensure_permission(actor, "accounts.manage_staff")
    if not user.is_active:
        raise ValidationFailed({"user": f"{user.get_username()} is not an active account"})
    if ProgramMembership.objects.filter(program=program, user=user).exists():
        raise ValidationFailed({"user": f"{user.get_username()} is already in {program}"})
    membership = ProgramMembership.objects.create(program=program, user=user)
    record_event(
        actor=actor,
        action="program.member_added",
        target=program,
        changes={"member": [None, user.get_username()]},
    )
    return membership
