"""Plan templates: published as new versions, checked per kind, copied at the trial period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.errors import ValidationFailed
from ontrack.common.services import Forbidden
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.models import Enrollment, TimelineEntry, Transition
from ontrack.enrollments.services import move_enrollment
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.plans.models import PlanTemplate, Requirement
from ontrack.plans.plan_services import publish_plan_template
from ontrack.programs.models import Program

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
DEFAULT = Path(__file__).parents[1] / "data" / "default_template.yaml"
CONTACTS = [{"kind": "contacts", "label": "Contacts", "parameters": {"per_week": 3}}]


def _program() -> Program:
    return Program.objects.create(slug="demo", name="Demo program")


def _state() -> tuple[Any, ...]:
    return (
        list(PlanTemplate.objects.values_list("program_id", "version", "requirements")),
        list(Enrollment.objects.values_list("state", "row_version")),
        Requirement.objects.count(),
        Transition.objects.count(),
        TimelineEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def test_each_publication_is_a_new_version(administrator: Any) -> None:
    program = _program()
    first = publish_plan_template(
        actor=administrator, program_id=program.pk, requirements=CONTACTS, reason="Start"
    )
    second = publish_plan_template(
        actor=administrator, program_id=program.pk, requirements=CONTACTS, reason="Same again"
    )
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.reason == "Start"
    audit = AuditEvent.objects.filter(action="plan_template.published").order_by("pk")
    assert [a.details["version"] for a in audit] == [1, 2]


def test_the_default_template_is_valid_and_the_command_publishes_it(administrator: Any) -> None:
    program = _program()
    call_command(
        "plan_template",
        program.slug,
        str(DEFAULT),
        "--reason",
        "Demo",
        "--actor",
        administrator.username,
    )
    template = PlanTemplate.objects.get(program=program)
    assert template.requirements == yaml.safe_load(DEFAULT.read_text())["requirements"]
    assert [r["kind"] for r in template.requirements] == [
        "employment_or_school",
        "community_service",
        "class",
        "class",
        "hearings",
        "contacts",
        "drug_tests",
        "phases",
    ]


@pytest.mark.parametrize(
    ("requirement", "field", "message"),
    [
        (
            {"kind": "community_service", "label": "S", "parameters": {"total_hours": 221}},
            "requirements.1.total_hours",
            "total hours must be a number from 1 to 220",
        ),
        (
            {
                "kind": "class",
                "label": "C",
                "parameters": {"class_name": "yoga", "sessions_required": 3},
            },
            "requirements.1.class_name",
            "the class must be one of: parenting, GED, counseling, anger_management, "
            "job_readiness, other",
        ),
        (
            {
                "kind": "drug_tests",
                "label": "T",
                "parameters": {
                    "per_week_by_phase": {"1": 2},
                    "missed_counts_as": "nothing",
                    "dilute_counts_as": "positive",
                },
            },
            "requirements.1.missed_counts_as",
            "a missed test counts as one of: positive, missed",
        ),
        (
            {"kind": "phases", "label": "P", "parameters": {"count": 3, "promotion": {"1": {}}}},
            "requirements.1.promotion",
            "give promotion criteria for phases 1 to 2",
        ),
        (
            {"kind": "contacts", "label": "", "parameters": {"per_week": 3}},
            "requirements.1.label",
            "give a label of up to 200 characters",
        ),
        (
            {"kind": "bowling", "label": "B", "parameters": {}},
            "requirements.1.kind",
            "'bowling' is not a kind of requirement",
        ),
    ],
)
def test_a_bad_requirement_is_refused_by_name(
    administrator: Any, requirement: dict[str, Any], field: str, message: str
) -> None:
    program = _program()
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        publish_plan_template(
            actor=administrator, program_id=program.pk, requirements=[requirement], reason="Try"
        )
    assert refused.value.problems == {field: message}
    assert _state() == before


def test_a_case_manager_cannot_publish(case_manager: Any) -> None:
    program = _program()
    with pytest.raises(Forbidden):
        publish_plan_template(
            actor=case_manager, program_id=program.pk, requirements=CONTACTS, reason="Try"
        )
    assert not PlanTemplate.objects.exists()


def test_the_command_refuses_a_bad_file(administrator: Any, tmp_path: Path) -> None:
    program = _program()
    bad = tmp_path / "bad.yaml"
    bad.write_text("requirements: []\n")
    with pytest.raises(CommandError, match="a plan template lists at least one requirement"):
        call_command(
            "plan_template",
            program.slug,
            str(bad),
            "--reason",
            "R",
            "--actor",
            administrator.username,
        )
    assert not PlanTemplate.objects.exists()


def test_the_trial_period_copies_the_current_template(
    administrator: Any, case_manager: Any
) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager), state=State.OFFERED)
    publish_plan_template(
        actor=administrator, program_id=enrollment.program_id, requirements=CONTACTS, reason="v1"
    )
    two = [
        *CONTACTS,
        {"kind": "community_service", "label": "Service", "parameters": {"total_hours": 100}},
    ]
    publish_plan_template(
        actor=administrator, program_id=enrollment.program_id, requirements=two, reason="v2"
    )
    move_enrollment(
        actor=case_manager,
        enrollment_id=enrollment.pk,
        to_state="trial_period",
        reason="Accepted",
        on=DAY,
    )
    copied = list(
        Requirement.objects.filter(enrollment=enrollment).values_list(
            "kind", "label", "parameters", "template_version", "starts_on", "position"
        )
    )
    assert copied == [
        ("contacts", "Contacts", {"per_week": 3}, 2, DAY, 0),
        ("community_service", "Service", {"total_hours": 100}, 2, DAY, 1),
    ]
    entry = TimelineEntry.objects.get(enrollment=enrollment, kind="plan.copied")
    assert entry.parameters == {"version": 2, "requirements": 2}


def test_no_template_refuses_the_trial_period(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager), state=State.OFFERED)
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        move_enrollment(
            actor=case_manager,
            enrollment_id=enrollment.pk,
            to_state="trial_period",
            reason="Accepted",
            on=DAY,
        )
    assert refused.value.problems == {
        "plan": "the program has no plan template yet: an administrator publishes one before "
        "anyone starts the trial period"
    }
    assert _state() == before
