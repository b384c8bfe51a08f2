"""Synthetic screenings and overrides for the step tests (no engine run: the decision in
force is what these rows say, eligibility/decision.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case
from ontrack.eligibility.models import PolicyVersionRecord, Screening, ScreeningOverride
from ontrack.enrollments.models import (
    Dismissal,
    Enrollment,
    SealingRequest,
    TimelineEntry,
    Transition,
)

DAY = dt.date(2025, 7, 1)


def screen(case: Case, actor: Any, result: str, missing: list[str] | None = None) -> Screening:
    version, _ = PolicyVersionRecord.objects.get_or_create(
        policy="walk", label="v1",
        defaults={"title": "Test policy", "effective_from": dt.date(2025, 1, 1),
                  "status": "approved", "sha256": "0" * 64, "document": {}},
    )  # fmt: skip
    return Screening.objects.create(
        case=case, policy_version=version, as_of=DAY, result=result, criteria=[],
        missing=missing or [], facts={}, actor=actor,
    )  # fmt: skip


def override(screening: Screening, actor: Any, result: str, reason: str) -> ScreeningOverride:
    return ScreeningOverride.objects.create(
        screening=screening, result=result, reason=reason, actor=actor
    )


def everything() -> tuple[Any, ...]:
    """What a refusal must leave as it was, the audit rows included."""
    return (
        list(Enrollment.objects.order_by("pk").values_list("state", "phase", "row_version")),
        list(Case.objects.order_by("pk").values_list("status", "sentencing_date", "restriction",
                                                     "row_version")),
        list(SealingRequest.objects.order_by("pk").values_list("status", "order_date")),
        Transition.objects.count(),
        TimelineEntry.objects.count(),
        Dismissal.objects.count(),
        AuditEvent.objects.count(),
    )  # fmt: skip
