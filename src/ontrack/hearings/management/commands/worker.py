"""``ontrack worker``: the background worker (ADR 0087).

Each tick enqueues the "send due reminders" task and runs the database task worker over
everything queued (``db_worker --batch``), then waits ``--interval`` seconds. ``--once``
runs one tick and exits (tests, cron).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from ontrack.accounts.commands import OnTrackCommand


class Command(OnTrackCommand):
    help = "Run background work: send due hearing reminders and any other queued task."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="run one tick and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        from ontrack.hearings.tasks import send_due_reminders_task

        while True:
            send_due_reminders_task.enqueue()
            call_command("db_worker", batch=True, verbosity=options["verbosity"])
            if options["once"]:
                return
            time.sleep(options["interval"])
