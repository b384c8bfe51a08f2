"""The queues app's one model: a permission holder (no table; the queues read other apps')."""

from __future__ import annotations

from django.db import models


class DeidentifiedCounts(models.Model):
    """No table. Holds ``queues.view_deidentified_counts``: counts of every case (sealed ones
    included, as de-identified statistics survive sealing, DESIGN.md principle 6) with small
    cells suppressed, and never a name, docket or id (analysts; ``docs/queues.md``)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_deidentified_counts", "Can see de-identified counts of cases (no names)")
        ]

    def __str__(self) -> str:
        return "de-identified counts permission holder"
