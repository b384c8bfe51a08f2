from django.apps import AppConfig


class OffensesConfig(AppConfig):
    name = "ontrack.offenses"
    label = "offenses"
    default_auto_field = "django.db.models.BigAutoField"
