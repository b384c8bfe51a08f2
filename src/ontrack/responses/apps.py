from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "ontrack.responses"
    label = "responses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.enrollments.panels import Panel, register
        from ontrack.enrollments.timeline import register_kind
        from ontrack.responses import panels
        from ontrack.responses.matrix import matrix

        matrix()  # validated at start-up: a broken file stops the program, not a page
        register_kind("responses.response", "Response recorded")
        register_kind("responses.no_response", "No response, with the reason")
        register(Panel(page="participant", order=310, slug="responses", title="Responses",
                       template="responses/_participant.html",
                       context=panels.participant_context))  # fmt: skip
        register(Panel(page="program", order=400, slug="fidelity", title="Fidelity",
                       template="responses/_program.html",
                       context=panels.program_context))  # fmt: skip
