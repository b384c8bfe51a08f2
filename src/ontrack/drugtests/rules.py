"""How a drug-test event counts, in one place (each program decides for missed and dilute
tests: its plan's drug-testing rule, ``plans/rules.py``).

All Rise Standard VII: programs commonly treat a missed or dilute test as positive; the
program says which. Unknown is not yes: with no rule, a missed or dilute test counts as
nothing known (``None``), not as negative.
"""

from __future__ import annotations

from ontrack.plans.models import Event, EventKind, TestResult
from ontrack.plans.rules import DrugTestRule


def counts_as(event: Event, rule: DrugTestRule | None) -> str | None:
    """ "negative", "positive", "missed" or "dilute" for a drug-test event; None when it is
    not a drug test, is voided, or the program has not said how a missed/dilute test counts."""
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
