"""The ``ontrack`` console command: every Django management command with OnTrack's settings.

``ontrack migrate``, ``ontrack runserver``, ``ontrack synth …`` — one entry point an operator
can script. Commands signal bad input with ``CommandError(returncode=2)`` so that the exit
status is 2 and the message names the problem, never a traceback.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["ontrack", *args])


if __name__ == "__main__":  # pragma: no cover - exercised through the console script
    main()
