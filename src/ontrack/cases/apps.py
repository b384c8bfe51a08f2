from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ontrack.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The one visibility rule answers for people too (people is below cases: a registry).
        from ontrack.cases.visibility import person_condition
        from ontrack.people.selectors import register_visibility

        register_visibility(person_condition)
