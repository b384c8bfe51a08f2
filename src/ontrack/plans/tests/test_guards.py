"""The plan's guards: graduation needs the whole plan met and a verified job or school;
promotion needs the phase's criteria. Refusals change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.errors import ValidationFailed
from ontrack.enrollments.models import Enrollment, Transition
from ontrack.enrollments.services import move_enrollment
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.plans.models import Event, Requirement
from ontrack.plans.tests.factories import complete_plan

pytestmark = pytest.mark.django_db


def _state() -> tuple[Any, ...]:
    return (
        list(Enrollment.objects.values_list("state", "phase", "row_version")),
        Transition.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def enrollment(case_manager: Any) -> Any:
    return EnrollmentFactory(case=CaseFactory(case_manager=case_manager))


def _graduate(actor: Any, enrollment: Any) -> Any:
    return move_enrollment(
        actor=actor,
        enrollment_id=enrollment.pk,
        to_state="graduated",
        reason="Plan complete",
        on=timezone.localdate(),
    )


def _refused(call: Any) -> dict[str, str]:
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert _state() == before
    return refused.value.problems


def test_a_complete_plan_graduates(case_manager: Any, enrollment: Any) -> None:
    complete_plan(enrollment, case_manager)
    assert _graduate(case_manager, enrollment).to_state == "graduated"


def test_no_plan_cannot_graduate(case_manager: Any, enrollment: Any) -> None:
    assert _refused(lambda: _graduate(case_manager, enrollment)) == {
        "plan": "the participant has no plan: there is nothing to show it is complete"
    }


def test_an_unmet_requirement_and_no_verification_are_named(
    case_manager: Any, enrollment: Any
) -> None:
    complete_plan(enrollment, case_manager)
    Event.objects.filter(kind__in=["employment_verified", "service_hours"]).delete()
    assert _refused(lambda: _graduate(case_manager, enrollment)) == {
        "plan": "the plan is not complete: Work, Community service",
        "employment": "no job or full-time school has been verified",
    }


def test_promotion_needs_the_phase_criteria(case_manager: Any, enrollment: Any) -> None:
    today = timezone.localdate()
    Enrollment.objects.filter(pk=enrollment.pk).update(
        state_since=timezone.now() - dt.timedelta(days=10)
    )
    Requirement.objects.create(
        enrollment=enrollment,
        kind="phases",
        label="Phases",
        parameters={"count": 2, "promotion": {"1": {"min_days": 30}}},
    )

    def promote() -> Any:
        return move_enrollment(
            actor=case_manager,
            enrollment_id=enrollment.pk,
            to_state="active",
            to_phase=2,
            reason="Promote",
            on=today,
        )

    assert _refused(promote) == {
        "to_phase": "the phase's promotion criteria are not met: 30 days in the phase (10 so far)"
    }
    Enrollment.objects.filter(pk=enrollment.pk).update(
        state_since=timezone.now() - dt.timedelta(days=31)
    )
    assert promote().to_phase == 2


def test_promotion_without_phases_is_refused(case_manager: Any, enrollment: Any) -> None:
    assert _refused(
        lambda: move_enrollment(
            actor=case_manager,
            enrollment_id=enrollment.pk,
            to_state="active",
            to_phase=2,
            reason="Promote",
            on=timezone.localdate(),
        )
    ) == {"to_phase": "the plan has no phases, so no promotion criteria"}
