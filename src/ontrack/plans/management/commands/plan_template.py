"""``ontrack plan-template PROGRAM FILE --reason TEXT``: publish a new version of a program's
plan template from YAML (``requirements: [{kind, label, parameters}]``), e.g. the demo's
``src/ontrack/plans/data/default_template.yaml``. Refusals exit 2 and change nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError, CommandParser

from ontrack.accounts.commands import OnTrackCommand
from ontrack.common.errors import ValidationFailed
from ontrack.plans.plan_services import publish_plan_template
from ontrack.programs.models import Program


class Command(OnTrackCommand):
    help = "Publish a program's plan template from a YAML file (a new version each time)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("program", help="the program's slug")
        parser.add_argument("file", type=Path)
        parser.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.actor(options["actor"])
        try:
            data = yaml.safe_load(options["file"].read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise CommandError(f"{options['file']}: {error}", returncode=2) from None
        program = Program.objects.filter(slug=options["program"]).first()
        if program is None:
            raise CommandError(f"no program {options['program']!r}", returncode=2)
        requirements = data.get("requirements") if isinstance(data, dict) else None
        try:
            template = publish_plan_template(
                actor=actor, program_id=program.pk, requirements=requirements,
                reason=options["reason"],
            )  # fmt: skip
        except ValidationFailed as refused:
            lines = "; ".join(f"{k}: {v}" for k, v in refused.problems.items())
            raise CommandError(lines, returncode=2) from None
        self.stdout.write(
            f"{program.slug}: plan template version {template.version} "
            f"({len(template.requirements)} requirements)"
        )
