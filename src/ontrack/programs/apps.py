from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "ontrack.programs"
    label = "programs"
    default_auto_field = "django.db.models.BigAutoField"
