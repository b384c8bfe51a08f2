from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ontrack.plans"
    label = "plans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.enrollments.timeline import register_kind
        from ontrack.plans.models import EventKind

        for kind in EventKind:
            register_kind(f"event.{kind.value}", kind.label)
        register_kind("event.voided", "Event voided")
