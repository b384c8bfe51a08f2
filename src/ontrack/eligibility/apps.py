from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EligibilityConfig(AppConfig):
    name = "ontrack.eligibility"
    label = "eligibility"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The services (and the engine, the catalog, the derivations they import) load when
        # a migrate has run, not in every process: `ontrack screen --help` needs none of it.
        post_migrate.connect(
            _sync_policies_after_migrate, sender=self, dispatch_uid="ontrack.sync_policies"
        )


def _sync_policies_after_migrate(**kwargs: object) -> None:
    from ontrack.eligibility.services import sync_policies_after_migrate

    sync_policies_after_migrate(**kwargs)
