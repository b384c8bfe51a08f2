"""``ontrack build_catalog``: rebuild the shipped catalog rows from a DOJ offense code table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ontrack.accounts.commands import BAD_INPUT
from ontrack.offenses.build import BUILT, DEFAULT_SOURCE, CatalogBuildError, build_catalog


class Command(BaseCommand):
    help = (
        "Build src/ontrack/offenses/data/doj-offense-codes.csv from the California DOJ "
        "offense code table (a developer step: the product reads only the built file)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
        parser.add_argument("--output", type=Path, default=BUILT, help=argparse_suppress())

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"]
        if not source.is_file():
            raise CommandError(f"{source}: no such file", returncode=BAD_INPUT)
        try:
            result = build_catalog(source, options["output"])
        except CatalogBuildError as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc
        self.stdout.write(
            f"{result.output.name}: {result.rows} rows from {source.name} "
            f"(sha256 {result.sha256[:12]}), {result.addressable} read as statute codes"
        )


def argparse_suppress() -> str:
    import argparse

    return argparse.SUPPRESS
