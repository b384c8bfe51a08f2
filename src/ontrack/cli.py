"""The ``ontrack`` console command: every Django management command with OnTrack's settings.

``ontrack migrate``, ``ontrack runserver``, ``ontrack synth …`` — one entry point an operator
can script. Commands signal bad input with ``CommandError(returncode=2)`` so that the exit
status is 2 and the message names the problem, never a traceback.

``ontrack screen FACTS …`` (a facts file, no database option) runs without Django's set-up:
it reads no table, and ``django.setup()`` alone costs more than screening a million rows
(``eligibility/screen_file.py``, ADR 0021).
"""

from __future__ import annotations

import os
import sys

# Commands that connect as the owner role when ONTRACK_MIGRATE_DATABASE_URL is set.
SCHEMA_COMMANDS = frozenset({"migrate", "grant_app_role", "createcachetable"})


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["screen"]:
        from ontrack.eligibility.screen_file import main as screen_file

        status = screen_file(args[1:])
        if status is not None:
            sys.exit(status)
    if args[:1] and args[0] in SCHEMA_COMMANDS:
        # CJIS AU-9 (ADR 0022): the schema is changed by its owner, never by the app's role.
        os.environ["ONTRACK_CONNECT_AS"] = "owner"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ontrack", *args])


if __name__ == "__main__":  # pragma: no cover - exercised through the console script
    main()
