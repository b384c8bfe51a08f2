"""Play synthetic program histories (``synth/histories.py``) through the real services.

Nothing here writes a row itself: every move, event, hearing and note goes through the
service a person would use, as the demo account whose role allows it, so a demo history
obeys the rules a real one must and leaves the audit trail a real one would. What the rules
refuse is a bug in the generator, and the play stops with the service's own message.

Within one participant, steps and events are played in date order; on a day with both, the
step goes first (the trial period begins, then the first service hours count toward it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from ontrack.eligibility.engine import ELIGIBLE
from ontrack.eligibility.selectors import decision_of
from ontrack.eligibility.services import override_screening, screen_case
from ontrack.enrollments.models import Enrollment
from ontrack.enrollments.plea import begin_phase_one, record_plea, required_advisements
from ontrack.enrollments.sealing import graduate, order_sealing
from ontrack.enrollments.services import move_enrollment, open_enrollment
from ontrack.enrollments.steps import offer_place, start_trial_period, terminate_enrollment
from ontrack.plans.services import record_participant_event

POLICY = "back-on-track"  # the policy the demo's screenings use (eligibility/policies)
COURT = "San Francisco Superior Court, Dept. 22"
JUDGE = "Judge M. Alvarez"


@dataclass(frozen=True)
class Cast:
    """The demo accounts the play acts as."""

    case_manager: Any
    supervisor: Any
    administrator: Any


@dataclass
class Played:
    enrollments: int = 0
    steps: int = 0
    events: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


Step = Callable[[Cast, Enrollment, dt.date, str], None]


def _move(to_state: str, reason: str) -> Step:
    def step(cast: Cast, enrollment: Enrollment, on: dt.date, path: str) -> None:
        move_enrollment(actor=cast.case_manager, enrollment_id=enrollment.pk,
                        to_state=to_state, reason=reason, on=on)  # fmt: skip

    return step


def _promote(cast: Cast, enrollment: Enrollment, on: dt.date, path: str) -> None:
    enrollment.refresh_from_db()
    move_enrollment(actor=cast.case_manager, enrollment_id=enrollment.pk, to_state="active",
                    to_phase=(enrollment.phase or 1) + 1, reason="Promotion criteria met",
                    on=on)  # fmt: skip


def _screen(cast: Cast, enrollment: Enrollment, on: dt.date, path: str) -> None:
    """Screen the case against the policy; when the path goes on to an offer and the
    screening does not find the case eligible (synthetic files lack facts), a supervisor
    decides it, with a reason, as the office would after reading the file."""
    case = enrollment.case
    screening = screen_case(actor=cast.case_manager, case=case, policy=POLICY, as_of=on)
    decision = decision_of(actor=cast.supervisor, case=case)
    if path != "ineligible" and (decision is None or decision.result != ELIGIBLE):
        override_screening(
            actor=cast.supervisor, screening=screening, result=ELIGIBLE,
            reason="Demo: eligible on review of the file by the supervisor",
        )  # fmt: skip
    move_enrollment(actor=cast.case_manager, enrollment_id=enrollment.pk, to_state="screened",
                    reason="Screened against the program's criteria", on=on)  # fmt: skip


def _offer(cast: Cast, enrollment: Enrollment, on: dt.date, path: str) -> None:
    offer_place(actor=cast.case_manager, enrollment_id=enrollment.pk, on=on,
                reason="Eligible; a place is offered")  # fmt: skip


def _trial(cast: Cast, enrollment: Enrollment, on: dt.date, path: str) -> None:
    start_trial_period(actor=cast.case_manager, enrollment_id=enrollment.pk, on=on,
                       reason="Accepted; the six-week community-service trial begins")  # fmt: skip


def _plea(cast: Cast, enrollment: Enrollment, on: dt.date, path: str) -> None:
    record_plea(
        actor=cast.case_manager, enrollment_id=enrollment.pk, on=on, court=COURT,
        judge=JUDGE, defense_attorney="Deputy Public Defender R. Okafor",
        advisements={a.code: JUDGE for a in required_advisements()},
    )  # fmt: skip


def _phase_one(cast: Cast, enrollment: Enrollment, on: dt.date, path: str) -> None:
    begin_phase_one(actor=cast.case_manager, enrollment_id=enrollment.pk, on=on,
                    reason="Plea accepted; phase 1 begins")  # fmt: skip


def _terminate(cast: Cast, enrollment: Enrollment, on: dt.date, path: str) -> None:
    terminate_enrollment(actor=cast.case_manager, enrollment_id=enrollment.pk, on=on,
                         reason_code="new_arrest", reason="Terminated after a new arrest",
                         sentencing_date=on + dt.timedelta(days=28))  # fmt: skip


def _graduate(cast: Cast, enrollment: Enrollment, on: dt.date, path: str) -> None:
    request = graduate(actor=cast.case_manager, enrollment_id=enrollment.pk, on=on,
                       dismissal_court=COURT, dismissal_order_date=on,
                       sealing_statute="PC 851.90")  # fmt: skip
    if path == "graduated_sealed":
        order_sealing(actor=cast.supervisor, sealing_id=request.pk, order_date=on)


# step name (histories.py) → how it is played: each through the service its step has.
STEPS: dict[str, Step] = {
    "screened": _screen,
    "waitlisted": _move("waitlisted", "Eligible; the program is full"),
    "offered": _offer,
    "declined": _move("declined", "Declined the offer"),
    "ineligible": _move("ineligible", "Screened ineligible"),
    "trial_period": _trial,
    "plea_entered": _plea,
    "active": _phase_one,
    "promoted": _promote,
    "terminated": _terminate,
    "absconded": _move("absconded", "No contact for thirty days"),
    "withdrawn": _move("withdrawn", "Withdrew by agreement"),
    "graduated": _graduate,
}


def _hours(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _event(cast: Cast, enrollment: Enrollment, row: dict[str, Any]) -> None:
    details = {"class": row["class"]} if row.get("class") else None
    record_participant_event(
        actor=cast.case_manager,
        enrollment_id=enrollment.pk,
        kind=row["kind"],
        occurred_on=row["on"],
        hours=_hours(row.get("hours")),
        verified_by=row.get("verified_by") or "",
        result=row.get("result") or "",
        substance=row.get("substance") or "",
        details=details,
    )


def play_histories(frames: dict[str, pl.DataFrame], cases: Sequence[Any], cast: Cast) -> Played:
    """Play participant ``n`` of ``frames`` on ``cases[n]`` (cases the demo case manager
    holds, in a program). Each participant's history is its own transactions, like the
    office's days: a refusal stops the play at that participant, with what went before kept."""
    played = Played()
    steps = frames["steps"].partition_by("participant", as_dict=True)
    events = frames["events"].partition_by("participant", as_dict=True)
    for (participant,), frame in sorted(steps.items()):
        if participant >= len(cases):
            break
        rows = frame.to_dicts()
        first = rows[0]
        enrollment = open_enrollment(actor=cast.case_manager, case_id=cases[participant].pk,
                                     reason="Referred by the district attorney",
                                     on=first["on"])  # fmt: skip
        played.enrollments += 1
        timeline: list[tuple[dt.date, int, dict[str, Any]]] = [
            (row["on"], 0, row) for row in rows[1:]
        ]
        happened = events.get((participant,))
        if happened is not None:
            timeline += [(row["on"], 1, row) for row in happened.to_dicts()]
        for on, is_event, row in sorted(timeline, key=lambda item: (item[0], item[1])):
            if is_event:
                _event(cast, enrollment, row)
                played.events += 1
            else:
                STEPS[row["step"]](cast, enrollment, on, first["path"])
                played.steps += 1
        enrollment.refresh_from_db()
        played.by_state[enrollment.state] = played.by_state.get(enrollment.state, 0) + 1
    return played
