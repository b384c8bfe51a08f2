"""The ``ontrack`` console command: every Django management command with OnTrack's settings.

``ontrack migrate``, ``ontrack runserver``, ``ontrack synth …`` — one entry point an operator
can script. Commands signal bad input with ``CommandError(returncode=2)`` so that the exit
status is 2 and the message names the problem, never a traceback.

``ontrack screen FACTS …`` (a facts file, no database option) runs without Django's set-up:
it reads no table, and ``django.setup()`` alone costs more than screening a million rows
(``eligibility/screen_file.py``, ADR 0021).

Without ``ONTRACK_DATABASE_URL`` the data lives in ``var/`` of the directory the command runs
in (or ``ONTRACK_VAR_DIR``). A command that needs the database, run where there is none, is
refused with that explanation (exit 2) instead of silently creating a new, empty one (ADR
0042); only ``ontrack migrate`` creates it.
"""

from __future__ import annotations

import os
import sys

# Commands that connect as the owner role when ONTRACK_MIGRATE_DATABASE_URL is set.
SCHEMA_COMMANDS = frozenset({"migrate", "grant_app_role", "createcachetable"})
# Commands that create the database or read none of it (ADR 0042). `screen` and `synth` read
# it only for their database options.
NO_DATABASE_NEEDED = frozenset(
    {"migrate", "help", "check", "makemigrations", "build_catalog", "simulate", "version"}
)
NO_DATA = 2  # exit status: the operator can fix it (run elsewhere, or set ONTRACK_VAR_DIR)


def _needs_database(args: list[str]) -> bool:
    if not args or args[0].startswith("-") or args[0] in NO_DATABASE_NEEDED:
        return False
    options = {a.split("=", 1)[0] for a in args[1:]}
    if options & {"-h", "--help"}:
        return False
    if args[0] == "screen":
        return bool(options & {"--case", "--cases-like"})
    if args[0] == "synth":
        return "--out" not in options
    return True


def missing_data_message() -> str | None:
    """Why this command cannot run here, or None: the default SQLite database is not set up
    in the folder it would open (only when no ``ONTRACK_DATABASE_URL`` is given)."""
    from ontrack.common.location import default_database_is_set_up, default_sqlite

    if os.environ.get("ONTRACK_DATABASE_URL") or default_database_is_set_up():
        return None
    return (
        f"ontrack: there is no OnTrack database at {default_sqlite()}.\n"
        "OnTrack keeps its data in the var/ folder of the directory it runs in (or in "
        "ONTRACK_VAR_DIR, or at ONTRACK_DATABASE_URL). Run it from the folder where you ran "
        "`make demo`, set ONTRACK_VAR_DIR to that folder's var/, or run `ontrack migrate` to "
        "create a new, empty database here.\n"
    )


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["screen"]:
        from ontrack.eligibility.screen_file import main as screen_file

        status = screen_file(args[1:])
        if status is not None:
            sys.exit(status)
    if _needs_database(args) and (message := missing_data_message()):
        sys.stderr.write(message)
        sys.exit(NO_DATA)
    if args[:1] and args[0] in SCHEMA_COMMANDS:
        # CJIS AU-9 (ADR 0022): the schema is changed by its owner, never by the app's role.
        os.environ["ONTRACK_CONNECT_AS"] = "owner"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ontrack", *args])


if __name__ == "__main__":  # pragma: no cover - exercised through the console script
    main()
