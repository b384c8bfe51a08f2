"""``ontrack screen FACTS --policy SLUG [--version LABEL] [--out FILE]`` and
``ontrack screen --case DOCKET --policy SLUG`` (screens a case from the database, stored)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from ontrack.accounts.commands import BAD_INPUT, OnTrackCommand
from ontrack.cases.selectors import visible_cases
from ontrack.cases.visibility import may_see_caseload
from ontrack.eligibility.engine import screen
from ontrack.eligibility.errors import FactsRejected
from ontrack.eligibility.facts import check_plausible
from ontrack.eligibility.policy import PolicyError, example_note, load_policy
from ontrack.eligibility.screen_file import (
    OutputRefused,
    add_file_arguments,
    check_out,
    write_frame,
)
from ontrack.eligibility.screen_file import run as run_file
from ontrack.ingest.validate import ROW


@contextmanager
def input_errors(verb: str) -> Iterator[None]:
    """Policy, facts and ``--out`` problems are bad input: exit 2. (``verb`` is kept for the
    simulate command; a facts error says in its own words that nothing was screened.)"""
    try:
        yield
    except PolicyError as exc:
        raise CommandError(str(exc), returncode=BAD_INPUT) from exc
    except FactsRejected as exc:
        raise CommandError(exc.report(), returncode=BAD_INPUT) from exc
    except OutputRefused as exc:
        raise CommandError(str(exc), returncode=BAD_INPUT) from exc


def check_sources(options: dict[str, Any]) -> None:
    """Exactly one thing to screen: a facts file, ``--case`` or ``--cases-like``. Given two,
    the command would screen one and silently ignore the other."""
    given = [
        name
        for name, key in (
            ("a facts file", "facts"),
            ("--case", "case"),
            ("--cases-like", "cases_like"),
        )
        if options[key]
    ]
    if len(given) > 1:
        raise CommandError(
            f"give one of a facts file, --case or --cases-like, not {' and '.join(given)}",
            returncode=BAD_INPUT,
        )
    if options["case"] and options["out"]:
        raise CommandError(
            "--out: --case stores its screening and prints it; --out is for a facts file or "
            "--cases-like",
            returncode=BAD_INPUT,
        )


class Command(OnTrackCommand):
    help = "Screen cases against an eligibility policy (facts file, or one case from the database)."
    # Django's system checks inspect the site's configuration (URLs and every view, templates,
    # static files): a third of a small file's screening, and nothing of it is about the
    # facts, which are all checked (read_facts). `ontrack check` and the server run them.
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        # `--version LABEL` names a policy version here; it replaces Django's --version flag.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        add_file_arguments(parser)
        parser.add_argument(
            "--case",
            help="screen this case from the database (docket number or id); the decision is stored",
        )
        parser.add_argument(
            "--cases-like",
            help="screen every case whose source key matches this pattern (* = anything), e.g. "
            "'broward-compas:*:screening' (read-only: decisions are not stored)",
        )
        parser.add_argument(
            "--purpose",
            help="with --case or --cases-like: why restricted (sealed) cases are needed; stated "
            "and audited, it lets an --actor holding cases.view_restricted see them",
        )
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            help="with --case: the referral date (default today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check_sources(options)
        with input_errors("screened"):
            check_out(options["out"])  # before any read, audit row or write
            if options["case"]:
                self._screen_case(options)
                return
            if options["cases_like"]:
                versions = load_policy(options["policy"])
                # An example may screen database cases read-only, for analysis; --case (a
                # stored decision) is refused by screen_case.
                if note := example_note(versions):
                    self.stderr.write(note)
                # The derivations from the database load only here (not for a facts file).
                from ontrack.eligibility.selectors import cases_facts

                # CJIS AC-3: the export holds birth dates; it is written for a named account and
                # holds only the cases that account may see (never the system account's view).
                actor = self._reader(options, "--cases-like")
                cases = visible_cases(actor=actor)
                if options["cases_like"].strip("*"):  # "*" alone: every case, no filter
                    # A regex both SQLite (Python re) and PostgreSQL accept.
                    parts = [re.escape(p) for p in options["cases_like"].split("*")]
                    cases = cases.filter(source_key__regex="^" + ".*".join(parts) + "$")
                day = options["as_of"] or timezone.localdate()
                facts = cases_facts(actor=actor, cases=cases, referral_date=day)
                check_plausible(facts, "cases", name_cases=True)
                if facts.is_empty():
                    raise CommandError(
                        f"--cases-like: no case matches {options['cases_like']!r}",
                        returncode=BAD_INPUT,
                    )
                result = screen(facts, versions, options["label"]).drop(ROW)
                self._record_export(options, result.height)  # before delivery (CJIS AU-5)
                write_frame(result, options["out"], self.stdout)
                self._summary(result, versions, options["label"])
                return
            if options["facts"] is None:
                raise CommandError("give a facts file or --case", returncode=BAD_INPUT)
            # The same run as ``ontrack screen FACTS`` without Django's set-up (cli.py).
            run_file(
                facts=options["facts"],
                policy=options["policy"],
                label=options["label"],
                out=options["out"],
                stdout=self.stdout,
                stderr=self.stderr,
            )

    def _reader(self, options: dict[str, Any], option: str) -> Any:
        """The named account a read of cases is made for (an export, a stored screening):
        ``--actor`` is required and must be an active account that may see cases. The system
        account sees none (ADR 0038), so a default would only ever say "no case"."""
        if not options["actor"]:
            raise CommandError(
                f"{option} reads case records: give --actor, an account that may see cases "
                "(it acts only on the cases that account may see)",
                returncode=BAD_INPUT,
            )
        actor = self.actor(options["actor"])
        if not may_see_caseload(actor):
            raise CommandError(
                f"--actor: {actor.get_username()} may not see cases", returncode=BAD_INPUT
            )
        self._act_under_purpose(actor, options)
        return actor

    def _act_under_purpose(self, actor: Any, options: dict[str, Any]) -> None:
        if options["purpose"] is None:
            return
        from ontrack.cases.purpose import carry
        from ontrack.cases.services import state_purpose

        carry(actor, state_purpose(actor=actor, purpose=options["purpose"]))

    def _record_export(self, options: dict[str, Any], rows: int) -> None:
        """Database cases leave OnTrack in this output: one access row with the count
        (CJIS AU-2, ADR 0032). A facts file's screening reads no record and is not one."""
        from ontrack.audit.access import record_access

        record_access(
            actor=self.actor(options["actor"]),
            action="screen.exported",
            outcome="success",
            object_type="cases.case",
            row_count=rows,
            details={
                "cases_like": options["cases_like"],
                "policy": options["policy"],
                "out": str(options["out"]) if options["out"] else "stdout",
            },
        )

    def _summary(self, result: pl.DataFrame, versions: Any, label: str | None) -> None:
        """What drives the results: per criterion, how many cases it failed or left unknown."""
        counts = result.group_by("result").len().sort("result")
        self.stderr.write(
            f"{result.height} cases: " + ", ".join(f"{n} {r}" for r, n in counts.iter_rows())
        )
        ids = [
            c
            for c in result.columns
            if c not in {"case_id", "policy", "version", "result", "missing"}
        ]
        for cid in ids:
            col = result[cid].cast(pl.String)
            failed, unknown = int((col == "not_met").sum()), int((col == "unknown").sum())
            self.stderr.write(f"  {cid:<40} not met {failed:>6}   unknown {unknown:>6}")
        only = result.filter(pl.col("result") == "ineligible")
        sole = {
            cid: int(
                only.filter(
                    pl.sum_horizontal(
                        [(pl.col(c).cast(pl.String) == "not_met").cast(pl.Int32) for c in ids]
                    )
                    == 1
                )
                .filter(pl.col(cid).cast(pl.String) == "not_met")
                .height
            )
            for cid in ids
        }
        self.stderr.write(
            "  sole reason for ineligible: " + ", ".join(f"{k} {v}" for k, v in sole.items() if v)
        )

    def _screen_case(self, options: dict[str, Any]) -> None:
        from ontrack.eligibility.services import screen_case

        actor = self._reader(options, "--case")
        key = options["case"]
        # A case the actor may not see is "no case", exactly like a missing one (CJIS AC-3).
        visible = visible_cases(actor=actor)
        case = visible.filter(docket_number=key).first()
        if case is None and key.isdigit():
            case = visible.filter(pk=int(key)).first()
        if case is None:
            raise CommandError(f"--case: no case {key!r}", returncode=BAD_INPUT)
        screening = screen_case(
            actor=actor,
            case=case,
            policy=options["policy"],
            as_of=options["as_of"],
        )
        self.stdout.write(
            f"case {case}: {screening.result} under {screening.policy_version} "
            f"(screening {screening.pk})"
        )
        for criterion in screening.criteria:
            self.stdout.write(
                f"  {criterion['status']:<8} {criterion['id']}"
                + (f"  missing: {', '.join(criterion['missing'])}" if criterion["missing"] else "")
            )
        # The screening's own result is not always what decides the case: an override in
        # force outlives re-screens (eligibility/decision.py, ADR 0040).
        from ontrack.eligibility.selectors import decision_of

        decision = decision_of(actor=actor, case=case)
        if decision is not None:
            self.stdout.write(f"decision in force: {decision.headline}")
            if decision.conflict:
                self.stdout.write(
                    "  this screening differs from it: on the supervisors' review queue"
                )
