from collections.abc import Collection

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ontrack.plans"
    label = "plans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.audit import disclosure

        # An event is what a participant did: a drug test's result, a missed hearing, a new
        # arrest. Shown in the audit only to who may see the enrollment (ADR 0033).
        disclosure.register("plans.event", fields=disclosure.ALL, readable=readable_events)
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


def readable_events(actor: object, ids: Collection[str]) -> Collection[str]:
    from ontrack.audit.disclosure import int_ids
    from ontrack.enrollments.selectors import visible_enrollments
    from ontrack.plans.models import Event

    found = Event.objects.filter(
        pk__in=int_ids(ids), enrollment__in=visible_enrollments(actor=actor)
    )
    return [str(pk) for pk in found.values_list("pk", flat=True)]
