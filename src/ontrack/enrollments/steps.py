"""The lifecycle's first steps, each a service over the one engine (``services.
move_enrollment``): screening and the offer of a place, the ordered waitlist, the trial
period, and termination back to the regular calendar.

The rules that must hold however a move is asked for (the decision in force, a free place)
are guards (``guards.py``, registered in ``apps.py``); the services here decide what the step means
(a full program puts the offer on the waitlist, ADR 0077) and record what it needs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction

from ontrack.cases.models import CaseStatus
from ontrack.cases.services import set_sentencing_date
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import ensure_permission
from ontrack.enrollments.guards import places_held, waitlist_in_order
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.models import Enrollment, Transition
from ontrack.enrollments.selectors import enrollment_for_update, visible_enrollments
from ontrack.enrollments.services import move_enrollment
from ontrack.programs.models import Program


class TerminationReason(models.TextChoices):
    """Why a participant is terminated (All Rise Adult Treatment Court Best Practice
    Standards, Standard IV: termination is a last resort, its reason recorded)."""

    NEW_ARREST = "new_arrest", "New arrest"
    NONCOMPLIANCE = "noncompliance", "Repeated noncompliance with the program"
    ABSCONDED = "absconded", "Absconded"
    VOLUNTARY = "voluntary", "Chose to leave and return to the regular calendar"
    OTHER = "other", "Other (the reason says what)"


# -- the waitlist --------------------------------------------------------------------------


def waitlist(program_id: int) -> list[Enrollment]:
    """The program's waitlisted enrollments in order (``selectors.waitlist_in_order``)."""
    return list(waitlist_in_order(program_id))


@transaction.atomic
def offer_place(*, actor: Any, enrollment_id: int, on: dt.date, reason: str) -> Transition:
    """Offer a screened (or waitlisted) case a place. When every place is held, a screened
    case goes on the waitlist instead (its position: the order it joined); a waitlisted case
    stays where it is and the offer is refused."""
    ensure_permission(actor, "enrollments.move_enrollment")
    enrollment = enrollment_for_update(actor=actor, enrollment_id=enrollment_id)
    program = Program.objects.select_for_update().get(pk=enrollment.program_id)
    # Capacity not set: the offer goes to the guard, which refuses it (one place for that rule).
    full = program.capacity is not None and places_held(program.pk) >= program.capacity
    if full and enrollment.state == State.SCREENED:
        return move_enrollment(
            actor=actor, enrollment_id=enrollment.pk, to_state=State.WAITLISTED,
            reason=reason, on=on, details={"capacity": program.capacity},
        )  # fmt: skip
    return move_enrollment(
        actor=actor, enrollment_id=enrollment.pk, to_state=State.OFFERED, reason=reason, on=on
    )


@transaction.atomic
def offer_next_from_waitlist(
    *, actor: Any, program_id: int, on: dt.date, reason: str
) -> Transition:
    """A place has freed: offer it to the first on the program's waitlist the actor may see
    (the program row locked first, so two of these cannot offer the same place)."""
    ensure_permission(actor, "enrollments.move_enrollment")
    program = Program.objects.select_for_update().filter(pk=program_id).first()
    if program is None:
        raise NotFound
    visible = set(
        visible_enrollments(actor=actor).filter(program=program).values_list("pk", flat=True)
    )
    first = next((e for e in waitlist(program.pk) if e.pk in visible), None)
    if first is None:
        raise ValidationFailed({"waitlist": f"nobody is waiting for a place in {program}"})
    return move_enrollment(
        actor=actor, enrollment_id=first.pk, to_state=State.OFFERED, reason=reason, on=on
    )


@transaction.atomic
def start_trial_period(*, actor: Any, enrollment_id: int, on: dt.date, reason: str) -> Transition:
    """The offer accepted: the six-week community-service trial before the plea (BJA fact
    sheet FS 000316, 2009)."""
    return move_enrollment(
        actor=actor, enrollment_id=enrollment_id, to_state=State.TRIAL_PERIOD, reason=reason, on=on
    )


@transaction.atomic
def terminate_enrollment(
    *,
    actor: Any,
    enrollment_id: int,
    on: dt.date,
    reason_code: str,
    reason: str,
    sentencing_date: dt.date | None,
) -> Transition:
    """Terminate the participant: the case returns to the regular calendar (status open)
    with the day set for sentencing (PC 1000.3: the deferred judgment is entered). The
    sentencing date may be unknown yet (NULL), never invented."""
    ensure_permission(actor, "enrollments.move_enrollment")
    if reason_code not in TerminationReason.values:
        raise ValidationFailed(
            {"reason_code": f"choose one of: {', '.join(TerminationReason.values)}"}
        )
    if sentencing_date is not None and sentencing_date < on:
        raise ValidationFailed({"sentencing_date": "sentencing cannot be before the termination"})
    moved = move_enrollment(
        actor=actor, enrollment_id=enrollment_id, to_state=State.TERMINATED, reason=reason,
        on=on, details={"reason_code": reason_code, "sentencing_date": sentencing_date},
    )  # fmt: skip
    case = moved.enrollment.case
    set_sentencing_date(
        actor=actor, case=case, expected_version=case.row_version,
        sentencing_date=sentencing_date, status=CaseStatus.OPEN, reason=reason,
    )  # fmt: skip
    return moved
