"""The guards of an offer, registered in ``apps.py`` for every move to ``offered`` however it is
asked for (``steps.offer_place``, the waitlist, ``services.move_enrollment`` directly)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from ontrack.eligibility.engine import ELIGIBLE, INELIGIBLE
from ontrack.eligibility.selectors import decision_of
from ontrack.enrollments.lifecycle import HOLDS_A_PLACE, Move, Refusal, State
from ontrack.enrollments.models import Enrollment, Transition
from ontrack.programs.models import Program


def decision_guard(enrollment: Enrollment, move: Move) -> list[Refusal]:
    """No offer without an eligible decision in force for the case (eligibility/decision.py:
    the latest screening, or a supervisor's override in force). An override's reason goes
    into the transition's details, so the offer says on what it rests."""
    decision = decision_of(actor=move.actor, case=enrollment.case)
    if decision is None:
        return [Refusal("eligibility", "the case has not been screened yet")]
    if decision.result == ELIGIBLE:
        if decision.override is not None:
            move.details["override"] = {
                "id": decision.override.pk,
                "reason": decision.override.reason,
            }
        return []
    if decision.result == INELIGIBLE:
        return [Refusal("eligibility", "the decision in force for the case is ineligible")]
    return [
        Refusal(
            "eligibility",
            "the screening needs information first",
            missing=tuple(decision.current.missing),
        )
    ]


def places_held(program_id: int) -> int:
    return Enrollment.objects.filter(
        program_id=program_id, state__in=[s.value for s in HOLDS_A_PLACE]
    ).count()


def place_guard(enrollment: Enrollment, move: Move) -> list[Refusal]:
    """An offer holds a place: refused when the capacity is not set (unknown is not yes)
    or every place is held. The program row is locked, so two offers cannot both take the
    last place."""
    program = Program.objects.select_for_update().get(pk=enrollment.program_id)
    if program.capacity is None:
        return [Refusal("capacity", f"set the number of places of {program} first")]
    if places_held(program.pk) >= program.capacity:
        return [Refusal("capacity", f"all {program.capacity} places of {program} are held")]
    return []


def waitlist_in_order(program_id: int) -> QuerySet[Enrollment]:
    """The one order of a program's waitlist (ADR 0077): by the time of each enrollment's
    latest move to the waitlist. Not a selector (no actor): the services and
    ``selectors.program_waitlist`` use it, and show only what the actor may see."""
    joined = (
        Transition.objects.filter(enrollment=OuterRef("pk"), to_state=State.WAITLISTED)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return (
        Enrollment.objects.filter(program_id=program_id, state=State.WAITLISTED)
        .annotate(joined=Subquery(joined))
        .order_by("joined", "pk")
    )
