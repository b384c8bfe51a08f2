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
        from ontrack.enrollments.timeline import register_kind
        from ontrack.plans.models import EventKind

        for kind in EventKind:
            register_kind(f"event.{kind.value}", kind.label)
        register_kind("event.voided", "Event voided")


def readable_events(actor: object, ids: Collection[str]) -> Collection[str]:
    from ontrack.audit.disclosure import int_ids
    from ontrack.enrollments.selectors import visible_enrollments
    from ontrack.plans.models import Event

    found = Event.objects.filter(
        pk__in=int_ids(ids), enrollment__in=visible_enrollments(actor=actor)
    )
    return [str(pk) for pk in found.values_list("pk", flat=True)]
