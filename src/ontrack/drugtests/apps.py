from django.apps import AppConfig


class DrugtestsConfig(AppConfig):
    name = "ontrack.drugtests"
    label = "drugtests"
    default_auto_field = "django.db.models.BigAutoField"
