from django.apps import AppConfig


class HearingsConfig(AppConfig):
    name = "ontrack.hearings"
    label = "hearings"
    default_auto_field = "django.db.models.BigAutoField"
