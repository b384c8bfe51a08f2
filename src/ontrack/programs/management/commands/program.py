"""``ontrack program``: the programs cases are placed in (CJIS AC-2, AC-3).

    ontrack program add SLUG --name NAME [--colleagues-see-caseloads]
    ontrack program sharing SLUG on|off     # colleagues see each other's caseloads, or not
    ontrack program capacity SLUG N|unset  # how many places (unset: unknown, no offers)
    ontrack program list

Which program a case belongs to, and whether its case managers see each other's caseloads,
decide who sees the case (``cases/visibility.py``), so programs are managed like accounts:
``accounts.manage_staff`` (the system account holds it), every change audited, refusals exit 2
and change nothing. Members are set per account: ``ontrack staff add --program`` or the
``/staff/`` pages.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.db.models import Count

from ontrack.accounts.commands import OnTrackCommand, actions
from ontrack.common.errors import ValidationFailed
from ontrack.common.services import ensure_permission
from ontrack.programs.models import Program
from ontrack.programs.selectors import program_choices
from ontrack.programs.services import create_program, set_capacity, set_caseload_sharing

# No case counts: counts of cases go through the visibility rule, and administrators see none.
COLUMNS = ("slug", "name", "colleagues_see_caseloads", "members")


class Command(OnTrackCommand):
    help = "Add programs, decide whether colleagues see each other's caseloads, list programs."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        action = actions(parser)

        add = action("add", "create a program")
        add.add_argument("slug")
        add.add_argument("--name", required=True)
        add.add_argument(
            "--colleagues-see-caseloads",
            action="store_true",
            help="case managers see each other's caseloads (default: only their own)",
        )
        sharing = action("sharing", "whether colleagues see each other's caseloads")
        sharing.add_argument("slug")
        sharing.add_argument("setting", choices=("on", "off"))
        capacity = action("capacity", "how many places the program has (unset: unknown)")
        capacity.add_argument("slug")
        capacity.add_argument("places", help="a number, or 'unset'")
        action("list", "list programs (tab-separated, with a header)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.actor(options["actor"])
        if options["action"] == "add":
            program = create_program(
                actor=actor,
                slug=options["slug"],
                name=options["name"],
                colleagues_see_caseloads=options["colleagues_see_caseloads"],
            )
            self.stdout.write(f"{program.slug}: created ({_sharing(program)})")
        elif options["action"] == "sharing":
            program = set_caseload_sharing(
                actor=actor, slug=options["slug"], share=options["setting"] == "on"
            )
            self.stdout.write(f"{program.slug}: {_sharing(program)}")
        elif options["action"] == "capacity":
            places = options["places"]
            if places != "unset" and not places.isdigit():
                raise ValidationFailed({"capacity": "give a number of places, or 'unset'"})
            program = set_capacity(
                actor=actor, slug=options["slug"],
                capacity=None if places == "unset" else int(places),
            )  # fmt: skip
            places = (
                f"{program.capacity} places" if program.capacity else "number of places not set"
            )
            self.stdout.write(f"{program.slug}: {places}")
        else:
            ensure_permission(actor, "accounts.manage_staff")  # refused, not an empty list
            self.stdout.write("\t".join(COLUMNS))
            programs = (
                program_choices(actor=actor).annotate(members=Count("memberships")).order_by("slug")
            )
            for p in programs:
                sharing = "yes" if p.colleagues_see_caseloads else "no"
                self.stdout.write("\t".join((p.slug, p.name, sharing, str(p.members))))


def _sharing(program: Program) -> str:
    if program.colleagues_see_caseloads:
        return "colleagues see each other's caseloads"
    return "each case manager sees their own caseload and the program's intake"
