"""Shared plumbing for ``ontrack`` commands: the acting user and clean error exits."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ontrack.audit.context import origin
from ontrack.common.errors import ServiceError

BAD_INPUT = 2  # exit status for input the operator can fix (never a traceback)


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
        with origin("cli"):
            try:
                return super().execute(*args, **options)
            except ServiceError as exc:
                raise CommandError(str(exc), returncode=BAD_INPUT) from exc
