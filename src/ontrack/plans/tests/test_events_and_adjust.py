"""Per-kind event rules (nothing written on refusal) and per-participant adjustments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.errors import ConcurrentEdit, NotFound, ValidationFailed
from ontrack.enrollments.models import TimelineEntry
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.hearings.models import Hearing
from ontrack.plans.models import Event, Requirement, RequirementChange
from ontrack.plans.plan_services import add_requirement, adjust_requirement, remove_requirement
from ontrack.plans.services import record_participant_event

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)


def _state() -> tuple[Any, ...]:
    return (
        Event.objects.count(),
        TimelineEntry.objects.count(),
        AuditEvent.objects.count(),
        list(Requirement.objects.values_list("label", "parameters", "row_version", "removed_at")),
        RequirementChange.objects.count(),
    )


@pytest.fixture
def enrollment(case_manager: Any) -> Any:
    return EnrollmentFactory(case=CaseFactory(case_manager=case_manager))


def _hearing(enrollment: Any) -> Hearing:
    return Hearing.objects.create(
        enrollment=enrollment, court="SF Superior", starts_at=timezone.now()
    )


TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        ({"kind": "work_hours"}, {"hours": "give the number of hours"}),
        ({"kind": "service_hours", "hours": Decimal(0)}, {"hours": "hours must be more than zero"}),
        (
            {"kind": "school_hours", "hours": Decimal("24.5")},
            {"hours": "a day has at most 24 hours: record each day separately"},
        ),
        ({"kind": "contact", "hours": Decimal(1)}, {"hours": "this kind of event has no hours"}),
        (
            {"kind": "drug_test"},
            {"result": "give the result: negative, positive, dilute or missed"},
        ),
        (
            {"kind": "drug_test", "result": "positive"},
            {"substance": "a positive test names the substance"},
        ),
        (
            {"kind": "drug_test", "result": "negative", "substance": "THC"},
            {"substance": "only a positive test names a substance"},
        ),
        (
            {"kind": "contact", "occurred_on": TOMORROW},
            {"occurred_on": "the day it happened cannot be in the future"},
        ),
        ({"kind": "hearing_attended"}, {"hearing": "choose the hearing"}),
        (
            {"kind": "class_attended", "details": {"class_name": "yoga"}},
            {
                "class_name": "choose the class: parenting, GED, counseling, anger_management, "
                "job_readiness, other"
            },
        ),
        (
            {"kind": "child_support_paid", "details": {"amount": "0"}},
            {"amount": "give the amount paid, more than zero"},
        ),
    ],
)
def test_an_event_that_breaks_its_kinds_rules_records_nothing(
    case_manager: Any, enrollment: Any, fields: dict[str, Any], problems: dict[str, str]
) -> None:
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        record_participant_event(
            actor=case_manager, enrollment_id=enrollment.pk, **{"occurred_on": DAY, **fields}
        )
    assert refused.value.problems == problems
    assert _state() == before


def test_a_hearing_of_another_enrollment_is_refused(case_manager: Any, enrollment: Any) -> None:
    other = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        record_participant_event(
            actor=case_manager,
            enrollment_id=enrollment.pk,
            kind="hearing_missed",
            occurred_on=DAY,
            hearing=_hearing(other),
        )
    assert refused.value.problems == {"hearing": "that hearing is not one of this participant's"}
    assert _state() == before


def test_a_good_event_is_recorded_with_its_timeline_and_audit(
    case_manager: Any, enrollment: Any
) -> None:
    event = record_participant_event(
        actor=case_manager,
        enrollment_id=enrollment.pk,
        kind="drug_test",
        occurred_on=DAY,
        result="positive",
        substance=" THC ",
    )
    assert (event.result, event.substance, event.hours) == ("positive", "THC", None)
    entry = TimelineEntry.objects.get(enrollment=enrollment)
    assert (entry.kind, entry.sensitive, entry.parameters) == ("event.drug_test", True, {})
    assert AuditEvent.objects.filter(action="event.recorded").count() == 1


def _requirement(enrollment: Any) -> Requirement:
    return Requirement.objects.create(
        enrollment=enrollment,
        kind="community_service",
        label="Service",
        parameters={"total_hours": 220},
    )


def test_an_adjustment_keeps_before_and_after(case_manager: Any, enrollment: Any) -> None:
    requirement = _requirement(enrollment)
    adjust_requirement(
        actor=case_manager,
        requirement_id=requirement.pk,
        parameters={"total_hours": 120},
        reason="Works full time",
        expected_version=1,
    )
    requirement.refresh_from_db()
    assert (requirement.parameters, requirement.row_version) == ({"total_hours": 120}, 2)
    change = RequirementChange.objects.get()
    assert change.before is not None
    assert change.after is not None
    assert (
        change.action,
        change.before["parameters"],
        change.after["parameters"],
        change.reason,
        change.by,
    ) == ("adjusted", {"total_hours": 220}, {"total_hours": 120}, "Works full time", case_manager)
    assert AuditEvent.objects.get(action="requirement.adjusted").details["reason"] == (
        "Works full time"
    )


def test_a_bad_or_stale_adjustment_changes_nothing(case_manager: Any, enrollment: Any) -> None:
    requirement = _requirement(enrollment)
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        adjust_requirement(
            actor=case_manager,
            requirement_id=requirement.pk,
            parameters={"total_hours": 300},
            reason="More",
            expected_version=1,
        )
    assert refused.value.problems == {"total_hours": "total hours must be a number from 1 to 220"}
    with pytest.raises(ValidationFailed) as refused:
        adjust_requirement(
            actor=case_manager,
            requirement_id=requirement.pk,
            parameters={"total_hours": 100},
            reason=" ",
            expected_version=1,
        )
    assert refused.value.problems == {"reason": "say why the requirement changes"}
    with pytest.raises(ConcurrentEdit):
        adjust_requirement(
            actor=case_manager,
            requirement_id=requirement.pk,
            parameters={"total_hours": 100},
            reason="Less",
            expected_version=7,
        )
    assert _state() == before


def test_add_and_remove_with_a_reason(case_manager: Any, enrollment: Any) -> None:
    added = add_requirement(
        actor=case_manager,
        enrollment_id=enrollment.pk,
        kind="class",
        label="Counseling",
        reason="Court ordered",
        parameters={"class_name": "counseling", "sessions_required": 6},
        starts_on=DAY,
    )
    assert (added.starts_on, added.template_version) == (DAY, None)
    remove_requirement(
        actor=case_manager, requirement_id=added.pk, reason="Order vacated", expected_version=1
    )
    added.refresh_from_db()
    assert added.removed_at is not None
    assert list(RequirementChange.objects.values_list("action", "reason")) == [
        ("added", "Court ordered"),
        ("removed", "Order vacated"),
    ]
    with pytest.raises(NotFound):  # a removed requirement is not adjusted any more
        adjust_requirement(
            actor=case_manager,
            requirement_id=added.pk,
            parameters={"class_name": "counseling", "sessions_required": 3},
            reason="R",
            expected_version=2,
        )
