"""Play synthetic program histories (``synth/histories.py``) through the real services.

Nothing here writes a row itself: every move, event, hearing and note goes through the
service a person would use, as the demo account whose role allows it, so a demo history
obeys the rules a real one must and leaves the audit trail a real one would. What the rules
refuse is a bug in the generator, and the play stops with the service's own message.

Within one participant, steps and events are played in date order (one transaction per
participant); on a day with both, the
step goes first (the trial period begins, then the first service hours count toward it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from ontrack.common.errors import ValidationFailed
from ontrack.eligibility.engine import ELIGIBLE
from ontrack.eligibility.selectors import decision_of
from ontrack.eligibility.services import override_screening, screen_case
from ontrack.enrollments.lifecycle import PARTICIPATING
from ontrack.enrollments.models import Enrollment
from ontrack.enrollments.plea import begin_phase_one, record_plea, required_advisements
from ontrack.enrollments.sealing import graduate, order_sealing
from ontrack.enrollments.services import move_enrollment, open_enrollment
from ontrack.enrollments.steps import offer_place, start_trial_period, terminate_enrollment
from ontrack.hearings.services import schedule_hearing
from ontrack.notes.services import add_note
from ontrack.plans.plan_services import publish_plan_template
from ontrack.plans.services import record_participant_event
from ontrack.programs.services import set_capacity

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
    hearings: int = 0
    notes: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)

    def add(self, other: Played) -> None:
        self.enrollments += other.enrollments
        self.steps += other.steps
        self.events += other.events
        self.hearings += other.hearings
        self.notes += other.notes
        for state, n in other.by_state.items():
            self.by_state[state] = self.by_state.get(state, 0) + n


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


# The demo program's plan (published by ``prepare_program``): the requirements the synthetic
# histories are shaped to meet. Progress hearings are on the calendar (the ones still to
# come are scheduled) but not a requirement here: the play records no past hearings, because
# a hearing is only ever scheduled ahead (hearings/services.py).
DEMO_TEMPLATE: list[dict[str, Any]] = [
    {"kind": "employment_or_school", "label": "Work or school, verified",
     "parameters": {"hours_per_week": 12, "verified_by_required": True}},
    {"kind": "community_service", "label": "220 hours of community service",
     "parameters": {"total_hours": 220}},
    {"kind": "class", "label": "Parenting class",
     "parameters": {"class_name": "parenting", "sessions_required": 1}},
    {"kind": "contacts", "label": "Contacts with the case manager", "parameters": {"per_week": 1}},
    {"kind": "drug_tests", "label": "Drug tests",
     "parameters": {"per_week_by_phase": {"1": 2, "2": 1, "3": 1},
                    "missed_counts_as": "positive", "dilute_counts_as": "positive"}},
    {"kind": "phases", "label": "Three phases",
     "parameters": {"count": 3, "promotion": {"1": {"min_days": 90}, "2": {"min_days": 90}}}},
]  # fmt: skip
CLASS_NAMES = {"Parenting class": "parenting", "GED preparation": "GED", "Counseling": "counseling"}


def prepare_program(program: Any, cast: Cast, places: int) -> None:
    """The demo program's places and plan template, set as its administrator would."""
    set_capacity(actor=cast.administrator, slug=program.slug, capacity=places)
    publish_plan_template(actor=cast.administrator, program_id=program.pk,
                          requirements=DEMO_TEMPLATE, reason="Demo program plan")  # fmt: skip


def _hours(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _event(cast: Cast, enrollment: Enrollment, row: dict[str, Any]) -> None:
    details = {"class_name": CLASS_NAMES[row["class"]]} if row.get("class") else None
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


def _ahead(cast: Cast, enrollment: Enrollment, rows: list[dict[str, Any]]) -> int:
    """Schedule the hearings still to come (the calendar runs four weeks ahead)."""
    now = timezone.now()
    count = 0
    for row in rows:
        starts = timezone.make_aware(dt.datetime.combine(row["on"], dt.time(row["hour"])))
        if row["outcome"] or starts <= now:
            continue
        schedule_hearing(actor=cast.case_manager, enrollment_id=enrollment.pk,
                         starts_at=starts, court=COURT, department="22")  # fmt: skip
        count += 1
    return count


def _play_one(cast: Cast, case: Any, rows: list[dict[str, Any]], events: list[dict[str, Any]],
              hearings: list[dict[str, Any]], notes: list[dict[str, Any]],
              played: Played) -> None:  # fmt: skip
    path = rows[0]["path"]
    enrollment = open_enrollment(actor=cast.case_manager, case_id=case.pk,
                                 reason="Referred by the district attorney",
                                 on=rows[0]["on"])  # fmt: skip
    played.enrollments += 1
    # On one day: the day's notes, then the step, then the events (a note written on the day
    # of graduation is written before the sealing order hides the case).
    timeline = (
        [(row["on"], 0, row) for row in notes]
        + [(row["on"], 1, row) for row in rows[1:]]
        + [(row["on"], 2, row) for row in events]
    )
    for on, order, row in sorted(timeline, key=lambda item: (item[0], item[1])):
        if order == 0:
            add_note(actor=cast.case_manager, enrollment_id=enrollment.pk, body=row["text"])
            played.notes += 1
        elif order == 1:
            STEPS[row["step"]](cast, enrollment, on, path)
            played.steps += 1
        else:
            _event(cast, enrollment, row)
            played.events += 1
    enrollment.refresh_from_db()
    if enrollment.state in PARTICIPATING:
        played.hearings += _ahead(cast, enrollment, hearings)
    played.by_state[enrollment.state] = played.by_state.get(enrollment.state, 0) + 1


def play_histories(frames: dict[str, pl.DataFrame], cases: Sequence[Any], cast: Cast) -> Played:
    """Play participant ``n`` of ``frames`` on ``cases[n]`` (cases the demo case manager
    holds, in a program prepared by ``prepare_program``). Each participant's history is its
    own transaction: a participant the rules stop (a generator's history that does not meet
    a guard) is left out whole and reported with the service's own words, never forced."""
    played = Played()
    parts = {name: frames[name].partition_by("participant", as_dict=True)
             for name in ("steps", "events", "hearings", "notes")}  # fmt: skip

    def rows_of(name: str, participant: int) -> list[dict[str, Any]]:
        found = parts[name].get((participant,))
        return [] if found is None else found.to_dicts()

    for (participant,), _frame in sorted(parts["steps"].items()):
        if participant >= len(cases):
            break
        attempt = Played()
        try:
            with transaction.atomic():
                _play_one(cast, cases[participant], rows_of("steps", participant),
                          rows_of("events", participant), rows_of("hearings", participant),
                          rows_of("notes", participant), attempt)  # fmt: skip
        except ValidationFailed as refused:
            played.refused.append(
                f"participant {participant} ({rows_of('steps', participant)[0]['path']}): {refused}"
            )
            continue
        played.add(attempt)
    return played
