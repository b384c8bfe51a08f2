"""Shared model building blocks."""

from __future__ import annotations

from django.db import models


class Level(models.TextChoices):
    """Charge level; ``wobbler`` offenses may be charged either way (PC 17(b))."""

    FELONY = "felony", "Felony"
    MISDEMEANOR = "misdemeanor", "Misdemeanor"
    INFRACTION = "infraction", "Infraction"


class VersionedModel(models.Model):
    """Optimistic locking: every update names the version it read (principle 5).

    ``row_version`` increases on each change made through a service; an update whose
    expected version is stale is refused instead of silently overwriting someone's edit.
    """

    row_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
