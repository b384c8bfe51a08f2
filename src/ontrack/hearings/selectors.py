"""Reads of hearings, always through the visible enrollments (a sealed case's hearings are
as invisible as the case)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ontrack.enrollments.selectors import visible_enrollments
from ontrack.hearings.models import Hearing, Reminder


def hearings_of(*, actor: Any, enrollment_id: int) -> QuerySet[Hearing]:
    """An enrollment's hearings, earliest first, with their reminders (empty when hidden)."""
    return (
        Hearing.objects.filter(
            enrollment__in=visible_enrollments(actor=actor), enrollment_id=enrollment_id
        )
        .prefetch_related(Prefetch("reminders", queryset=Reminder.objects.order_by("due_at", "pk")))
        .order_by("starts_at", "pk")
    )


def calendar(
    *, actor: Any, start: dt.date, days: int = 1, caseload_only: bool = False
) -> QuerySet[Hearing]:
    """The visible hearings from ``start`` for ``days`` days (office time), by court and time:
    the court calendar page and the day page's "Today's hearings" (``caseload_only``: the
    actor's own cases)."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(start + dt.timedelta(days=days), dt.time.min, tzinfo=zone)
    found = Hearing.objects.filter(
        enrollment__in=visible_enrollments(actor=actor), starts_at__gte=since, starts_at__lt=until
    )
    if caseload_only:
        found = found.filter(enrollment__case__case_manager=actor)
    return found.select_related("enrollment__case__defendant").order_by(
        "court", "starts_at", "department", "pk"
    )


def get_hearing(*, actor: Any, hearing_id: int) -> Hearing:
    """One visible hearing, or ``NotFound``."""
    from ontrack.common.errors import NotFound

    found = (
        Hearing.objects.filter(enrollment__in=visible_enrollments(actor=actor), pk=hearing_id)
        .select_related("enrollment")
        .first()
    )
    if found is None:
        raise NotFound
    return found
