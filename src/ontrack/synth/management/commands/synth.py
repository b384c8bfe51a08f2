"""``ontrack synth``: a deterministic synthetic caseload, into the database or as Parquet."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ontrack.accounts.commands import BAD_INPUT, OnTrackCommand
from ontrack.people.models import Person


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(OnTrackCommand):
    help = "Generate a synthetic caseload (Faker-based, never real people)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--people", type=_positive, required=True, help="how many people")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
        parser.add_argument("--out", type=Path, help="write files here instead of the database")
        parser.add_argument(
            "--format",
            choices=["parquet", "csv"],
            default="parquet",
            help="with --out: Parquet tables, or one CSV in the 'ontrack' import format",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=dt.date(2026, 11, 30),
            help="the 'current' date the caseload is generated up to (YYYY-MM-DD)",
        )
        parser.add_argument(
            "--skip-if-loaded",
            action="store_true",
            help="do nothing (exit 0) if the database already holds people",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from ontrack.offenses.catalog import read_catalog
        from ontrack.synth.generate import generate, make_manifest, write_parquet

        out: Path | None = options["out"]
        n, seed = options["people"], options["seed"]
        if out is None:
            existing = Person.objects.count()
            if existing and options["skip_if_loaded"]:
                self.stdout.write(f"database already holds {existing} people; nothing generated")
                return
            actor = self.actor(options["actor"])
        elif out.exists() and not out.is_dir():
            raise CommandError(f"--out {out}: exists and is not a directory", returncode=BAD_INPUT)
        started = time.perf_counter()
        columns = (
            TextColumn("{task.description:<18}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=False, disable=options["verbosity"] == 0) as bar:
            tasks: dict[str, Any] = {}
            totals: dict[str, int] = {}

            def progress(stage: str, advance: int) -> None:
                # Generation reports each frame once it is built; loading reports batches
                # against the frame's known size.
                if stage not in tasks:
                    total = totals.get(stage.removeprefix("load "), advance)
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.advance(tasks[stage], advance)

            catalog = read_catalog()
            frames = generate(n, seed, catalog=catalog, today=options["today"], progress=progress)
            totals.update({name: frame.height for name, frame in frames.items()})
            if out is not None and options["format"] == "csv":
                from ontrack.synth.export import write_caseload_csv

                rows = write_caseload_csv(frames, seed, out / "caseload.csv")
                self.stdout.write(f"{out / 'caseload.csv'}: {rows} rows (import profile 'ontrack')")
            elif out is not None:
                manifest = make_manifest(
                    people=n, seed=seed, today=options["today"], catalog_sha256=catalog.sha256
                )
                write_parquet(frames, out, manifest)
            else:
                from ontrack.synth.load import load_caseload

                load_caseload(actor=actor, frames=frames, seed=seed, progress=progress)
        counts = ", ".join(f"{frame.height} {name}" for name, frame in frames.items())
        where = str(out) if out is not None else "the database"
        elapsed = time.perf_counter() - started
        self.stdout.write(f"wrote {counts} to {where} in {elapsed:.1f} s (seed {seed})")
