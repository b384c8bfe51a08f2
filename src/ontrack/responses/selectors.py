"""Reads of responses, through the enrollment's visibility."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ontrack.enrollments.selectors import visible_enrollments
from ontrack.plans.models import Event
from ontrack.responses.models import Response


def responses_of(*, actor: Any, enrollment_id: int) -> QuerySet[Response]:
    return Response.objects.filter(
        event__enrollment__in=visible_enrollments(actor=actor),
        event__enrollment_id=enrollment_id,
    ).select_related("event")


def awaiting_response(*, actor: Any, enrollment_id: int) -> QuerySet[Event]:
    """Live events of the enrollment with no decision yet."""
    return Event.objects.filter(
        enrollment__in=visible_enrollments(actor=actor),
        enrollment_id=enrollment_id,
        voided_at__isnull=True,
        response__isnull=True,
    ).order_by("occurred_on", "pk")
