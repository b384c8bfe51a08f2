"""``ontrack import KIND FILE --profile NAME [--dry-run] [--errors FILE]``.

KIND is a registered importer (``caseload`` today); each feed's app registers its own
(``ontrack.ingest.registry``), so this command never changes when a feed is added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ontrack.accounts.commands import BAD_INPUT, OnTrackCommand
from ontrack.ingest.pipeline import run_import
from ontrack.ingest.problems import ImportRejected, write_problems
from ontrack.ingest.profiles import ProfileError, available_profiles
from ontrack.ingest.registry import UnknownImporter, get_importer, importers


class Command(OnTrackCommand):
    help = "Import a file (CSV, .xlsx or Parquet): validated whole, applied in one transaction."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        kinds = "; ".join(
            f"{i.kind} ({i.description}; profiles: {', '.join(available_profiles(i))})"
            for i in importers()
        )
        parser.add_argument("kind", help=f"what the file holds: {kinds}")
        parser.add_argument("file", type=Path)
        parser.add_argument("--profile", required=True, help="the import profile to read it by")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count, write nothing"
        )
        parser.add_argument("--errors", type=Path, help="write every problem to this CSV file")
        parser.add_argument("--encoding", help="the file's text encoding when it is not UTF-8")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            get_importer(options["kind"])
        except UnknownImporter as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc
        console = Console(stderr=True, quiet=options["verbosity"] == 0)
        columns = (
            TextColumn("{task.description:<30}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        try:
            with Progress(*columns, console=console, transient=True) as bar:
                tasks: dict[str, Any] = {}

                def show_stage(name: str, done: int, total: int) -> None:
                    if name not in tasks:
                        tasks[name] = bar.add_task(name, total=total or None)
                        if options["verbosity"] >= 2:
                            # Plain lines for logs (and for the crash-safety test to aim at).
                            self.stderr.write(f"stage: {name}")
                            self.stderr.flush()
                    bar.update(tasks[name], completed=done)

                result = run_import(
                    kind=options["kind"],
                    actor=self.actor(options["actor"]),
                    path=path,
                    profile_name=options["profile"],
                    dry_run=options["dry_run"],
                    encoding=options["encoding"],
                    stage=show_stage,
                )
        except ProfileError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc
        except ImportRejected as exc:
            if options["errors"]:
                write_problems(exc.problems, options["errors"])
                count = len(exc.problems)
                noun = "problem" if count == 1 else "problems"
                self.stderr.write(f"{count} {noun} written to {options['errors']}")
            raise CommandError(exc.report(), returncode=BAD_INPUT) from exc
        if result.status == "already_imported" and result.previous is not None:
            b = result.previous
            self.stdout.write(
                f"{path.name} was already imported (batch {b.pk}, {b.finished_at:%Y-%m-%d %H:%M}, "
                f"same SHA-256); nothing changed"
            )
            return
        summary = "; ".join(
            f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            for kind, c in result.counts.items()
            if any(c.values())
        )
        verdict = {
            "applied": f"imported in batch {result.batch.pk if result.batch else '?'}",
            "unchanged": "nothing to change: the database already matches the file",
            "dry_run": "dry run: nothing written",
        }[result.status]
        self.stdout.write(f"{path.name}: {result.rows} rows; {verdict}\n{summary}")
