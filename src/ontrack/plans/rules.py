"""What a plan's requirements say, read as typed rules for the apps above (drug testing).

Unknown is not yes: a plan without a drug-testing requirement has no rule (``None``), not a
rule of "no tests"; a phase the rule does not name has no frequency (``None``). How a test
result counts is ``counts_as`` here (its columnar form, for many participants at once, is
in ``compliance.py``, reading the same two parameters).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ontrack.plans.models import Event, EventKind, TestResult

MISSED_COUNTS = ("positive", "missed")
DILUTE_COUNTS = ("positive", "negative", "dilute")


@dataclass(frozen=True)
class DrugTestRule:
    per_week_by_phase: dict[int, int]
    missed_counts_as: str  # one of MISSED_COUNTS
    dilute_counts_as: str  # one of DILUTE_COUNTS

    def per_week(self, phase: int | None) -> int | None:
        if phase is None:
            return None
        return self.per_week_by_phase.get(phase)


def drug_test_rule(parameters: dict[str, Any]) -> DrugTestRule:
    """The rule in a ``drug_tests`` requirement's parameters (validated when it was saved)."""
    return DrugTestRule(
        per_week_by_phase={int(k): int(v) for k, v in parameters["per_week_by_phase"].items()},
        missed_counts_as=parameters["missed_counts_as"],
        dilute_counts_as=parameters["dilute_counts_as"],
    )


def counts_as(event: Event, rule: DrugTestRule | None) -> str | None:
    """ "negative", "positive", "missed" or "dilute" for a drug-test event; None when it is
    not a drug test, is voided, or the program has not said how a missed/dilute test counts.

    All Rise Standard VII: programs commonly treat a missed or dilute test as positive; the
    program says which. With no rule, a missed or dilute test counts as nothing known, not as
    negative."""
    if event.kind != EventKind.DRUG_TEST or event.voided_at is not None:
        return None
    if event.result in (TestResult.NEGATIVE, TestResult.POSITIVE):
        return str(event.result)
    if rule is None:
        return None
    if event.result == TestResult.MISSED:
        return rule.missed_counts_as
    if event.result == TestResult.DILUTE:
        return rule.dilute_counts_as
    return None
