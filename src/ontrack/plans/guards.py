"""The plan's guards on the lifecycle (registered in ``PlansConfig.ready``).

Graduation (PC 1000.10; BJA FS 000316: the charges are dismissed when the plan is complete):
every requirement met — complete for service, classes and phases, on track for the rest —
and a verified job or full-time school. An enrollment without a plan cannot graduate:
unknown is not yes. Promotion (active → active): the current phase's promotion criteria
(All Rise (NADCP) Adult Treatment Court Best Practice Standards, vol. I, standard I).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ontrack.enrollments.lifecycle import Move, Refusal, State
from ontrack.enrollments.models import Enrollment, Transition
from ontrack.plans.compliance import (
    EVENT_COLUMNS,
    events_frame,
    frames_for,
    left_before_graduation,
    promotion_problems,
)
from ontrack.plans.models import Event, Requirement, RequirementKind


def graduation_guard(enrollment: Any, move: Move) -> list[Refusal]:
    rows = frames_for(Enrollment.objects.filter(pk=enrollment.pk), move.on).to_dicts()
    if not rows:
        return [
            Refusal("plan", "the participant has no plan: there is nothing to show it is complete")
        ]
    left = left_before_graduation(rows)
    refusals = []
    if left["not_met"]:
        refusals.append(Refusal("plan", "the plan is not complete", tuple(left["not_met"])))
    if left["verified_on"] is None:
        refusals.append(Refusal("employment", "no job or full-time school has been verified"))
    return refusals


def promotion_guard(enrollment: Any, move: Move) -> list[Refusal]:
    if enrollment.state != State.ACTIVE:
        return []  # becoming active after the plea or on return is not a promotion
    requirements = Requirement.objects.filter(enrollment=enrollment, removed_at__isnull=True)
    phases = requirements.filter(kind=RequirementKind.PHASES).first()
    if phases is None:
        return [Refusal("to_phase", "the plan has no phases, so no promotion criteria")]
    criteria = phases.parameters.get("promotion", {}).get(str(enrollment.phase))
    if criteria is None:
        return [Refusal("to_phase", f"phase {enrollment.phase} is the last phase")]
    tests = requirements.filter(kind=RequirementKind.DRUG_TESTS).first()
    rule = tests.parameters if tests is not None else {}
    events = events_frame(
        Event.objects.filter(enrollment=enrollment, voided_at__isnull=True).values_list(
            *EVENT_COLUMNS
        )
    )
    # The phase began on the effective day of the move into it (a plea recorded late takes
    # effect on its own day); an enrollment made without a move falls back to state_since.
    began = (
        Transition.objects.filter(enrollment=enrollment, to_state=State.ACTIVE)
        .order_by("-at", "-pk")
        .values_list("effective_on", flat=True)
        .first()
    )
    missing = promotion_problems(
        criteria,
        events,
        phase_since=began or timezone.localdate(enrollment.state_since),
        today=move.on,
        missed_positive=rule.get("missed_counts_as") == "positive",
        dilute_positive=rule.get("dilute_counts_as") == "positive",
    )
    if missing:
        return [Refusal("to_phase", "the phase's promotion criteria are not met", tuple(missing))]
    return []
