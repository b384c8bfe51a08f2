"""The plea and its advisements; graduation, dismissal, sealing ordered or denied."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import Forbidden
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.models import Dismissal, Enrollment, SealingRequest, TimelineEntry
from ontrack.enrollments.plea import begin_phase_one, record_plea, required_advisements
from ontrack.enrollments.sealing import deny_sealing, graduate, order_sealing
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.enrollments.tests.helpers import DAY, everything

pytestmark = pytest.mark.django_db
ALL_GIVEN = {
    "immigration_consequences": "Judge Ortiz",
    "self_incrimination": "Judge Ortiz",
    "confrontation": "Judge Ortiz",
    "jury_trial": "Judge Ortiz",
    "program_terms": "Judge Ortiz",
}


def _refused(call: Any, problems: dict[str, str]) -> None:
    before = everything()
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert refused.value.problems == problems
    assert everything() == before


def _plea(actor: Any, enrollment: Enrollment, **changes: Any) -> Any:
    args: dict[str, Any] = {
        "court": "SF Superior Court, Dept. 12", "judge": "Ortiz",
        "defense_attorney": "Public Defender Lee", "interpreter": "", "language": "",
        "advisements": ALL_GIVEN,
    } | changes  # fmt: skip
    return record_plea(actor=actor, enrollment_id=enrollment.pk, on=DAY, **args)


def test_the_advisements_are_the_programs_data() -> None:
    assert [(a.code, a.citation.split(";")[0]) for a in required_advisements()] == [
        ("immigration_consequences", "PC 1016.5"),
        ("self_incrimination", "Boykin v. Alabama (1969) 395 U.S. 238"),
        ("confrontation", "Boykin v. Alabama (1969) 395 U.S. 238"),
        ("jury_trial", "Boykin v. Alabama (1969) 395 U.S. 238"),
        ("program_terms", "PC 1000.8-1000.10"),
    ]


def test_a_plea_records_the_court_and_every_advisement(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager),
                                   state=State.TRIAL_PERIOD)  # fmt: skip
    moved = _plea(case_manager, enrollment, interpreter="R. Chan", language="Cantonese")
    assert (moved.from_state, moved.to_state) == ("trial_period", "plea_entered")
    assert moved.details == {
        "court": "SF Superior Court, Dept. 12", "judge": "Ortiz",
        "defense_attorney": "Public Defender Lee", "interpreter": "R. Chan",
        "language": "Cantonese", "advisements": ALL_GIVEN,
    }  # fmt: skip
    active = begin_phase_one(actor=case_manager, enrollment_id=enrollment.pk, on=DAY,
                             reason="Plea accepted")  # fmt: skip
    assert (active.to_state, active.to_phase) == ("active", 1)


def test_a_missing_advisement_is_named_and_nothing_changes(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager),
                                   state=State.TRIAL_PERIOD)  # fmt: skip
    partial = {k: v for k, v in ALL_GIVEN.items() if k not in ("immigration_consequences",
                                                                "jury_trial")}  # fmt: skip
    _refused(lambda: _plea(case_manager, enrollment, advisements=partial | {"jury_trial": " "}), {
        "advisements": "the plea needs these advisements first: Immigration consequences "
                       "(deportation, exclusion, denial of naturalization); Waiver of the "
                       "right to a jury trial"})  # fmt: skip


def test_interpreter_and_language_go_together(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager),
                                   state=State.TRIAL_PERIOD)  # fmt: skip
    _refused(lambda: _plea(case_manager, enrollment, interpreter="R. Chan"),
             {"language": "an interpreter interprets a language: say which"})  # fmt: skip
    _refused(lambda: _plea(case_manager, enrollment, language="Spanish", judge=""),
             {"interpreter": "say who interpreted into that language",
              "judge": "say which judge took the plea"})  # fmt: skip


def test_a_plea_only_after_the_trial_period(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager),
                                   state=State.OFFERED)  # fmt: skip
    _refused(lambda: _plea(case_manager, enrollment), {
        "to_state": "a offered enrollment cannot become plea entered (it can become: "
                    "declined the offer, trial period, withdrawn)"})  # fmt: skip


def _graduate(actor: Any, enrollment: Enrollment, **changes: Any) -> SealingRequest:
    args: dict[str, Any] = {
        "dismissal_court": "SF Superior Court, Dept. 12",
        "dismissal_order_date": dt.date(2025, 6, 30), "sealing_statute": "PC 851.90",
    } | changes  # fmt: skip
    return graduate(actor=actor, enrollment_id=enrollment.pk, on=DAY, **args)


def test_graduation_dismisses_and_requests_sealing(supervisor: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=supervisor))
    sealing = _graduate(supervisor, enrollment)
    assert Enrollment.objects.get(pk=enrollment.pk).state == "graduated"
    dismissal = Dismissal.objects.get(enrollment=enrollment)
    assert (dismissal.court, dismissal.order_date) == ("SF Superior Court, Dept. 12",
                                                       dt.date(2025, 6, 30))  # fmt: skip
    assert (sealing.statute, sealing.status, sealing.requested_on, sealing.order_date) == (
        "PC 851.90", "requested", DAY, None)  # fmt: skip
    audit = AuditEvent.objects.get(action="enrollment.moved")
    assert (audit.details["dismissal"], audit.details["sealing_request"]) == (
        dismissal.pk, sealing.pk)  # fmt: skip


def test_graduation_refusals_change_nothing(supervisor: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=supervisor))
    _refused(lambda: _graduate(supervisor, enrollment, sealing_statute="PC 17(b)",
                               dismissal_court=" "), {
        "sealing_statute": "choose one of: PC 851.90, PC 1000.4",
        "dismissal_court": "say which court dismissed the charges"})  # fmt: skip
    trial = EnrollmentFactory(case=CaseFactory(case_manager=supervisor), state="trial_period")
    _refused(lambda: _graduate(supervisor, trial),
             {"to_state": "only an active participant graduates"})  # fmt: skip


def test_an_order_seals_the_case(supervisor: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=supervisor))
    sealing = _graduate(supervisor, enrollment)
    order_sealing(actor=supervisor, sealing_id=sealing.pk, order_date=DAY,
                  reason="Order of Dept. 12")  # fmt: skip
    sealing.refresh_from_db()
    assert (sealing.status, sealing.order_date) == ("ordered", DAY)
    assert Case.objects.get(pk=enrollment.case_id).restriction == "sealed"
    entry = TimelineEntry.objects.get(enrollment=enrollment, kind="sealing_ordered")
    assert (entry.occurred_on, entry.parameters) == (
        DAY, {"statute": "PC 851.90", "reason": "Order of Dept. 12"})  # fmt: skip
    assert list(AuditEvent.objects.filter(action__in=["sealing.ordered", "case.restriction_set"])
                .order_by("pk").values_list("action", flat=True)) == [
        "sealing.ordered", "case.restriction_set"]  # fmt: skip
    # Already decided, and now sealed: without a stated purpose it is not even visible.
    with pytest.raises(NotFound):
        deny_sealing(actor=supervisor, sealing_id=sealing.pk, order_date=DAY, reason="R")


def test_a_denial_is_recorded_and_the_case_stays(supervisor: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=supervisor))
    sealing = _graduate(supervisor, enrollment)
    deny_sealing(actor=supervisor, sealing_id=sealing.pk, order_date=DAY, reason="Denied")
    assert SealingRequest.objects.get(pk=sealing.pk).status == "denied"
    assert Case.objects.get(pk=enrollment.case_id).restriction == ""
    _refused(lambda: order_sealing(actor=supervisor, sealing_id=sealing.pk, order_date=DAY),
             {"status": "this request was already denied"})  # fmt: skip


def test_an_order_before_the_request_is_refused(supervisor: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=supervisor))
    sealing = _graduate(supervisor, enrollment)
    _refused(lambda: order_sealing(actor=supervisor, sealing_id=sealing.pk,
                                   order_date=dt.date(2025, 6, 1)),
             {"order_date": "the order cannot be dated before the request"})  # fmt: skip


def test_a_case_manager_cannot_decide_a_sealing(case_manager: Any, supervisor: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    sealing = _graduate(case_manager, enrollment)
    before = everything()
    with pytest.raises(Forbidden):
        order_sealing(actor=case_manager, sealing_id=sealing.pk, order_date=DAY)
    assert everything() == before
