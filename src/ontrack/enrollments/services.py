"""Writes for enrollments: opening one and moving it along the lifecycle.

``move_enrollment`` is the one door every change of state goes through: it refuses any move
not in ``lifecycle.TRANSITIONS``, asks every guard registered for the target state (apps above
register theirs: the plan complete before graduation, the decision in force before an offer),
and only then writes the ``Transition``, the timeline entry and the audit row, and runs the
after-move hooks, all in one transaction. A refusal raises ``ValidationFailed`` and changes
nothing. The per-step services (offer, plea, termination, graduation...) call it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ontrack.audit.services import jsonable, record_event
from ontrack.cases.models import Case
from ontrack.cases.visibility import case_for_update
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import bump_version, ensure_permission
from ontrack.common.text import reason_problem
from ontrack.enrollments.lifecycle import (
    FINAL,
    TRANSITIONS,
    Move,
    State,
    after_hooks,
    refusal_problems,
    refusals_for,
)
from ontrack.enrollments.models import Enrollment, Transition
from ontrack.enrollments.selectors import enrollment_for_update
from ontrack.enrollments.timeline import add_entry

MAX_REASON = 2000


def _reason(reason: str, *, missing: str) -> str:
    reason = reason.strip()
    if problem := reason_problem(reason, what="a reason", limit=MAX_REASON, missing=missing):
        raise ValidationFailed({"reason": problem})
    return reason


@transaction.atomic
def open_enrollment(*, actor: Any, case_id: int, reason: str, on: dt.date) -> Enrollment:
    """Refer a case to its program: a new enrollment, ``referred``. The case must be visible
    to the actor and placed in a program; a case has at most one open enrollment."""
    ensure_permission(actor, "enrollments.move_enrollment")
    found = Case.objects.filter(pk=case_id).first()
    if found is None:
        raise NotFound
    case = case_for_update(actor, found)
    reason = _reason(reason, missing="say why the case is referred to the program")
    if case.program_id is None:
        raise ValidationFailed({"case": "the case is not placed in a program yet"})
    if Enrollment.objects.filter(case=case).exclude(state__in=[s.value for s in FINAL]).exists():
        raise ValidationFailed({"case": "this case already has an open enrollment"})
    now = timezone.now()
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                case=case, program_id=case.program_id, state=State.REFERRED, state_since=now
            )
    except IntegrityError:  # a concurrent referral won the race for the one open enrollment
        raise ValidationFailed({"case": "this case already has an open enrollment"}) from None
    add_entry(
        enrollment=enrollment,
        kind="transition",
        actor=actor,
        occurred_on=on,
        parameters={"from_state": "", "to_state": State.REFERRED.value, "reason": reason},
        ref=enrollment,
    )
    record_event(
        actor=actor,
        action="enrollment.opened",
        target=enrollment,
        details={"case": case.pk, "program": case.program_id, "on": on, "reason": reason},
    )
    return enrollment


def _phase_after(enrollment: Enrollment, to_state: State, to_phase: int | None) -> int | None:
    """The phase the move leads to: 1 on becoming active after the plea, the next phase on a
    promotion (``active → active``), kept on return from absconding, none otherwise."""
    if to_state != State.ACTIVE:
        if to_phase is not None:
            raise ValidationFailed({"to_phase": "only an active participant has a phase"})
        return None
    if enrollment.state == State.ACTIVE:
        current = enrollment.phase or 1
        if to_phase != current + 1:
            raise ValidationFailed(
                {"to_phase": f"a promotion goes from phase {current} to phase {current + 1}"}
            )
        return to_phase
    if to_phase is not None and enrollment.state == State.PLEA_ENTERED and to_phase != 1:
        raise ValidationFailed({"to_phase": "the first phase after the plea is phase 1"})
    if enrollment.state == State.ABSCONDED:
        last = (
            Transition.objects.filter(enrollment=enrollment, to_state=State.ABSCONDED)
            .order_by("-at", "-pk")
            .values_list("from_phase", flat=True)
            .first()
        )
        return to_phase or last or 1
    return 1


@transaction.atomic
def move_enrollment(
    *,
    actor: Any,
    enrollment_id: int,
    to_state: str,
    reason: str,
    on: dt.date,
    details: dict[str, Any] | None = None,
    to_phase: int | None = None,
    expected_version: int | None = None,
) -> Transition:
    """Move an enrollment to ``to_state`` on ``on`` (the day it takes effect), for ``reason``.

    ``details`` carries what the step records (the plea's court and advisements, the
    termination's reason code...); the guards of the target state read it and it is kept on
    the transition. ``expected_version``: the version the actor saw (a stale page is refused).
    """
    ensure_permission(actor, "enrollments.move_enrollment")
    enrollment = enrollment_for_update(actor=actor, enrollment_id=enrollment_id)
    if expected_version is not None:
        bump_version(enrollment, expected_version)
    try:
        target = State(to_state)
    except ValueError:
        raise ValidationFailed({"to_state": f"{to_state!r} is not a state"}) from None
    current = State(enrollment.state)
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.label.lower() for s in TRANSITIONS[current])) or "nothing"
        raise ValidationFailed(
            {"to_state": f"a {current.label.lower()} enrollment cannot become "
                         f"{target.label.lower()} (it can become: {allowed})"}
        )  # fmt: skip
    reason = _reason(reason, missing="say why")
    if on > timezone.localdate():
        raise ValidationFailed({"on": "the date a move takes effect cannot be in the future"})
    new_phase = _phase_after(enrollment, target, to_phase)
    move = Move(
        actor=actor, to_state=target, reason=reason, on=on, details=dict(details or {}),
        to_phase=new_phase,
    )  # fmt: skip
    if refusals := refusals_for(enrollment, move):
        raise ValidationFailed(refusal_problems(refusals))
    now = timezone.now()
    moved = Transition.objects.create(
        enrollment=enrollment,
        from_state=current,
        to_state=target,
        from_phase=enrollment.phase,
        to_phase=new_phase,
        effective_on=on,
        at=now,
        by=actor,
        reason=reason,
        details={key: jsonable(value) for key, value in move.details.items()},
    )
    enrollment.state = target
    enrollment.phase = new_phase
    enrollment.state_since = now
    fields = ["state", "phase", "state_since"]
    if expected_version is None:
        enrollment.row_version += 1
    enrollment.save(update_fields=[*fields, "row_version"])
    add_entry(
        enrollment=enrollment,
        kind="transition",
        actor=actor,
        occurred_on=on,
        parameters={
            "from_state": current.value,
            "to_state": target.value,
            "from_phase": moved.from_phase,
            "to_phase": new_phase,
            "reason": reason,
        },
        ref=moved,
    )
    record_event(
        actor=actor,
        action="enrollment.moved",
        target=enrollment,
        changes={"state": [current.value, target.value], "phase": [moved.from_phase, new_phase]},
        details={"transition": moved.pk, "on": on, "reason": reason, **move.details},
    )
    for hook in after_hooks(target):
        hook(enrollment, move)
    return moved
