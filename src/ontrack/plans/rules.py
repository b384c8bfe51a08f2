"""What a plan's requirements say, read as typed rules for the apps above (drug testing).

Unknown is not yes: a plan without a drug-testing requirement has no rule (``None``), not a
rule of "no tests"; a phase the rule does not name has no frequency (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
