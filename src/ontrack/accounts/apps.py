from typing import Any

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
        # Sign-in events in the audit trail and the session clock (CJIS AC-7, AC-11, AU-2).
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        user_logged_in.connect(_stamp_sign_in, dispatch_uid="ontrack.stamp_sign_in")
        user_login_failed.connect(_on_login_failed, dispatch_uid="ontrack.login_failed")
        user_locked_out.connect(_on_locked_out, dispatch_uid="ontrack.locked_out")


def _sync_roles_after_migrate(**kwargs: object) -> None:
    from ontrack.accounts.services import sync_roles_after_migrate

    sync_roles_after_migrate(**kwargs)


# Thin receivers: the audit services load when a sign-in happens, not at set-up (ADR 0021).
def _stamp_sign_in(**kwargs: Any) -> None:
    from ontrack.accounts.session_limits import stamp_sign_in

    stamp_sign_in(**kwargs)


def _on_login_failed(**kwargs: Any) -> None:
    from ontrack.accounts.signin_events import on_login_failed

    on_login_failed(**kwargs)


def _on_locked_out(**kwargs: Any) -> None:
    from ontrack.accounts.signin_events import on_locked_out

    on_locked_out(**kwargs)
