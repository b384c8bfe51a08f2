"""Reads of plans and events, through the enrollment's visibility (its case's)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ontrack.enrollments.selectors import visible_enrollments
from ontrack.plans.models import Event, Requirement, RequirementKind
from ontrack.plans.rules import DrugTestRule, drug_test_rule


def requirements_of(*, actor: Any, enrollment_id: int) -> QuerySet[Requirement]:
    return Requirement.objects.filter(
        enrollment__in=visible_enrollments(actor=actor), enrollment_id=enrollment_id
    )


def events_of(*, actor: Any, enrollment_id: int) -> QuerySet[Event]:
    """Every event of the enrollment, voided ones included (the page shows them struck)."""
    return Event.objects.filter(
        enrollment__in=visible_enrollments(actor=actor), enrollment_id=enrollment_id
    ).select_related("recorded_by", "hearing")


def drug_testing_rule_of(*, actor: Any, enrollment_id: int) -> DrugTestRule | None:
    """The enrollment's drug-testing rule, or None when its plan has none (or it is not
    visible): the drug-testing app then draws no days and says why."""
    found = (
        requirements_of(actor=actor, enrollment_id=enrollment_id)
        .filter(kind=RequirementKind.DRUG_TESTS)
        .first()
    )
    return drug_test_rule(found.parameters) if found is not None else None
