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

        from ontrack.accounts.session_limits import stamp_sign_in
        from ontrack.accounts.signin_events import on_locked_out, on_login_failed

        user_logged_in.connect(stamp_sign_in, dispatch_uid="ontrack.stamp_sign_in")
        user_login_failed.connect(on_login_failed, dispatch_uid="ontrack.login_failed")
        user_locked_out.connect(on_locked_out, dispatch_uid="ontrack.locked_out")


def _sync_roles_after_migrate(**kwargs: object) -> None:
    from ontrack.accounts.services import sync_roles_after_migrate

    sync_roles_after_migrate(**kwargs)
