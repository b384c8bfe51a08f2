from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "ontrack.notes"
    label = "notes"
    default_auto_field = "django.db.models.BigAutoField"
