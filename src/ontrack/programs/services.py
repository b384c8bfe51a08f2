"""Writes for programs: keyword-only, atomic, audited. Who works in which program is
``programs/memberships.py`` (the staff rules: an administrator never changes their own).

Who works in which program decides which cases they see (``cases/visibility.py``), so it is
account management (CJIS AC-2): it needs ``accounts.manage_staff``, like the rest of staff
administration.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from ontrack.audit.services import record_event
from ontrack.common.errors import ValidationFailed
from ontrack.common.services import bump_version, ensure_permission
from ontrack.programs.models import Program

MAX_SLUG = Program._meta.get_field("slug").max_length or 50
MAX_NAME = Program._meta.get_field("name").max_length or 200


def _is_slug(text: str) -> bool:
    try:
        validate_slug(text)
    except ValidationError:
        return False
    return True


@transaction.atomic
def create_program(
    *, actor: Any, slug: str, name: str, colleagues_see_caseloads: bool = False
) -> Program:
    ensure_permission(actor, "accounts.manage_staff")
    problems: dict[str, str] = {}
    slug, name = slug.strip(), name.strip()
    if not slug:
        problems["slug"] = "required"
    elif len(slug) > MAX_SLUG or not _is_slug(slug):
        problems["slug"] = f"letters, digits, '-' and '_' only, at most {MAX_SLUG} characters"
    elif Program.objects.filter(slug=slug).exists():
        problems["slug"] = f"a program {slug!r} already exists"
    if not name:
        problems["name"] = "required"
    elif len(name) > MAX_NAME:
        problems["name"] = f"at most {MAX_NAME} characters"
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
def set_caseload_sharing(
    *, actor: Any, slug: str, share: bool, expected_version: int | None = None
) -> Program:
    """Whether the program's case managers see each other's caseloads (``cases/visibility``
    rule 3): the program's decision, changed by an administrator, audited."""
    ensure_permission(actor, "accounts.manage_staff")
    program = Program.objects.select_for_update().filter(slug=slug).first()
    if program is None:
        raise ValidationFailed({"program": f"no program {slug!r}"})
    if program.colleagues_see_caseloads == share:
        already = "shares" if share else "does not share"
        raise ValidationFailed(
            {"colleagues_see_caseloads": f"{program} already {already} caseloads"}
        )
    bump_version(program, program.row_version if expected_version is None else expected_version)
    program.colleagues_see_caseloads = share
    program.save(update_fields=["colleagues_see_caseloads", "updated_at"])
    record_event(
        actor=actor,
        action="program.caseload_sharing_changed",
        target=program,
        changes={"colleagues_see_caseloads": [not share, share]},
    )
    return program


MAX_CAPACITY = 10_000  # a diversion court's program; a larger number is a typing mistake


@transaction.atomic
def set_capacity(
    *, actor: Any, slug: str, capacity: int | None, expected_version: int | None = None
) -> Program:
    """How many places the program has (None: not set, and then no offer can be made; ADR
    0077). The program's decision, changed by an administrator, audited."""
    ensure_permission(actor, "accounts.manage_staff")
    program = Program.objects.select_for_update().filter(slug=slug).first()
    if program is None:
        raise ValidationFailed({"program": f"no program {slug!r}"})
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationFailed(
            {"capacity": f"the number of places is between 1 and {MAX_CAPACITY}"}
        )
    if program.capacity == capacity:
        raise ValidationFailed({"capacity": f"{program} already has that number of places"})
    old = program.capacity
    bump_version(program, program.row_version if expected_version is None else expected_version)
    program.capacity = capacity
    program.save(update_fields=["capacity", "updated_at"])
    record_event(
        actor=actor,
        action="program.capacity_set",
        target=program,
        changes={"capacity": [old, capacity]},
    )
    return program
