from django.apps import AppConfig


class DrugtestsConfig(AppConfig):
    name = "ontrack.drugtests"
    label = "drugtests"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.drugtests import panels
        from ontrack.drugtests.selectors import readable_timeline_entries
        from ontrack.enrollments.panels import Panel, register
        from ontrack.enrollments.timeline import register_kind, register_sensitive_reader

        register_kind("drugtests.days_drawn", "Test days drawn")
        register_kind("drugtests.notice", "Told of a test day")
        register_kind("drugtests.confirmation_requested", "Laboratory confirmation requested")
        register_kind("drugtests.confirmation_recorded", "Laboratory confirmation recorded")
        register_sensitive_reader(readable_timeline_entries)
        register(Panel(page="participant", order=300, slug="drug-tests", title="Drug tests",
                       template="drugtests/_participant.html",
                       context=panels.participant_context))  # fmt: skip
        register(Panel(page="day", order=300, slug="tests-due", title="Tests due today",
                       template="drugtests/_day.html", context=panels.day_context))  # fmt: skip
        register(Panel(page="program", order=410, slug="fidelity-test-days",
                       title="Fidelity: test days by weekday", template="drugtests/_program.html",
                       context=panels.program_context))  # fmt: skip
