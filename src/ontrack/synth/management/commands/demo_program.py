"""``ontrack demo_program``: play synthetic program histories onto the demo case manager's
cases (``make demo``, after ``demo_caseload``), so the demo shows participants in every state
of the lifecycle with realistic events. Every write goes through the services, as the demo
accounts (``synth/play.py``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from ontrack.accounts.commands import BAD_INPUT, OnTrackCommand
from ontrack.cases.management.commands.demo_caseload import (
    ADMINISTRATOR,
    CASE_MANAGER,
    PROGRAM,
    SUPERVISOR,
    demo_accounts,
)
from ontrack.cases.models import Case
from ontrack.common.site import office_today
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.models import Enrollment
from ontrack.programs.models import Program
from ontrack.synth.histories import generate_histories
from ontrack.synth.play import Cast, play_histories, prepare_program


class Command(OnTrackCommand):
    help = "Play synthetic program histories onto the demo case manager's cases."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--participants", type=int, default=25, help="how many histories")
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same histories")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo histories are never made in production", returncode=2)
        if options["participants"] < 1:
            raise CommandError("--participants must be at least 1", returncode=BAD_INPUT)
        accounts = demo_accounts()
        cases = list(
            Case.objects.filter(
                program__slug=PROGRAM, case_manager=accounts[CASE_MANAGER]
            ).order_by("pk")[: options["participants"]]
        )
        if not cases:
            raise CommandError("the demo case manager has no cases: run ontrack demo_caseload",
                               returncode=BAD_INPUT)  # fmt: skip
        if Enrollment.objects.filter(case__in=cases).exists():
            self.stdout.write("The demo program already has its participants.")
            return
        frames = generate_histories(len(cases), seed=options["seed"], today=office_today())
        cast = Cast(accounts[CASE_MANAGER], accounts[SUPERVISOR], accounts[ADMINISTRATOR])
        # Places for every participant and a few to spare: the waitlist is shown by the
        # history that is put on it, not by a full program.
        prepare_program(Program.objects.get(slug=PROGRAM), cast, places=len(cases) + 5)
        played = play_histories(frames, cases, cast)
        states = ", ".join(
            f"{n} {State(state).label.lower()}" for state, n in sorted(played.by_state.items())
        )
        self.stdout.write(
            f"Demo program: {played.enrollments} participants ({states}); "
            f"{played.steps} moves, {played.events} events, {played.hearings} hearings ahead and "
            f"{played.notes} notes recorded through the services."
        )
        for refused in played.refused:
            self.stderr.write(f"Not played, the rules refused it: {refused}")
