from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ontrack.plans"
    label = "plans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.enrollments.lifecycle import State, register_after, register_guard
        from ontrack.enrollments.timeline import register_kind
        from ontrack.plans.guards import graduation_guard, promotion_guard
        from ontrack.plans.hooks import copy_template_on_trial
        from ontrack.plans.models import EventKind

        for kind in EventKind:
            register_kind(f"event.{kind.value}", kind.label)
        register_kind("event.voided", "Event voided")
        register_kind("plan.copied", "Plan given")
        register_kind("requirement.added", "Requirement added")
        register_kind("requirement.adjusted", "Requirement adjusted")
        register_kind("requirement.removed", "Requirement removed")
        register_after(State.TRIAL_PERIOD, copy_template_on_trial)
        register_guard(State.GRADUATED, graduation_guard)
        register_guard(State.ACTIVE, promotion_guard)
        from ontrack.plans import panels

        panels.register_panels()
