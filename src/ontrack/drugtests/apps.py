from django.apps import AppConfig


class DrugtestsConfig(AppConfig):
    name = "ontrack.drugtests"
    label = "drugtests"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.drugtests.selectors import readable_timeline_entries
        from ontrack.enrollments.timeline import register_kind, register_sensitive_reader

        register_kind("drugtests.days_drawn", "Test days drawn")
        register_kind("drugtests.notice", "Told of a test day")
        register_kind("drugtests.confirmation_requested", "Laboratory confirmation requested")
        register_kind("drugtests.confirmation_recorded", "Laboratory confirmation recorded")
        register_sensitive_reader(readable_timeline_entries)
