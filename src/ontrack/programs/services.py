"""Writes for programs: keyword-only, atomic, audited. Who works in which program is
``programs/memberships.py`` (the staff rules: an administrator never changes their own).

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
from ontrack.programs.models import Program


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
