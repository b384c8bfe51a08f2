"""API v1 enrollments: list, read, transitions, a move and a refused move (nothing saved)."""

from __future__ import annotations

from typing import Any

import pytest

from ontrack.api.tests.helpers import Api, token_for
from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.enrollments.tests.helpers import everything
from ontrack.plans.models import Requirement

pytestmark = pytest.mark.django_db


def test_list_read_move_and_transitions(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    # A promotion needs the phase's criteria in the plan (plans/guards.py).
    criteria = {"count": 2, "promotion": {"1": {"min_days": 1}}}
    Requirement.objects.create(
        enrollment=enrollment, kind="phases", label="Two phases", parameters=criteria
    )
    api = Api(token_for(case_manager))
    listed = api.get("enrollments").json()
    assert (listed["count"], listed["results"][0]["id"]) == (1, enrollment.pk)
    read = api.get(f"enrollments/{enrollment.pk}").json()
    assert (read["state"], read["phase"]) == ("active", 1)
    moved = api.post(f"enrollments/{enrollment.pk}/moves",
                     {"to_state": "active", "on": "2025-07-01", "reason": "Phase 1 done",
                      "to_phase": 2})  # fmt: skip
    assert moved.status_code == 201
    assert (moved.json()["from_phase"], moved.json()["to_phase"]) == (1, 2)
    transitions = api.get(f"enrollments/{enrollment.pk}/transitions").json()
    assert [(t["from_state"], t["to_state"], t["by"]) for t in transitions["results"]] == [
        ("active", "active", "case_manager-user")
    ]


def test_a_refused_move_is_422_and_saves_nothing(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager),
                                   state=State.TRIAL_PERIOD)  # fmt: skip
    api = Api(token_for(case_manager))
    before = everything()
    response = api.post(f"enrollments/{enrollment.pk}/moves", {
        "to_state": "plea_entered", "on": "2025-07-01", "court": "Dept. 12", "judge": "Ortiz",
        "defense_attorney": "PD Lee", "interpreter": "R. Chan",
        "advisements": {"immigration_consequences": "Ortiz"}})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"]["language"] == (
        "an interpreter interprets a language: say which")  # fmt: skip
    assert everything() == before
