from django.apps import AppConfig


class HearingsConfig(AppConfig):
    name = "ontrack.hearings"
    label = "hearings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.enrollments.timeline import register_kind

        register_kind("hearing.scheduled", "Hearing scheduled")
        register_kind("hearing.rescheduled", "Hearing moved")
        register_kind("hearing.cancelled", "Hearing cancelled")
        register_kind("hearing.held", "Hearing held")
        register_kind("hearing.contact_preference", "Contact preferences recorded")
