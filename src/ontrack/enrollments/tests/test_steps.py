"""Screening and the offer, capacity and the waitlist, the trial period, termination."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.enrollments import steps
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.models import Enrollment, Transition
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.enrollments.tests.helpers import DAY, everything, override, screen
from ontrack.programs.models import Program

pytestmark = pytest.mark.django_db


def _screened(actor: Any, result: str = "eligible", capacity: int | None = 2,
              missing: list[str] | None = None) -> Enrollment:  # fmt: skip
    case = CaseFactory(case_manager=actor)
    Program.objects.filter(pk=case.program_id).update(capacity=capacity)
    screen(case, actor, result, missing)
    return EnrollmentFactory(case=case, state=State.SCREENED)


def _refused(call: Any, problems: dict[str, str]) -> None:
    before = everything()
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert refused.value.problems == problems
    assert everything() == before


def _offer(actor: Any, enrollment: Enrollment) -> Transition:
    return steps.offer_place(actor=actor, enrollment_id=enrollment.pk, on=DAY, reason="Offer")


def test_an_eligible_case_is_offered_a_place(case_manager: Any) -> None:
    enrollment = _screened(case_manager)
    moved = _offer(case_manager, enrollment)
    assert (moved.from_state, moved.to_state, moved.details) == ("screened", "offered", {})
    assert Enrollment.objects.get(pk=enrollment.pk).state == "offered"


def test_an_override_counts_and_its_reason_is_recorded(supervisor: Any) -> None:
    enrollment = _screened(supervisor, result="ineligible")
    screening = enrollment.case.screenings.get()
    made = override(screening, supervisor, "eligible", "The prior is over ten years old")
    moved = _offer(supervisor, enrollment)
    assert moved.details == {
        "override": {"id": made.pk, "reason": "The prior is over ten years old"}
    }
    audit = AuditEvent.objects.get(action="enrollment.moved")
    assert audit.details["override"]["reason"] == "The prior is over ten years old"


def test_an_ineligible_decision_refuses_the_offer(case_manager: Any) -> None:
    enrollment = _screened(case_manager, result="ineligible")
    _refused(lambda: _offer(case_manager, enrollment),
             {"eligibility": "the decision in force for the case is ineligible"})  # fmt: skip


def test_needs_information_names_the_missing_facts(case_manager: Any) -> None:
    enrollment = _screened(case_manager, result="needs_information",
                           missing=["prior_violent_felony", "work_authorization"])  # fmt: skip
    _refused(lambda: _offer(case_manager, enrollment), {
        "eligibility": "the screening needs information first: prior_violent_felony, "
                       "work_authorization"})  # fmt: skip


def test_a_case_never_screened_is_not_offered(case_manager: Any) -> None:
    case = CaseFactory(case_manager=case_manager)
    Program.objects.filter(pk=case.program_id).update(capacity=5)
    enrollment = EnrollmentFactory(case=case, state=State.SCREENED)
    _refused(lambda: _offer(case_manager, enrollment),
             {"eligibility": "the case has not been screened yet"})  # fmt: skip


def test_unknown_capacity_refuses_the_offer(case_manager: Any) -> None:
    enrollment = _screened(case_manager, capacity=None)
    _refused(lambda: _offer(case_manager, enrollment),
             {"capacity": "set the number of places of Back On Track first"})  # fmt: skip


def test_the_guard_holds_for_a_direct_move_too(case_manager: Any) -> None:
    from ontrack.enrollments.services import move_enrollment

    enrollment = _screened(case_manager, capacity=None)
    _refused(lambda: move_enrollment(actor=case_manager, enrollment_id=enrollment.pk,
                                     to_state="offered", reason="R", on=DAY),
             {"capacity": "set the number of places of Back On Track first"})  # fmt: skip


def test_a_full_program_puts_the_offer_on_the_waitlist_in_order(case_manager: Any) -> None:
    first = _screened(case_manager, capacity=1)
    _offer(case_manager, first)
    second, third = _screened(case_manager, capacity=1), _screened(case_manager, capacity=1)
    assert _offer(case_manager, third).to_state == "waitlisted"
    assert _offer(case_manager, second).to_state == "waitlisted"
    assert [e.pk for e in steps.waitlist(first.program_id)] == [third.pk, second.pk]
    # Still full: a waitlisted case is not offered, and stays where it is.
    _refused(lambda: _offer(case_manager, second),
             {"capacity": "all 1 places of Back On Track are held"})  # fmt: skip
    # The place frees: the first on the waitlist is offered it.
    Enrollment.objects.filter(pk=first.pk).update(state=State.WITHDRAWN)
    moved = steps.offer_next_from_waitlist(actor=case_manager, program_id=first.program_id,
                                           on=DAY, reason="A place freed")  # fmt: skip
    assert (moved.enrollment_id, moved.from_state, moved.to_state) == (
        third.pk, "waitlisted", "offered")  # fmt: skip
    assert [e.pk for e in steps.waitlist(first.program_id)] == [second.pk]


def test_nobody_waiting_is_refused(case_manager: Any) -> None:
    enrollment = _screened(case_manager)
    _refused(lambda: steps.offer_next_from_waitlist(
        actor=case_manager, program_id=enrollment.program_id, on=DAY, reason="R"),
        {"waitlist": "nobody is waiting for a place in Back On Track"})  # fmt: skip
    with pytest.raises(NotFound):
        steps.offer_next_from_waitlist(actor=case_manager, program_id=enrollment.program_id + 99,
                                       on=DAY, reason="R")  # fmt: skip


def test_termination_returns_the_case_to_the_regular_calendar(case_manager: Any) -> None:
    case = CaseFactory(case_manager=case_manager, status="diverted")
    enrollment = EnrollmentFactory(case=case, state=State.ACTIVE)
    moved = steps.terminate_enrollment(
        actor=case_manager, enrollment_id=enrollment.pk, on=DAY, reason_code="new_arrest",
        reason="Arrested on 2025-06-28", sentencing_date=dt.date(2025, 8, 14),
    )  # fmt: skip
    assert (moved.to_state, moved.details) == (
        "terminated", {"reason_code": "new_arrest", "sentencing_date": "2025-08-14"})  # fmt: skip
    saved = Case.objects.get(pk=case.pk)
    assert (saved.status, saved.sentencing_date) == ("open", dt.date(2025, 8, 14))
    audit = AuditEvent.objects.get(action="case.sentencing_date_set")
    assert audit.changes == {
        "sentencing_date": [None, "2025-08-14"],
        "status": ["diverted", "open"],
    }


def test_termination_refusals_change_nothing(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager, status="diverted"))
    codes = "new_arrest, noncompliance, absconded, voluntary, other"
    _refused(lambda: steps.terminate_enrollment(
        actor=case_manager, enrollment_id=enrollment.pk, on=DAY, reason_code="bored",
        reason="R", sentencing_date=None), {"reason_code": f"choose one of: {codes}"})  # fmt: skip
    _refused(lambda: steps.terminate_enrollment(
        actor=case_manager, enrollment_id=enrollment.pk, on=DAY, reason_code="other",
        reason="R", sentencing_date=dt.date(2025, 6, 1)),
        {"sentencing_date": "sentencing cannot be before the termination"})  # fmt: skip
    referred = EnrollmentFactory(case=CaseFactory(case_manager=case_manager), state="referred")
    _refused(lambda: steps.terminate_enrollment(
        actor=case_manager, enrollment_id=referred.pk, on=DAY, reason_code="other",
        reason="R", sentencing_date=None),
        {"to_state": "a referred enrollment cannot become terminated (it can become: "
                     "ineligible, screened, withdrawn)"})  # fmt: skip
