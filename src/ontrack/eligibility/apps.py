from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EligibilityConfig(AppConfig):
    name = "ontrack.eligibility"
    label = "eligibility"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.eligibility.services import sync_policies_after_migrate

        post_migrate.connect(
            sync_policies_after_migrate, sender=self, dispatch_uid="ontrack.sync_policies"
        )
