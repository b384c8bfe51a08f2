from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from ontrack.accounts.commands import OnTrackCommand
from ontrack.accounts.mfa import base32_secret, issue_devices
from ontrack.accounts.models import User
from ontrack.accounts.roles import ROLES
from ontrack.accounts.services import create_staff_user, reset_password


class Command(OnTrackCommand):
    help = (
        "Create one demo account per role with a fresh random password, an enrolled "
        "authenticator and ten backup codes, and print them all."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo accounts are never created in production", returncode=2)
        actor = self.actor(options["actor"])
        self.stdout.write(
            "Demo logins (synthetic data only; passwords, authenticator keys and backup codes "
            "change on every run):"
        )
        for role in ROLES.values():
            username = f"demo-{role.slug.replace('_', '-')}"
            existing = User.objects.filter(username=username).first()
            password = _fresh_password(
                existing or User(username=username, first_name="Demo", last_name=role.group_name)
            )
            if existing is None:
                existing = create_staff_user(
                    actor=actor,
                    username=username,
                    password=password,
                    role=role.slug,
                    first_name="Demo",
                    last_name=role.group_name,
                )
            else:
                # A demo login is handed out, not reset by an administrator: no forced change.
                reset_password(
                    actor=actor, username=username, new_password=password, force_change=False
                )
            # CJIS IA-2 in the demo too: a pre-enrolled authenticator (its key and otpauth URI,
            # to add to an app) and ten backup codes that sign in once each without one.
            device, codes = issue_devices(actor=actor, user=existing)
            self.stdout.write(f"  {role.group_name:<26} {username:<22} {password}")
            self.stdout.write(f"      authenticator key: {base32_secret(device)}")
            self.stdout.write(f"      otpauth URI:       {device.config_url}")
            self.stdout.write(f"      backup codes:      {' '.join(codes)}")


def _fresh_password(user: User) -> str:
    """A random password the site's validators accept for ``user``. Once in a while a random
    token looks like the username to the similarity validator (a CLI test failed on one):
    such a draw is simply drawn again, never weakened."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for _ in range(100):
        password = secrets.token_urlsafe(12)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
    raise CommandError("could not draw a password the validators accept", returncode=2)
