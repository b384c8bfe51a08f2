"""Writes for plan templates and a participant's plan: publish a template version, copy it
into an enrollment when the trial period begins, adjust / add / remove one requirement.

Every requirement goes through ``plans/kinds.py`` (the one place that knows each kind's
parameters); every change to a participant's requirement keeps a ``RequirementChange``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import bump_version, ensure_permission
from ontrack.common.text import reason_problem
from ontrack.enrollments.selectors import enrollment_for_update, visible_enrollments
from ontrack.enrollments.timeline import add_entry
from ontrack.plans.kinds import requirement_problems
from ontrack.plans.models import PlanTemplate, Requirement, RequirementChange
from ontrack.programs.models import Program

MAX_REQUIREMENTS = 50


def _reason(reason: str, *, missing: str) -> str:
    reason = reason.strip()
    if problem := reason_problem(reason, what="a reason", limit=2000, missing=missing):
        raise ValidationFailed({"reason": problem})
    return reason


def _clean(requirements: Any) -> list[dict[str, Any]]:
    if not isinstance(requirements, list) or not requirements:
        raise ValidationFailed({"requirements": "a plan template lists at least one requirement"})
    if len(requirements) > MAX_REQUIREMENTS:
        raise ValidationFailed({"requirements": f"at most {MAX_REQUIREMENTS} requirements"})
    problems: dict[str, str] = {}
    for n, item in enumerate(requirements, start=1):
        problems.update(requirement_problems(item, where=f"requirements.{n}"))
    if problems:
        raise ValidationFailed(problems)
    kinds = [item["kind"] for item in requirements if item["kind"] != "class"]
    if len(kinds) != len(set(kinds)):
        # One rule per kind (classes excepted: a plan may ask several).
        raise ValidationFailed({"requirements": "each kind but class appears at most once"})
    return [
        {"kind": i["kind"], "label": i["label"].strip(), "parameters": i["parameters"]}
        for i in requirements
    ]


@transaction.atomic
def publish_plan_template(
    *, actor: Any, program_id: int, requirements: Any, reason: str
) -> PlanTemplate:
    """A new version of the program's plan template (never an edit in place). Enrollments
    already in their trial period keep the plan they were given."""
    ensure_permission(actor, "plans.manage_template")
    program = Program.objects.select_for_update().filter(pk=program_id).first()
    if program is None:
        raise NotFound
    reason = _reason(reason, missing="say why the plan template changes")
    cleaned = _clean(requirements)
    last = PlanTemplate.objects.filter(program=program).order_by("-version").first()
    template = PlanTemplate.objects.create(
        program=program,
        version=(last.version + 1) if last else 1,
        requirements=cleaned,
        created_by=actor,
        created_at=timezone.now(),
        reason=reason,
    )
    record_event(
        actor=actor,
        action="plan_template.published",
        target=template,
        details={"program": program.pk, "version": template.version, "reason": reason},
    )
    return template


def _requirement_for_update(actor: Any, requirement_id: int) -> Requirement:
    found = (
        Requirement.objects.select_for_update(of=("self",))
        .select_related("enrollment")
        .filter(
            pk=requirement_id,
            enrollment__in=visible_enrollments(actor=actor),
            removed_at__isnull=True,
        )
        .first()
    )
    if found is None:
        raise NotFound
    return found


def _snapshot(r: Requirement) -> dict[str, Any]:
    return {"kind": r.kind, "label": r.label, "parameters": r.parameters}


def _history(r: Requirement, action: str, before: Any, after: Any, reason: str, actor: Any) -> None:
    RequirementChange.objects.create(
        requirement=r,
        action=action,
        before=before,
        after=after,
        reason=reason,
        by=actor,
        at=timezone.now(),
    )
    add_entry(
        enrollment=r.enrollment,
        kind=f"requirement.{action}",
        actor=actor,
        occurred_on=timezone.localdate(),
        parameters={"label": r.label, "reason": reason},
        ref=r,
    )
    record_event(
        actor=actor,
        action=f"requirement.{action}",
        target=r,
        changes={"requirement": [before, after]},
        details={"enrollment": r.enrollment_id, "reason": reason},
    )


@transaction.atomic
def adjust_requirement(
    *,
    actor: Any,
    requirement_id: int,
    parameters: Any,
    reason: str,
    expected_version: int,
    label: str | None = None,
) -> Requirement:
    """Change one participant's requirement (e.g. fewer service hours for a full-time job),
    with a reason; before and after are kept. A stale page is refused (``expected_version``)."""
    ensure_permission(actor, "plans.adjust_requirement")
    requirement = _requirement_for_update(actor, requirement_id)
    reason = _reason(reason, missing="say why the requirement changes")
    after = {
        "kind": requirement.kind,
        "label": requirement.label if label is None else label,
        "parameters": parameters,
    }
    if problems := requirement_problems(after):
        raise ValidationFailed(problems)
    bump_version(requirement, expected_version)
    before = _snapshot(requirement)
    requirement.label = after["label"].strip()
    requirement.parameters = parameters
    requirement.save(update_fields=["label", "parameters", "updated_at"])
    _history(requirement, "adjusted", before, _snapshot(requirement), reason, actor)
    return requirement


@transaction.atomic
def add_requirement(
    *,
    actor: Any,
    enrollment_id: int,
    kind: str,
    label: str,
    parameters: Any,
    reason: str,
    starts_on: dt.date | None = None,
) -> Requirement:
    ensure_permission(actor, "plans.adjust_requirement")
    enrollment = enrollment_for_update(actor=actor, enrollment_id=enrollment_id)
    reason = _reason(reason, missing="say why the requirement is added")
    item = {"kind": kind, "label": label, "parameters": parameters}
    if problems := requirement_problems(item):
        raise ValidationFailed(problems)
    existing = Requirement.objects.filter(enrollment=enrollment, removed_at__isnull=True)
    if kind != "class" and existing.filter(kind=kind).exists():
        raise ValidationFailed({"kind": "the plan already has this kind: adjust that one"})
    requirement = Requirement.objects.create(
        enrollment=enrollment,
        kind=kind,
        label=label.strip(),
        parameters=parameters,
        position=existing.count(),
        starts_on=starts_on or timezone.localdate(),
    )
    _history(requirement, "added", None, _snapshot(requirement), reason, actor)
    return requirement


@transaction.atomic
def remove_requirement(
    *, actor: Any, requirement_id: int, reason: str, expected_version: int
) -> Requirement:
    ensure_permission(actor, "plans.adjust_requirement")
    requirement = _requirement_for_update(actor, requirement_id)
    reason = _reason(reason, missing="say why the requirement is removed")
    bump_version(requirement, expected_version)
    requirement.removed_at = timezone.now()
    requirement.save(update_fields=["removed_at", "updated_at"])
    _history(requirement, "removed", _snapshot(requirement), None, reason, actor)
    return requirement
