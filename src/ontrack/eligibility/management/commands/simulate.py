"""``ontrack simulate FACTS --policy SLUG --from LABEL --to LABEL [--by COL,…] [--out FILE]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import CommandError, CommandParser

from ontrack.accounts.commands import BAD_INPUT, OnTrackCommand
from ontrack.eligibility.facts import read_facts
from ontrack.eligibility.management.commands.screen import input_errors
from ontrack.eligibility.policy import example_note, load_policy, version_by_label
from ontrack.eligibility.screen_file import check_out, write_frame
from ontrack.eligibility.simulate import SMALL_CELL, judge_both, transition_table

NOT_RECORDED = "(not recorded)"


class Command(OnTrackCommand):
    help = "Every case under two policy versions: the transition table, overall and by group."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("facts", type=Path)
        parser.add_argument("--policy", required=True)
        parser.add_argument("--from", dest="from_label", required=True)
        parser.add_argument("--to", dest="to_label", required=True)
        parser.add_argument("--by", default="", help="comma-separated columns to break down by")
        parser.add_argument("--out", type=Path)
        parser.add_argument(
            "--no-suppress", action="store_true", help=f"show cells under {SMALL_CELL}"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        by = [c.strip() for c in options["by"].split(",") if c.strip()]
        with input_errors("simulated"):
            check_out(options["out"])
            versions = load_policy(options["policy"])
            chosen = [version_by_label(versions, options[k]) for k in ("from_label", "to_label")]
            if note := example_note(chosen):
                self.stderr.write(note)
            facts = read_facts(options["facts"])
            unknown = [c for c in by if c not in facts.columns]
            if unknown:
                raise CommandError(
                    f"--by: no column {', '.join(unknown)} in {options['facts'].name}",
                    returncode=BAD_INPUT,
                )
            suppress = not options["no_suppress"]
            # One pair of screenings serves the overall table and the breakdown.
            judged = judge_both(facts, versions, options["from_label"], options["to_label"])
            frames = [transition_table(facts, judged, None, suppress)]
            if by:
                grouped = transition_table(facts, judged, by, suppress)
                # A blank group value would print like the overall rows (blank group columns).
                frames.append(
                    grouped.with_columns(
                        pl.col(c).cast(pl.String).fill_null(NOT_RECORDED) for c in by
                    )
                )

        table = pl.concat(frames, how="diagonal_relaxed")
        if by:
            table = table.select(*by, *[c for c in table.columns if c not in by])
        write_frame(table, options["out"], self.stdout)
        if suppress:
            self.stderr.write(
                f"cells under {SMALL_CELL} are suppressed (blank), with other cells and whole "
                "group rows so that no blank can be worked out from the rest; --no-suppress "
                "shows them"
            )
