"""The lifecycle's steps with the plans app's hook and guards in force: the trial period
begins with the program's plan copied; graduation, dismissal and sealing (issue 10, part 6):
graduation needs the plan complete and a verified job or full-time school
(``plans/guards.py``), so each graduate here is given a complete plan first
(``plans.tests.factories.complete_plan``). Top-level: enrollments' own tests cannot import
the plans app above them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import Forbidden
from ontrack.enrollments import steps
from ontrack.enrollments.models import Dismissal, Enrollment, SealingRequest, TimelineEntry
from ontrack.enrollments.sealing import deny_sealing, graduate, order_sealing
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.enrollments.tests.helpers import DAY, everything
from ontrack.plans.models import Requirement
from ontrack.plans.plan_services import publish_plan_template
from ontrack.plans.tests.factories import complete_plan
from ontrack.programs.models import Program

pytestmark = pytest.mark.django_db
NO_PLAN = "the participant has no plan: there is nothing to show it is complete"


def _refused(call: Any, problems: dict[str, str]) -> None:
    before = everything()
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert refused.value.problems == problems
    assert everything() == before


def _graduate(actor: Any, enrollment: Enrollment, **changes: Any) -> SealingRequest:
    if not enrollment.requirements.exists():
        complete_plan(enrollment, actor, on=DAY)
    args: dict[str, Any] = {
        "dismissal_court": "SF Superior Court, Dept. 12",
        "dismissal_order_date": dt.date(2025, 6, 30), "sealing_statute": "PC 851.90",
    } | changes  # fmt: skip
    return graduate(actor=actor, enrollment_id=enrollment.pk, on=DAY, **args)


def test_graduation_is_refused_while_the_plan_is_incomplete(supervisor: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=supervisor))
    _refused(lambda: graduate(actor=supervisor, enrollment_id=enrollment.pk, on=DAY,
                              dismissal_court="SF Superior Court, Dept. 12",
                              dismissal_order_date=DAY, sealing_statute="PC 851.90"),
             {"plan": NO_PLAN})  # fmt: skip


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


def test_the_trial_period_follows_the_offer_with_the_plan(
    case_manager: Any, administrator: Any
) -> None:
    from ontrack.enrollments.tests.helpers import screen

    case = CaseFactory(case_manager=case_manager)
    Program.objects.filter(pk=case.program_id).update(capacity=2)
    screen(case, case_manager, "eligible")
    enrollment = EnrollmentFactory(case=case, state="screened")
    steps.offer_place(actor=case_manager, enrollment_id=enrollment.pk, on=DAY, reason="Offer")
    publish_plan_template(actor=administrator, program_id=case.program_id, reason="v1",
                          requirements=[{"kind": "contacts", "label": "Contacts",
                                         "parameters": {"per_week": 3}}])  # fmt: skip
    moved = steps.start_trial_period(actor=case_manager, enrollment_id=enrollment.pk, on=DAY,
                                     reason="Accepted the offer")  # fmt: skip
    assert (moved.from_state, moved.to_state) == ("offered", "trial_period")
    assert list(Requirement.objects.filter(enrollment=enrollment)
                .values_list("kind", "template_version")) == [("contacts", 1)]  # fmt: skip
