"""One way in for a move asked for by a page or the API: the target state picks the step
service (the offer, the plea, termination, graduation...), and every other move goes to the
engine itself. The step fields come as text (a form's or a request body's) and are read here
once, so the page and the API refuse the same things in the same words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ontrack.common.errors import ValidationFailed
from ontrack.enrollments import plea, sealing, steps
from ontrack.enrollments.lifecycle import TRANSITIONS, State
from ontrack.enrollments.services import move_enrollment

# to_state → the step's own fields (besides on and reason), in the order the form shows them.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    State.PLEA_ENTERED: ("court", "judge", "defense_attorney", "interpreter", "language"),
    State.TERMINATED: ("reason_code", "sentencing_date"),
    State.GRADUATED: ("dismissal_court", "dismissal_order_date", "sealing_statute"),
}


def allowed_moves(state: str) -> list[State]:
    return sorted(TRANSITIONS[State(state)], key=lambda s: list(State).index(s))


def _date(data: Mapping[str, Any], field: str, problems: dict[str, str]) -> dt.date | None:
    raw = data.get(field)
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        problems[field] = "give the date as YYYY-MM-DD"
        return None


def _text(data: Mapping[str, Any], field: str) -> str:
    value = data.get(field)
    return "" if value is None else str(value)


def perform_move(*, actor: Any, enrollment_id: int, to_state: str, data: Mapping[str, Any]) -> Any:
    """Make the move ``to_state`` with ``data`` (``on``, ``reason`` and the step's fields;
    advisements as ``advisement_<code>`` = who gave it, or an ``advisements`` mapping)."""
    problems: dict[str, str] = {}
    on = _date(data, "on", problems)
    if on is None and "on" not in problems:
        problems["on"] = "say on which day the move takes effect"
    reason = _text(data, "reason")
    if problems:
        raise ValidationFailed(problems)
    assert on is not None
    common = {"actor": actor, "enrollment_id": enrollment_id, "on": on}
    if to_state == State.OFFERED:
        return steps.offer_place(**common, reason=reason)
    if to_state == State.TRIAL_PERIOD:
        return steps.start_trial_period(**common, reason=reason)
    if to_state == State.PLEA_ENTERED:
        given = data.get("advisements")
        advisements = (
            {str(k): str(v) for k, v in given.items()}
            if isinstance(given, Mapping)
            else {a.code: _text(data, f"advisement_{a.code}") for a in plea.required_advisements()}
        )
        return plea.record_plea(
            **common, reason=reason or "Guilty plea entered, sentencing deferred",
            court=_text(data, "court"), judge=_text(data, "judge"),
            defense_attorney=_text(data, "defense_attorney"),
            interpreter=_text(data, "interpreter"), language=_text(data, "language"),
            advisements=advisements,
        )  # fmt: skip
    if to_state == State.TERMINATED:
        sentencing = _date(data, "sentencing_date", problems)
        if problems:
            raise ValidationFailed(problems)
        return steps.terminate_enrollment(
            **common, reason=reason, reason_code=_text(data, "reason_code"),
            sentencing_date=sentencing,
        )  # fmt: skip
    if to_state == State.GRADUATED:
        ordered = _date(data, "dismissal_order_date", problems)
        if ordered is None and not problems:
            problems["dismissal_order_date"] = "say when the charges were dismissed"
        if problems:
            raise ValidationFailed(problems)
        assert ordered is not None
        return sealing.graduate(
            **common, reason=reason or "Completed the program",
            dismissal_court=_text(data, "dismissal_court"), dismissal_order_date=ordered,
            sealing_statute=_text(data, "sealing_statute"),
        )  # fmt: skip
    phase = _text(data, "to_phase")
    try:
        to_phase = int(phase) if phase else None
    except (TypeError, ValueError):
        raise ValidationFailed({"to_phase": "the phase is a number"}) from None
    return move_enrollment(**common, to_state=to_state, reason=reason, to_phase=to_phase)
