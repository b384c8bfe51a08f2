from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from ontrack.accounts.commands import BAD_INPUT, OnTrackCommand
from ontrack.offenses.catalog import DEFAULT_CATALOG, CatalogError
from ontrack.offenses.services import load_offense_catalog


class Command(OnTrackCommand):
    help = "Load the offense catalog file into the database (safe to repeat)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--path", type=Path, default=DEFAULT_CATALOG)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=BAD_INPUT)
        try:
            result = load_offense_catalog(actor=self.actor(options["actor"]), path=path)
        except CatalogError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc
        self.stdout.write(
            f"offense catalog {path.name} (sha256 {result.sha256[:12]}): "
            f"{result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.removed} removed"
        )
