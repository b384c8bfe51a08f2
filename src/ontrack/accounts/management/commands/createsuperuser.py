"""``createsuperuser``, refused outside development (CJIS AC-6, ADR 0038).

A superuser holds every permission, case files included, and is managed by no one: in
production accounts come from ``ontrack staff add`` with a role, through the audited
services. In development (a laptop, synthetic data) Django's command works as usual.
"""

from __future__ import annotations

from django.contrib.auth.management.commands import createsuperuser

from ontrack.accounts.commands import DevelopmentOnly


class Command(DevelopmentOnly, createsuperuser.Command):
    help = "Development only: " + createsuperuser.Command.help
    instead = "create staff with `ontrack staff add USERNAME --role administrator --password-stdin`"
