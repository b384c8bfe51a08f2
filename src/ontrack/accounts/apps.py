from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "ontrack.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Runs after the whole migrate (sender: this app, which is migrated with the rest);
        # dispatch_uid keeps it to one registration. The services load only then.
        post_migrate.connect(
            _sync_roles_after_migrate, sender=self, dispatch_uid="ontrack.sync_roles"
        )


def _sync_roles_after_migrate(**kwargs: object) -> None:
    from ontrack.accounts.services import sync_roles_after_migrate

    sync_roles_after_migrate(**kwargs)
