"""``queues.decided`` reads the decision in force in SQL; ``eligibility.decision`` is the
rule. The two must agree on every state a case can be in (ADR 0050)."""

from __future__ import annotations

from typing import Any

import pytest

from ontrack.cases.models import Case
from ontrack.eligibility import services
from ontrack.eligibility.decision import decision_in_force
from ontrack.eligibility.models import Screening, ScreeningOverride
from ontrack.eligibility.tests.helpers import POLICY
from ontrack.queues.decided import with_decision
from ontrack.queues.tests.world import build, verify

pytestmark = pytest.mark.django_db


def _rule(case: Case) -> tuple[str | None, bool]:
    screenings = list(Screening.objects.filter(case=case).prefetch_related("overrides"))
    decision = decision_in_force(screenings)
    return (None, False) if decision is None else (decision.result, decision.conflict)


def _sql() -> dict[int, tuple[str | None, bool]]:
    rows: list[Any] = list(with_decision(Case.objects.all()))  # annotated: see decided.py
    return {c.pk: (c.decision, c.conflict) for c in rows}


def test_the_sql_agrees_with_the_rule_in_every_state(
    case_manager: Any, supervisor: Any, catalog: None
) -> None:
    cases = build(case_manager, supervisor)
    expected = {
        cases.never.pk: (None, False),
        cases.missing.pk: ("needs_information", False),
        cases.eligible.pk: ("eligible", False),
        cases.overridden.pk: ("eligible", False),
        cases.conflict.pk: ("ineligible", True),
    }
    assert _sql() == expected
    assert {pk: _rule(Case.objects.get(pk=pk)) for pk in expected} == expected
    # Withdrawn: the latest screening decides again (never an older override).
    in_force = ScreeningOverride.objects.get(screening__case=cases.conflict)
    services.withdraw_override(
        actor=supervisor, override=in_force, expected_version=1, reason="hold lifted"
    )
    # A re-screen that agrees with the override in force (made earlier) is no conflict.
    verify(case_manager, cases.overridden)
    services.screen_case(actor=case_manager, case=cases.overridden, policy=POLICY)
    assert _sql()[cases.overridden.pk] == ("eligible", False)
    # A newer override replaces the older one.
    latest = Screening.objects.filter(case=cases.overridden).latest("created_at", "id")
    services.override_screening(
        actor=supervisor, screening=latest, result="ineligible", reason="second look"
    )
    expected |= {
        cases.conflict.pk: ("eligible", False),
        cases.overridden.pk: ("ineligible", False),
    }
    assert _sql() == expected
    assert {pk: _rule(Case.objects.get(pk=pk)) for pk in expected} == expected
    annotated: Any = with_decision(Case.objects.filter(pk=cases.missing.pk)).get()
    assert annotated.latest_missing == ["work_authorization"]
