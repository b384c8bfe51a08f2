"""The world the program walk (``tests/test_program_visibility_walk.py``) runs in: the intake
walk's world (``tests/test_visibility_walk.make_world``) plus an enrollment on the visible
case and one on the hidden case. Each app's walk module adds its own records on demand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ontrack.enrollments.models import Enrollment
from ontrack.enrollments.tests.factories import EnrollmentFactory


@dataclass
class ProgramWorld:
    base: Any  # tests.test_visibility_walk.World
    actor: Any
    visible: Enrollment  # the actor may see it
    hidden: Enrollment  # same program, a colleague's case (or sealed): the actor may not
    missing: int  # an enrollment id that does not exist


def make_program_world(scenario: str) -> ProgramWorld:
    from tests.test_visibility_walk import make_world

    base = make_world(scenario)
    visible = EnrollmentFactory(case=base.visible_case)
    hidden = EnrollmentFactory(case=base.hidden_case)
    return ProgramWorld(
        base=base, actor=base.actor, visible=visible, hidden=hidden, missing=hidden.pk + 1000
    )
