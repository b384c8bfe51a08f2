"""Hand-built cases, one in each state a queue distinguishes (what the tests share)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ontrack.cases.models import Case
from ontrack.cases.tests.factories import program_with
from ontrack.eligibility import services
from ontrack.eligibility.tests.helpers import POLICY, prepared_case
from ontrack.people.models import Person


@dataclass
class Cases:
    never: Case  # never screened: awaiting screening
    missing: Case  # screened, work authorization not known: needs information
    eligible: Case  # work authorization verified, screened eligible: awaiting a decision
    overridden: Case  # needs information, overridden to eligible: decided
    conflict: Case  # overridden to ineligible, re-screened eligible: a re-screen conflict


def verify(actor: Any, case: Case, value: str = "verified") -> None:
    services.record_case_fact(
        actor=actor, case=case, fact="work_authorization", value=value, method="I-9 reviewed"
    )


def build(case_manager: Any, supervisor: Any, prefix: str = "CRI-2026-9") -> Cases:
    program = program_with(case_manager)
    made = []
    for i, family in enumerate(["Abara", "Baca", "Cota", "Duran", "Estrada"]):
        case = prepared_case(f"{prefix}0000{i}")
        Case.objects.filter(pk=case.pk).update(program=program, case_manager=case_manager)
        Person.objects.filter(pk=case.defendant_id).update(family_name=family)
        made.append(Case.objects.get(pk=case.pk))
    never, missing, eligible, overridden, conflict = made
    services.screen_case(actor=case_manager, case=missing, policy=POLICY)
    verify(case_manager, eligible)
    services.screen_case(actor=case_manager, case=eligible, policy=POLICY)
    first = services.screen_case(actor=case_manager, case=overridden, policy=POLICY)
    services.override_screening(
        actor=supervisor, screening=first, result="eligible", reason="I-9 seen in court"
    )
    before = services.screen_case(actor=case_manager, case=conflict, policy=POLICY)
    services.override_screening(
        actor=supervisor, screening=before, result="ineligible", reason="pending hold"
    )
    verify(case_manager, conflict)
    services.screen_case(actor=case_manager, case=conflict, policy=POLICY)  # eligible now
    return Cases(never, missing, eligible, overridden, conflict)
