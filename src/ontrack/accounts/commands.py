"""Shared plumbing for ``ontrack`` commands: the acting user and clean error exits."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ontrack.audit.context import origin
from ontrack.common.errors import ServiceError

BAD_INPUT = 2  # exit status for input the operator can fix (never a traceback)


def actions(parser: CommandParser) -> Callable[[str, str], argparse.ArgumentParser]:
    """Sub-commands (``ontrack staff add ...``): returns ``action(name, help)`` making one,
    each also taking ``--actor`` after the action (``staff add bob --actor alice``); SUPPRESS
    keeps the value given before the action when this one is absent."""
    subparsers = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = subparsers.add_parser(name, help=help_text)
        sub.add_argument("--actor", default=argparse.SUPPRESS, help="acting username")
        return sub

    return action


class OnTrackCommand(BaseCommand):
    """A command whose writes are attributed to ``--actor`` (default: the system account)."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--actor",
            default="",
            help="username the changes are recorded under (default: the system account)",
        )

    def actor(self, username: str) -> Any:
        from ontrack.accounts.models import User
        from ontrack.accounts.services import system_actor

        if not username:
            return system_actor()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--actor: no active user {username!r}", returncode=BAD_INPUT)
        return user

    def execute(self, *args: Any, **options: Any) -> Any:
        with origin("cli", os_user=_os_user()):
            try:
                return super().execute(*args, **options)
            except ServiceError as exc:
                raise CommandError(str(exc), returncode=BAD_INPUT) from exc


def _os_user() -> str | None:
    """Who ran the command on this machine; None when the system cannot say (no passwd
    entry, no LOGNAME): the audit then shows it is unknown rather than inventing a name."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None


class DevelopmentOnly:
    """Mixin for Django's own account commands (``createsuperuser``, ``changepassword``):
    they bypass the audited services, so outside development they exit 2 and point to what
    to use instead (CJIS AC-2, AC-6; ADR 0038)."""

    instead = ""

    def handle(self, *args: Any, **options: Any) -> Any:
        from django.conf import settings

        if settings.PRODUCTION:
            name = type(self).__module__.rsplit(".", 1)[-1]
            raise CommandError(
                f"{name} is refused outside development; {self.instead}", returncode=BAD_INPUT
            )
        return super().handle(*args, **options)  # type: ignore[misc]
