"""Playing program histories through the services: every path ends in its state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.models import Enrollment, Transition
from ontrack.plans.models import Event
from ontrack.synth.histories import PATHS, generate_histories
from ontrack.synth.play import Cast, play_histories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)


def test_every_path_ends_in_its_state(case_manager: Any, supervisor: Any,
                                      administrator: Any) -> None:  # fmt: skip
    frames = generate_histories(16, seed=3, today=TODAY)
    cases = [CaseFactory(case_manager=case_manager) for _ in range(16)]
    played = play_histories(frames, cases, Cast(case_manager, supervisor, administrator))

    by_case = dict(Enrollment.objects.values_list("case_id", "state"))
    expected = {"graduated_sealed": "graduated", **{f"active_{n}": "active" for n in (1, 2, 3)}}
    assert [by_case[case.pk] for case in cases] == [expected.get(p, p) for p in PATHS[:16]]
    phases = dict(Enrollment.objects.values_list("case_id", "phase"))
    assert [phases[cases[n].pk] for n in (1, 2, 6)] == [3, 1, 2]  # active_3, active_1, active_2
    assert played.enrollments == 16
    assert played.steps == Transition.objects.count() == frames["steps"].height - 16
    assert played.events == Event.objects.count() == frames["events"].height
    assert AuditEvent.objects.filter(action="enrollment.moved").count() == played.steps
