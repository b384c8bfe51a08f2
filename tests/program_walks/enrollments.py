"""The enrollments app in the program walk. Each app of the program at work has a module
like this one (``tests/program_walks/<app>.py``) declaring:

- ``SELECTORS``: selector path → walk(world) asserting hidden records are absent;
- ``NOT_ABOUT_RECORDS``: selector path → why it reads no record;
- ``PAGES``: URL name → ids(world) returning (hidden kwargs, missing kwargs, POST body or None);
- ``SERVICES``: service path → call(world) making the write against a hidden record;
- ``SERVICE_MODULES``: the modules whose public services taking ``enrollment_id`` (or any of
  ``RECORD_ARGS``) must all be in ``SERVICES``;
- ``state()``: what must not change when a refusal happens (compared before and after).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ontrack.cases.visibility import sees_every_program
from ontrack.common.errors import NotFound
from ontrack.enrollments import moves, plea, sealing, selectors, services, steps
from ontrack.enrollments.models import (
    Dismissal,
    Enrollment,
    SealingRequest,
    TimelineEntry,
    Transition,
)
from ontrack.enrollments.tests.factories import EnrollmentFactory
from tests.program_walks.world import ProgramWorld


def _walk_visible(w: ProgramWorld) -> None:
    assert [e.pk for e in selectors.visible_enrollments(actor=w.actor)] == [w.visible.pk]


def _not_found(call: Callable[[int], Any], w: ProgramWorld) -> None:
    for pk in (w.hidden.pk, w.missing):
        try:
            call(pk)
        except NotFound:
            continue
        raise AssertionError(f"{call} returned enrollment {pk}")


def _walk_get(w: ProgramWorld) -> None:
    assert selectors.get_enrollment(actor=w.actor, enrollment_id=w.visible.pk) == w.visible
    _not_found(lambda pk: selectors.get_enrollment(actor=w.actor, enrollment_id=pk), w)


def _walk_for_update(w: ProgramWorld) -> None:
    from django.db import transaction

    with transaction.atomic():
        assert selectors.enrollment_for_update(actor=w.actor, enrollment_id=w.visible.pk)
        _not_found(lambda pk: selectors.enrollment_for_update(actor=w.actor, enrollment_id=pk), w)


def _walk_timeline(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        TimelineEntry.objects.create(
            enrollment=enrollment, occurred_on=enrollment.state_since.date(),
            at=enrollment.state_since, kind="transition",
        )  # fmt: skip
    assert len(selectors.timeline(actor=w.actor, enrollment_id=w.visible.pk)) == 1
    assert list(selectors.timeline(actor=w.actor, enrollment_id=w.hidden.pk)) == []


def _walk_programs(w: ProgramWorld) -> None:
    # Programs are not case records, but the program view is only for those who work in one
    # (or see every program): the walk's actor works in the walk program.
    assert [p.slug for p in selectors.visible_programs(actor=w.actor)] == ["walk-program"]
    program = w.visible.program
    assert selectors.get_program(actor=w.actor, program_id=program.pk) == program


def _walk_census(w: ProgramWorld) -> None:
    # Both enrollments are active in phase 1 in the same program: only the visible one counts.
    assert w.visible.program_id == w.hidden.program_id
    found = selectors.census(actor=w.actor, program_id=w.visible.program_id)
    assert found == [{"state": "Active", "phase": 1, "count": 1}]


def _walk_waitlist(w: ProgramWorld) -> None:
    Enrollment.objects.filter(pk__in=[w.visible.pk, w.hidden.pk]).update(state="waitlisted")
    found = selectors.program_waitlist(actor=w.actor, program_id=w.visible.program_id)
    assert [(position, e.pk) for position, e in found] == [
        (sorted([w.visible.pk, w.hidden.pk]).index(w.visible.pk) + 1, w.visible.pk)
    ]


SELECTORS: dict[str, Callable[[ProgramWorld], None]] = {
    "ontrack.enrollments.selectors.visible_enrollments": _walk_visible,
    "ontrack.enrollments.selectors.get_enrollment": _walk_get,
    "ontrack.enrollments.selectors.enrollment_for_update": _walk_for_update,
    "ontrack.enrollments.selectors.timeline": _walk_timeline,
    "ontrack.enrollments.selectors.visible_programs": _walk_programs,
    "ontrack.enrollments.selectors.get_program": _walk_programs,
    "ontrack.enrollments.selectors.census": _walk_census,
    "ontrack.enrollments.selectors.program_waitlist": _walk_waitlist,
}
NOT_ABOUT_RECORDS: dict[str, str] = {}


def _participant_page(w: ProgramWorld) -> tuple[dict[str, int], dict[str, int], None]:
    return {"enrollment_id": w.hidden.pk}, {"enrollment_id": w.missing}, None


def _program_page(w: ProgramWorld) -> tuple[dict[str, int], dict[str, int], None]:
    from ontrack.programs.models import Program

    other = Program.objects.create(slug="walk-other", name="Walk Other")
    if sees_every_program(w.actor):  # the sealed scenario's supervisor: no program is hidden
        return {"program_id": other.pk + 1001}, {"program_id": other.pk + 1000}, None
    return {"program_id": other.pk}, {"program_id": other.pk + 1000}, None


PAGES: dict[str, Callable[[ProgramWorld], tuple[dict[str, int], dict[str, int], Any]]] = {
    "participants:participant": _participant_page,
    "participants:program": _program_page,
    "enrollments:move": lambda w: (
        {"enrollment_id": w.hidden.pk},
        {"enrollment_id": w.missing},
        {"to_state": "withdrawn", "on": "2025-07-01", "reason": "walk"},
    ),
}
DAY = dt.date(2025, 7, 1)


def _hidden_sealing(w: ProgramWorld) -> int:
    """A sealing request on the hidden enrollment (made before the call, so before ``state``)."""
    return SealingRequest.objects.create(enrollment=w.hidden, statute="PC 851.90",
                                         requested_on=DAY).pk  # fmt: skip


SERVICES: dict[str, Callable[[ProgramWorld], Callable[[], Any]]] = {
    "ontrack.enrollments.services.open_enrollment": lambda w: lambda: services.open_enrollment(
        actor=w.actor, case_id=w.base.hidden_case.pk, reason="walk", on=dt.date(2025, 7, 1)
    ),
    "ontrack.enrollments.services.move_enrollment": lambda w: lambda: services.move_enrollment(
        actor=w.actor, enrollment_id=w.hidden.pk, to_state="withdrawn", reason="walk",
        on=dt.date(2025, 7, 1),
    ),
    "ontrack.enrollments.steps.offer_place": lambda w: lambda: steps.offer_place(
        actor=w.actor, enrollment_id=w.hidden.pk, on=DAY, reason="walk"),
    "ontrack.enrollments.steps.start_trial_period": lambda w: lambda: steps.start_trial_period(
        actor=w.actor, enrollment_id=w.hidden.pk, on=DAY, reason="walk"),
    "ontrack.enrollments.steps.terminate_enrollment":
        lambda w: lambda: steps.terminate_enrollment(
            actor=w.actor, enrollment_id=w.hidden.pk, on=DAY, reason_code="other",
            reason="walk", sentencing_date=None),
    "ontrack.enrollments.moves.perform_move": lambda w: lambda: moves.perform_move(
        actor=w.actor, enrollment_id=w.hidden.pk, to_state="withdrawn",
        data={"on": "2025-07-01", "reason": "walk"}),
    "ontrack.enrollments.plea.record_plea": lambda w: lambda: plea.record_plea(
        actor=w.actor, enrollment_id=w.hidden.pk, on=DAY, court="C", judge="J",
        defense_attorney="D", advisements={a.code: "J" for a in plea.required_advisements()}),
    "ontrack.enrollments.plea.begin_phase_one": lambda w: lambda: plea.begin_phase_one(
        actor=w.actor, enrollment_id=w.hidden.pk, on=DAY, reason="walk"),
    "ontrack.enrollments.sealing.graduate": lambda w: lambda: sealing.graduate(
        actor=w.actor, enrollment_id=w.hidden.pk, on=DAY, dismissal_court="C",
        dismissal_order_date=DAY, sealing_statute="PC 851.90"),
    "ontrack.enrollments.sealing.order_sealing": lambda w: (lambda pk: lambda: (
        sealing.order_sealing(actor=w.actor, sealing_id=pk, order_date=DAY)))(_hidden_sealing(w)),
    "ontrack.enrollments.sealing.deny_sealing": lambda w: (lambda pk: lambda: (
        sealing.deny_sealing(actor=w.actor, sealing_id=pk, order_date=DAY, reason="walk")))(
            _hidden_sealing(w)),
}  # fmt: skip
SERVICE_MODULES: list[Any] = [services, steps, plea, sealing, moves]
# A case manager may not decide a sealing at all (Forbidden before any lookup): the walk asks
# the supervisor of the sealed scenario, who holds the permission and still may not see it.
NEEDS_SUPERVISOR = {
    "ontrack.enrollments.sealing.order_sealing",
    "ontrack.enrollments.sealing.deny_sealing",
}


def samples(records: dict[str, Any], case: Any) -> dict[str, Any]:
    """One enrollment (on the sample case) and its program, for tests that open every page."""
    from ontrack.cases.tests.factories import program_with

    program = program_with(slug="sample-program")
    type(case).objects.filter(pk=case.pk).update(program=program)
    case.refresh_from_db()
    enrollment = EnrollmentFactory(case=case, program=program)
    return {"enrollment_id": enrollment.pk, "program_id": program.pk, "enrollment": enrollment}


def state() -> tuple[Any, ...]:
    return (
        list(Enrollment.objects.order_by("pk").values_list("row_version", "state", "phase")),
        Transition.objects.count(),
        TimelineEntry.objects.count(),
        list(SealingRequest.objects.order_by("pk").values_list("status", "order_date")),
        Dismissal.objects.count(),
    )


def _api(suffix: str, calls: list[tuple[str, Any]]) -> Callable[[ProgramWorld], Any]:
    return lambda w: (f"enrollments/{w.hidden.pk}{suffix}", f"enrollments/{w.missing}{suffix}",
                      calls)  # fmt: skip


API_CALLS: dict[str, Callable[[ProgramWorld], Any]] = {
    "api:enrollment": _api("", [("get", None)]),
    "api:enrollment_transitions": _api("/transitions", [("get", None)]),
    "api:enrollment_moves": _api(
        "/moves", [("post", {"to_state": "withdrawn", "on": "2025-07-01", "reason": "walk"})]
    ),
}
