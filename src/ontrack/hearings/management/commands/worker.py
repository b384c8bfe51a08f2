"""``ontrack worker``: the background worker (ADR 0087).

Each tick enqueues the "send due reminders" task and runs the database task worker over
everything queued (``db_worker --batch``), then waits ``--interval`` seconds. ``--once``
runs one tick and exits (tests, cron); ``--exit-with PID`` stops when that process has
gone (``make demo`` passes its own, so the worker ends with the server).
"""

from __future__ import annotations

import os
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
        parser.add_argument("--exit-with", type=int, default=0, help="stop when this PID ends")

    def handle(self, *args: Any, **options: Any) -> None:
        from ontrack.hearings.tasks import send_due_reminders_task

        while True:
            send_due_reminders_task.enqueue()
            call_command("db_worker", batch=True, verbosity=options["verbosity"])
            if options["once"]:
                return
            waited = 0.0
            while waited < options["interval"]:
                if options["exit_with"] and not _alive(options["exit_with"]):
                    return
                time.sleep(1.0)
                waited += 1.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
