"""The plan's after-move hook (registered in ``PlansConfig.ready``): when the trial period
begins, the program's current plan template becomes the participant's requirements."""

from __future__ import annotations

from ontrack.common.errors import ValidationFailed
from ontrack.enrollments.lifecycle import Move
from ontrack.enrollments.models import Enrollment
from ontrack.enrollments.timeline import add_entry
from ontrack.plans.models import PlanTemplate, Requirement


def current_template(program_id: int) -> PlanTemplate | None:
    return PlanTemplate.objects.filter(program_id=program_id).order_by("-version").first()


def copy_template_on_trial(enrollment: Enrollment, move: Move) -> None:
    """After-move hook (trial period): the program's current template becomes the
    participant's requirements, in the move's transaction (the move records the audit row;
    this adds the timeline entry naming the version). No template: the move is refused."""
    template = current_template(enrollment.program_id)
    if template is None:
        raise ValidationFailed(
            {
                "plan": "the program has no plan template yet: an administrator publishes one "
                "before anyone starts the trial period"
            }
        )
    if Requirement.objects.filter(enrollment=enrollment, removed_at__isnull=True).exists():
        return  # a plan given before (a second trial period is not in the table; kept)
    Requirement.objects.bulk_create(
        Requirement(
            enrollment=enrollment,
            kind=item["kind"],
            label=item["label"],
            parameters=item["parameters"],
            position=n,
            template_version=template.version,
            starts_on=move.on,
        )
        for n, item in enumerate(template.requirements)
    )
    add_entry(
        enrollment=enrollment,
        kind="plan.copied",
        actor=move.actor,
        occurred_on=move.on,
        parameters={"version": template.version, "requirements": len(template.requirements)},
        ref=template,
    )
