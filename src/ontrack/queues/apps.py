from django.apps import AppConfig


class QueuesConfig(AppConfig):
    name = "ontrack.queues"
    label = "queues"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Queues, lists and counts"
