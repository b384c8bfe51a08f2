"""Reads for the staff pages and ``ontrack staff list``: accounts with their programs."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ontrack.accounts.models import User
from ontrack.accounts.selectors import staff_accounts
from ontrack.programs.models import Program, ProgramMembership


def staff_directory(*, actor: User) -> QuerySet[User]:
    """``accounts.selectors.staff_accounts`` with each account's memberships prefetched
    (``program_memberships``, programs by slug): a constant number of queries."""
    memberships = ProgramMembership.objects.select_related("program").order_by("program__slug")
    return staff_accounts(actor=actor).prefetch_related(
        Prefetch("program_memberships", queryset=memberships)
    )


def program_choices(*, actor: User) -> QuerySet[Program]:
    """Programs an administrator may put staff in (all of them; names are not case data)."""
    if not (actor.is_active and actor.has_perm("accounts.manage_staff")):
        return Program.objects.none()
    return Program.objects.order_by("name")
