"""Reads of enrollments: an enrollment is visible exactly when its case is
(``cases/visibility.py``), so sealing a case hides its enrollment, plan, events, hearings,
notes and documents from everyone who could not open the case itself."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from ontrack.cases.visibility import sees_every_program, visible_cases
from ontrack.common.errors import NotFound
from ontrack.enrollments.guards import waitlist_in_order
from ontrack.enrollments.models import Enrollment, TimelineEntry
from ontrack.programs.models import Program


def visible_enrollments(*, actor: Any) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(case__in=visible_cases(actor))


def get_enrollment(*, actor: Any, enrollment_id: int) -> Enrollment:
    """The enrollment with its case, person and program, or ``NotFound`` (missing and
    invisible look the same)."""
    found = (
        visible_enrollments(actor=actor)
        .select_related("case", "case__defendant", "program", "case__case_manager")
        .filter(pk=enrollment_id)
        .first()
    )
    if found is None:
        raise NotFound
    return found


def enrollment_for_update(*, actor: Any, enrollment_id: int) -> Enrollment:
    """Locked for a write in the caller's transaction, or ``NotFound``: who cannot see an
    enrollment cannot change it either."""
    found = (
        visible_enrollments(actor=actor)
        .select_for_update(of=("self",))
        .select_related("case", "program")
        .filter(pk=enrollment_id)
        .first()
    )
    if found is None:
        raise NotFound
    return found


def timeline(*, actor: Any, enrollment_id: int) -> QuerySet[TimelineEntry]:
    """The enrollment's timeline, newest first (empty when it is not visible)."""
    return TimelineEntry.objects.filter(
        enrollment__in=visible_enrollments(actor=actor), enrollment_id=enrollment_id
    ).select_related("by")


def visible_programs(*, actor: Any) -> QuerySet[Program]:
    """The programs whose enrollments the actor may look at as a whole: every program for
    those who see every program, otherwise the programs they work in."""
    if not (actor.is_active and actor.has_perm("enrollments.view_enrollment")):
        return Program.objects.none()
    if sees_every_program(actor):
        return Program.objects.order_by("name")
    return Program.objects.filter(memberships__user=actor).order_by("name")


def get_program(*, actor: Any, program_id: int) -> Program:
    found = visible_programs(actor=actor).filter(pk=program_id).first()
    if found is None:
        raise NotFound
    return found


def census(*, actor: Any, program_id: int) -> list[dict[str, Any]]:
    """How many of the program's enrollments the actor may see are in each state and phase
    (one query), in the lifecycle's order."""
    from ontrack.enrollments.lifecycle import State

    order = list(State)
    rows = (
        visible_enrollments(actor=actor)
        .filter(program_id=program_id)
        .values("state", "phase")
        .annotate(n=Count("pk"))
    )
    found = [
        {"state": State(r["state"]).label, "phase": r["phase"], "count": r["n"], "_k": r["state"]}
        for r in rows
    ]
    found.sort(key=lambda r: (order.index(State(r["_k"])), r["phase"] or 0))
    return [{k: v for k, v in r.items() if k != "_k"} for r in found]


def program_waitlist(*, actor: Any, program_id: int) -> list[tuple[int, Enrollment]]:
    """The program's waitlist in order, as (position, enrollment) for the enrollments the
    actor may see; the position counts everyone waiting (two queries)."""
    order = list(waitlist_in_order(program_id).values_list("pk", flat=True))
    seen = {
        e.pk: e
        for e in visible_enrollments(actor=actor)
        .filter(pk__in=order)
        .select_related("case", "case__defendant")
    }
    return [(i, seen[pk]) for i, pk in enumerate(order, start=1) if pk in seen]
