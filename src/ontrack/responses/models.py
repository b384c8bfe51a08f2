"""Responses to what a participant did: graduated incentives, sanctions and service
adjustments (All Rise Adult Treatment Court Best Practice Standards, Standard IV), or a
recorded decision not to respond and why. One decision per event."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ontrack.plans.models import Event


class ResponseKind(models.TextChoices):
    INCENTIVE = "incentive", "Incentive"
    SANCTION = "sanction", "Sanction"
    SERVICE_ADJUSTMENT = "service_adjustment", "Service adjustment"


class Response(models.Model):
    """``code`` blank and ``no_response_reason`` set: the team decided not to respond."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="response")
    code = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=20, choices=ResponseKind.choices, blank=True)
    # NULL for a decision not to respond (there was nothing chosen).
    chosen_from_suggestions = models.BooleanField(null=True)
    note = models.TextField(blank=True)
    no_response_reason = models.TextField(blank=True)
    on = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-pk"]
        permissions = [("record_response", "Can record responses to participants' events")]

    def __str__(self) -> str:
        return self.code or "no response"
