"""Programs and the staff who work in them.

A case belongs to a program (``cases.Case.program``) and may be assigned to one of its case
managers; whether colleagues in a program see each other's caseloads is the program's own
decision (``colleagues_see_caseloads``). The visibility rule that reads these lives in
``cases/visibility.py``; this app only holds the facts it reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ontrack.common.models import VersionedModel


class Program(VersionedModel):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    # Least privilege by default: a case manager sees their own caseload and the program's
    # unassigned intake, not a colleague's participants, unless the program decides otherwise.
    colleagues_see_caseloads = models.BooleanField(default=False)
    # How many places the program has (ADR 0077). NULL: not set, which is unknown, not
    # unlimited: no offer is made until someone sets it (``services.set_capacity``).
    capacity = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgramMembership(models.Model):
    """One member of staff working in one program (written only by ``programs.services``)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="member_once_per_program")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.program_id}"
