"""The court calendar of progress hearings (BJA FS 000316: about three a month early on).

A hearing is scheduled for a participant; whether they came is an event
(``plans.Event`` kinds ``hearing_attended`` / ``hearing_missed``, pointing here), so
compliance and responses read it like every other event. Reminders are added by this app.
"""

from __future__ import annotations

from django.db import models

from ontrack.common.models import VersionedModel
from ontrack.enrollments.models import Enrollment


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    HELD = "held", "Held"


class Hearing(VersionedModel):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField()
    court = models.CharField(max_length=100)
    department = models.CharField(max_length=40, blank=True)  # "" not given
    status = models.CharField(
        max_length=20, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"hearing {self.pk} at {self.starts_at:%Y-%m-%d %H:%M}"
