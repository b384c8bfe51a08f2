"""``ontrack audit export --out FILE.csv --actor NAME [--since DAY] [--until DAY] [filters]``.

The audit as CSV (``audit/export.py``: the page's format), for an account that may read the
audit (``audit.view_auditevent``), with what that account may not see of the records hidden
(ADR 0033). Days are the office's (common.site). The file is written beside its final name
and moved into place only after the export is on the access stream with its row count: an
export that cannot be recorded is not delivered (CJIS AU-5, ADR 0032).

It lives in the accounts app, not in audit, because it acts as an account (``--actor``,
``OnTrackCommand``) and the audit app sits below accounts; the export itself is
``audit/export.py``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from ontrack.accounts.commands import BAD_INPUT, OnTrackCommand
from ontrack.audit.access import record_access
from ontrack.audit.export import day_bounds, export_entries, write_csv
from ontrack.audit.forms import parse_day
from ontrack.audit.models import Outcome
from ontrack.audit.selectors import STREAMS, AuditFilters


class Command(OnTrackCommand):
    help = "Export the audit trail (both streams) as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("what", choices=["export"], help="export: write the audit as CSV")
        parser.add_argument("--out", required=True, type=Path, help="the CSV file to write")
        parser.add_argument("--since", default="", help="first day (YYYY-MM-DD, office's day)")
        parser.add_argument("--until", default="", help="last day, inclusive (YYYY-MM-DD)")
        parser.add_argument("--stream", choices=STREAMS, default="both")
        parser.add_argument("--outcome", choices=Outcome.values, default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["actor"]:
            raise CommandError(
                "--actor: name the account the export is made by (it needs audit.view_auditevent)",
                returncode=BAD_INPUT,
            )
        actor = self.actor(options["actor"])
        if not actor.has_perm("audit.view_auditevent"):
            raise CommandError(
                f"--actor: {actor.get_username()!r} may not read the audit trail",
                returncode=BAD_INPUT,
            )
        try:
            since = parse_day(options["since"], "--since") if options["since"] else None
            until = parse_day(options["until"], "--until") if options["until"] else None
        except ValueError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc
        if since and until and until < since:
            raise CommandError(f"--until: {until} is before --since {since}", returncode=BAD_INPUT)
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(
                f"--out: directory {str(out.parent)!r} does not exist", returncode=BAD_INPUT
            )
        start, end = day_bounds(since, until)
        filters = AuditFilters(
            stream=options["stream"], outcome=options["outcome"], since=start, until=end
        )
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", newline="", encoding="utf-8") as file:
                count = write_csv(file, export_entries(actor=actor, filters=filters))
            record_access(
                actor=actor,
                action="audit.exported",
                outcome=Outcome.SUCCESS,
                object_type="audit",
                row_count=count,
                details={
                    "out": str(out),
                    "since": str(since or ""),
                    "until": str(until or ""),
                    "stream": options["stream"],
                    "outcome": options["outcome"],
                },
            )
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(f"wrote {count} audit entries to {out}")
