"""Reads of test days and results, through the enrollment's visibility.

Results are sensitive (42 CFR Part 2 treats substance-use records with particular care; All
Rise Standard VII): reading them needs ``drugtests.view_result`` and every read writes an
access row (``audit/access.py``), here in the selector so page, panel and API cannot forget.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from ontrack.audit.access import record_access
from ontrack.audit.models import Outcome
from ontrack.common.errors import NotFound
from ontrack.drugtests.models import Confirmation, TestDay
from ontrack.drugtests.spread import weekday_spread
from ontrack.enrollments.models import TimelineEntry
from ontrack.enrollments.selectors import visible_enrollments
from ontrack.plans.models import Event, EventKind

VIEW_RESULT = "drugtests.view_result"


def may_view_results(actor: Any) -> bool:
    return bool(actor.is_active and actor.has_perm(VIEW_RESULT))


def test_days_of(*, actor: Any, enrollment_id: int) -> QuerySet[TestDay]:
    """The drawn days (without their results)."""
    return TestDay.objects.filter(
        enrollment__in=visible_enrollments(actor=actor), enrollment_id=enrollment_id
    )


def results_of(*, actor: Any, enrollment_id: int) -> list[Event]:
    """Every drug-test event of the enrollment (voided ones too, struck on the page), with
    its confirmation; ``NotFound`` without ``view_result`` (missing and forbidden alike).
    The read is written to the access stream, refused or not."""
    if not may_view_results(actor):
        record_access(actor=actor, action="drugtests.results_read", outcome=Outcome.DENIED,
                      object_type="enrollment", object_id=enrollment_id)  # fmt: skip
        raise NotFound
    events = list(
        Event.objects.filter(
            enrollment__in=visible_enrollments(actor=actor),
            enrollment_id=enrollment_id,
            kind=EventKind.DRUG_TEST,
        ).order_by("-occurred_on", "-pk")
    )
    confirmations = {
        c.event_id: c for c in Confirmation.objects.filter(event__in=[e.pk for e in events])
    }
    for event in events:
        event.confirmation_found = confirmations.get(event.pk)  # type: ignore[attr-defined]
    record_access(actor=actor, action="drugtests.results_read", outcome=Outcome.SUCCESS,
                  object_type="enrollment", object_id=enrollment_id,
                  row_count=len(events))  # fmt: skip
    return events


def tests_due_on(*, actor: Any, day: dt.date, own_caseload: bool) -> QuerySet[TestDay]:
    """Test days on ``day`` for the enrollments the actor sees, without a live result;
    ``own_caseload``: only the cases the actor manages (the day page of a case manager)."""
    found = TestDay.objects.filter(enrollment__in=visible_enrollments(actor=actor), day=day)
    if own_caseload:
        found = found.filter(enrollment__case__case_manager=actor)
    return (
        found.exclude(event__voided_at__isnull=True, event__isnull=False)
        .select_related("enrollment__case__defendant")
        .order_by("enrollment_id")
    )


def upcoming_test_days(*, actor: Any, enrollment_id: int, today: dt.date) -> QuerySet[TestDay]:
    """Drawn days from ``today`` on without a result, only for ``record_result`` holders:
    All Rise Standard VII wants them unpredictable, so nobody who might tell the participant
    (or the participant looking over a shoulder at a read-only screen) is shown them."""
    if not (actor.is_active and actor.has_perm("drugtests.record_result")):
        return TestDay.objects.none()
    return test_days_of(actor=actor, enrollment_id=enrollment_id).filter(
        day__gte=today, event__isnull=True
    )


# The sensitive timeline entries this app answers for: its own, and the drug-test events the
# plans door writes.
SENSITIVE_KINDS_PREFIX = "drugtests."
DRUG_TEST_EVENT_KIND = "event.drug_test"


def readable_timeline_entries(actor: Any, entries: Sequence[TimelineEntry]) -> set[int]:
    """The timeline's sensitive reader (``enrollments.timeline.register_sensitive_reader``):
    holders of ``view_result`` see drug-test entries in full, and that read is an access row
    per enrollment; others see that a test was recorded, and nothing of a result is read."""
    ours = [
        entry
        for entry in entries
        if entry.kind == DRUG_TEST_EVENT_KIND or entry.kind.startswith(SENSITIVE_KINDS_PREFIX)
    ]
    if not ours or not may_view_results(actor):
        return set()
    by_enrollment: dict[int, list[int]] = {}
    for entry in ours:
        by_enrollment.setdefault(entry.enrollment_id, []).append(entry.pk)
    for enrollment_id, ids in sorted(by_enrollment.items()):
        record_access(actor=actor, action="drugtests.timeline_read", outcome=Outcome.SUCCESS,
                      object_type="enrollment", object_id=enrollment_id,
                      row_count=len(ids))  # fmt: skip
    return {entry.pk for entry in ours}


def drawn_day_spread(*, actor: Any, program: Any) -> dict[str, Any]:
    """Drawn test days of the program's visible enrollments per weekday, with the chi-square
    test of uniformity; one query. Days only, no results: no access row."""
    days = list(
        TestDay.objects.filter(
            enrollment__in=visible_enrollments(actor=actor), enrollment__program=program
        ).values_list("day", flat=True)
    )
    return weekday_spread(days)
