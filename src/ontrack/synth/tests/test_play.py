"""Playing program histories through the services: every path ends in its state, the
rules of each step (the decision before an offer, the plea's advisements, the plan before
graduation) enforced on the way, and the sealed graduate's case sealed."""

from __future__ import annotations

from typing import Any

import pytest

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory, ChargeFactory
from ontrack.enrollments.models import Enrollment, SealingRequest, Transition
from ontrack.hearings.models import Hearing
from ontrack.notes.models import Note
from ontrack.plans.models import Event
from ontrack.programs.models import Program
from ontrack.synth.histories import PATHS, generate_histories
from ontrack.synth.play import Cast, play_histories, prepare_program

pytestmark = pytest.mark.django_db


def test_every_path_ends_in_its_state(case_manager: Any, supervisor: Any, administrator: Any,
                                      catalog: None) -> None:  # fmt: skip
    from django.utils import timezone

    today = timezone.localdate()
    frames = generate_histories(16, seed=3, today=today)
    cases = [CaseFactory(case_manager=case_manager) for _ in range(16)]
    for case in cases:
        ChargeFactory(case=case)
    cast = Cast(case_manager, supervisor, administrator)
    prepare_program(Program.objects.get(pk=cases[0].program_id), cast, places=20)
    played = play_histories(frames, cases, cast)

    assert played.refused == []
    by_case = dict(Enrollment.objects.values_list("case_id", "state"))
    expected = {"graduated_sealed": "graduated", **{f"active_{n}": "active" for n in (1, 2, 3)}}
    assert [by_case[case.pk] for case in cases] == [expected.get(p, p) for p in PATHS[:16]]
    phases = dict(Enrollment.objects.values_list("case_id", "phase"))
    assert [phases[cases[n].pk] for n in (1, 2, 6)] == [3, 1, 2]  # active_3, active_1, active_2
    assert played.enrollments == 16
    assert played.steps == Transition.objects.count() == frames["steps"].height - 16
    assert played.events == Event.objects.count() == frames["events"].height
    assert played.hearings == Hearing.objects.count()
    assert played.notes == Note.objects.count() == frames["notes"].height
    assert AuditEvent.objects.filter(action="enrollment.moved").count() == played.steps
    # The first path is the graduate whose arrest is sealed; the sixth graduated only.
    assert list(SealingRequest.objects.order_by("pk").values_list("status", flat=True)) == [
        "ordered", "requested"]  # fmt: skip
    assert Case.objects.get(pk=cases[0].pk).restriction == "sealed"
