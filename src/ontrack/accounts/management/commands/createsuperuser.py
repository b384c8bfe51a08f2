"""``createsuperuser``, refused outside development (CJIS AC-6, ADR 0038).

A superuser holds every permission, case files included, and is managed by no one: in
production accounts come from ``ontrack staff add`` with a role, through the audited
services. In development (a laptop, synthetic data) Django's command works as usual.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError


class Command(createsuperuser.Command):
    help = "Development only: " + createsuperuser.Command.help

    def handle(self, *args: Any, **options: Any) -> Any:
        if settings.PRODUCTION:
            raise CommandError(
                "createsuperuser is refused outside development; create staff with "
                "`ontrack staff add USERNAME --role administrator --password-stdin`",
                returncode=2,
            )
        return super().handle(*args, **options)
