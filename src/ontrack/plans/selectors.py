"""Reads of plans and events, through the enrollment's visibility (its case's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.db.models import QuerySet

from ontrack.common.errors import NotFound
from ontrack.enrollments.lifecycle import PARTICIPATING
from ontrack.enrollments.selectors import get_enrollment, visible_enrollments, visible_programs
from ontrack.plans.compliance import frames_for, left_before_graduation
from ontrack.plans.models import (
    Event,
    PlanTemplate,
    Requirement,
    RequirementChange,
    RequirementKind,
)
from ontrack.plans.rules import DrugTestRule, drug_test_rule


def event_for_update(*, actor: Any, event_id: int) -> Event:
    """The event with its enrollment, locked for a write in the caller's transaction, or
    ``NotFound`` (who cannot see an event cannot change or answer it either)."""
    found = (
        Event.objects.select_for_update(of=("self",))
        .select_related("enrollment")
        .filter(pk=event_id, enrollment__in=visible_enrollments(actor=actor))
        .first()
    )
    if found is None:
        raise NotFound
    return found


def requirements_of(*, actor: Any, enrollment_id: int) -> QuerySet[Requirement]:
    """The enrollment's requirements, removed ones included (``removed_at`` says so)."""
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
        .filter(kind=RequirementKind.DRUG_TESTS, removed_at__isnull=True)
        .first()
    )
    return drug_test_rule(found.parameters) if found is not None else None


def plan_of(*, actor: Any, enrollment_id: int, today: dt.date) -> dict[str, Any]:
    """The enrollment's plan: its requirements with their compliance (derived from events,
    as of ``today``) and what is left before graduation. ``NotFound`` when not visible.
    Four queries, whatever the size of the plan."""
    enrollment = get_enrollment(actor=actor, enrollment_id=enrollment_id)
    rows = frames_for(visible_enrollments(actor=actor).filter(pk=enrollment.pk), today).to_dicts()
    requirements = list(
        requirements_of(actor=actor, enrollment_id=enrollment.pk).filter(removed_at__isnull=True)
    )
    by_id = {row["requirement_id"]: row for row in rows}
    return {
        "enrollment": enrollment,
        "requirements": [{"requirement": r, "compliance": by_id[r.pk]} for r in requirements],
        "left": left_before_graduation(rows),
    }


def requirement_history(*, actor: Any, requirement_id: int) -> QuerySet[RequirementChange]:
    return RequirementChange.objects.filter(
        requirement_id=requirement_id,
        requirement__enrollment__in=visible_enrollments(actor=actor),
    ).select_related("by")


def current_plan_template(*, actor: Any, program_id: int) -> PlanTemplate | None:
    """The program's current template, for those who may see the program (or manage
    templates); ``None`` when it has none."""
    if not (
        actor.has_perm("plans.manage_template")
        or visible_programs(actor=actor).filter(pk=program_id).exists()
    ):
        raise NotFound
    return PlanTemplate.objects.filter(program_id=program_id).order_by("-version").first()


def caseload_due(*, actor: Any, today: dt.date) -> list[dict[str, Any]]:
    """The day page: for the actor's own participants, the contacts still due this week and
    every requirement behind or violated. Three queries for any caseload size."""
    mine = visible_enrollments(actor=actor).filter(
        case__case_manager=actor, state__in=sorted(s.value for s in PARTICIPATING)
    )
    people = {
        e.pk: e
        for e in mine.select_related("case__defendant").order_by(
            "case__defendant__family_name", "pk"
        )
    }
    if not people:
        return []
    frame = frames_for(mine, today)
    due = frame.filter(
        ((pl.col("kind") == RequirementKind.CONTACTS) & (pl.col("status") != "on_track"))
        | pl.col("status").is_in(["behind", "violated"])
    ).sort("enrollment_id", "requirement_id")
    found: dict[int, list[dict[str, Any]]] = {}
    for row in due.to_dicts():
        found.setdefault(row["enrollment_id"], []).append(row)
    return [{"enrollment": people[pk], "items": found[pk]} for pk in people if pk in found]
