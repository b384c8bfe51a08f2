"""Test helpers for plans. ``complete_plan(enrollment, actor)`` gives an active enrollment a
plan whose every requirement is met on ``on`` (default: today), with the employment
verified, so other apps' graduation tests can pass the plan's guard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ontrack.plans.models import Event, Requirement

DRUG_TESTS = {
    "per_week_by_phase": {"1": 1, "2": 1, "3": 1, "4": 1, "5": 1, "6": 1},
    "missed_counts_as": "positive",
    "dilute_counts_as": "positive",
}


def complete_plan(enrollment: Any, actor: Any, *, on: dt.date | None = None) -> list[Requirement]:
    """Requirements copied as from a template (started 60 days before ``on``) and the events
    that meet each on ``on``: 10 service hours, the parenting class completed, a contact, a
    negative test, 30 hours of verified work in the week. The plan's phases end at the
    enrollment's phase (so it is in its last phase)."""
    on = on or timezone.localdate()
    phase = enrollment.phase or 1
    promotion = {str(n): {"min_days": 1} for n in range(1, phase)}
    specs = [
        ("employment_or_school", "Work", {"hours_per_week": 30, "verified_by_required": True}),
        ("community_service", "Community service", {"total_hours": 10}),
        ("class", "Parenting class", {"class_name": "parenting", "sessions_required": 1}),
        ("contacts", "Contacts", {"per_week": 1}),
        ("drug_tests", "Drug tests", DRUG_TESTS),
        ("phases", "Phases", {"count": phase, "promotion": promotion}),
    ]
    made = [
        Requirement.objects.create(
            enrollment=enrollment,
            kind=kind,
            label=label,
            parameters=parameters,
            position=n,
            template_version=1,
            starts_on=on - dt.timedelta(days=60),
        )
        for n, (kind, label, parameters) in enumerate(specs)
    ]
    events: list[tuple[str, dict[str, Any]]] = [
        ("service_hours", {"hours": Decimal(10)}),
        ("class_completed", {"details": {"class_name": "parenting"}}),
        ("contact", {}),
        ("drug_test", {"result": "negative"}),
        ("work_hours", {"hours": Decimal(30), "verified_by": "Employer"}),
        ("employment_verified", {"verified_by": "Employer", "verification": "pay stub"}),
    ]
    for kind, fields in events:
        Event.objects.create(
            enrollment=enrollment,
            kind=kind,
            occurred_on=on,
            recorded_at=timezone.now(),
            recorded_by=actor,
            **fields,
        )
    return made
