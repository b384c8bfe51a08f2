"""``ontrack demo_caseload``: put part of the synthetic caseload in a demo program, so that
the demo case manager has a caseload to see (``make demo``, after ``create_demo_users``).

Writes only through services, as the demo accounts whose role allows each step: the demo
administrator creates the program and adds the case manager (``accounts.manage_staff``), the
demo supervisor places and assigns cases and seals one (``cases.assign_case``,
``cases.restrict_case``). It relies on no privilege of the CLI's system account.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from ontrack.accounts.commands import BAD_INPUT, OnTrackCommand
from ontrack.accounts.models import User
from ontrack.cases.models import Case, Restriction
from ontrack.cases.services import assign_case, set_restriction
from ontrack.programs.memberships import set_programs
from ontrack.programs.models import Program
from ontrack.programs.services import create_program

PROGRAM = "back-on-track-demo"
ADMINISTRATOR, SUPERVISOR, CASE_MANAGER = (
    "demo-administrator",
    "demo-supervisor",
    "demo-case-manager",
)


def demo_accounts() -> dict[str, User]:
    """The active demo accounts the demo commands act as, or the command's error naming the
    missing ones (``ontrack create_demo_users`` makes them)."""
    accounts = {u.username: u for u in User.objects.filter(is_active=True)}
    missing = [n for n in (ADMINISTRATOR, SUPERVISOR, CASE_MANAGER) if n not in accounts]
    if missing:
        raise CommandError(
            f"no active demo account {', '.join(missing)}: run ontrack create_demo_users",
            returncode=BAD_INPUT,
        )
    return accounts


class Command(OnTrackCommand):
    help = "Place synthetic cases in a demo program and give the demo case manager a caseload."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--cases", type=int, default=200, help="cases placed in the program")
        parser.add_argument("--assigned", type=int, default=25, help="of those, assigned")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("the demo caseload is never made in production", returncode=2)
        if not 0 <= options["assigned"] <= options["cases"]:
            raise CommandError("--assigned must be between 0 and --cases", returncode=BAD_INPUT)
        accounts = demo_accounts()
        administrator, supervisor = accounts[ADMINISTRATOR], accounts[SUPERVISOR]
        case_manager = accounts[CASE_MANAGER]
        program = Program.objects.filter(slug=PROGRAM).first()
        if program is None:
            program = create_program(actor=administrator, slug=PROGRAM, name="Back on Track (demo)")
            current = case_manager.program_memberships.values_list("program__slug", flat=True)
            set_programs(
                actor=administrator,
                username=case_manager.username,
                programs=[*current, PROGRAM],
            )
        if Case.objects.filter(program=program).exists():
            self.stdout.write(f"The demo program {program} already has its cases.")
            return
        cases = list(Case.objects.filter(program__isnull=True).order_by("pk")[: options["cases"]])
        if not cases:
            raise CommandError("no synthetic cases to place: run ontrack synth", returncode=2)
        for n, case in enumerate(cases):
            mine = n < options["assigned"]
            assign_case(
                actor=supervisor,
                case=case,
                expected_version=case.row_version,
                program=program,
                case_manager=case_manager if mine else None,
            )
        # One sealed case in the intake: hidden from the case manager, and from the supervisor
        # until they state a purpose (cases/visibility.py).
        sealed = cases[-1]
        sealed.refresh_from_db()
        set_restriction(
            actor=supervisor,
            case=sealed,
            expected_version=sealed.row_version,
            restriction=Restriction.SEALED,
            reason="demo: a sealed record, to show the restriction",
        )
        assigned = min(options["assigned"], len(cases))
        self.stdout.write(
            f"Demo program {program}: {len(cases)} cases, {assigned} assigned to "
            f"{CASE_MANAGER}, the rest its intake; case {sealed} is sealed. Cases outside the "
            "program are seen by supervisors and auditors only."
        )
