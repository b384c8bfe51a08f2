"""The one place that knows each requirement kind's parameters and how they are checked.

A plan template (``PlanTemplate.requirements``) and a participant's ``Requirement`` both hold
``{kind, label, parameters}``; ``requirement_problems`` is the check both go through, so an
adjustment can never store what a template could not. Where the numbers come from:
BJA fact sheet FS 000316 (Back on Track, 2009): work or full-time school, up to 220 hours of
community service, parenting / GED classes, child support, monthly progress hearings,
regular contact with the case manager; drug testing by phase (All Rise (NADCP) Adult
Treatment Court Best Practice Standards, vol. I, standard VII: frequent, random testing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ontrack.plans.models import RequirementKind
from ontrack.plans.rules import DILUTE_COUNTS, MISSED_COUNTS

# FS 000316: "up to 220 hours" of community service; a program may ask less, not more.
MAX_SERVICE_HOURS = 220
CLASS_NAMES = ("parenting", "GED", "counseling", "anger_management", "job_readiness", "other")
MAX_PHASES = 6
# The promotion criteria a phase may name (days in the phase; consecutive days since the
# last positive or missed test; hearings attended in the phase).
PROMOTION_CRITERIA = ("min_days", "negative_tests_days", "hearings_attended")

Problems = dict[str, str]


def _int(value: Any, *, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return int(value)


def _number(value: Any, *, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        return None
    return float(value)


def _by_phase(value: Any, *, high: int) -> dict[str, int] | None:
    """``{"1": 2, "2": 1}``: phase number (as text, JSON keys) → a whole number."""
    if not isinstance(value, dict) or not value:
        return None
    for key, count in value.items():
        if not str(key).isdigit() or not 1 <= int(key) <= MAX_PHASES:
            return None
        if _int(count, low=0, high=high) is None:
            return None
    return value


def _employment(p: dict[str, Any]) -> Problems:
    problems: Problems = {}
    if _number(p.get("hours_per_week"), low=1, high=80) is None:
        problems["hours_per_week"] = "hours a week must be a number from 1 to 80"
    if not isinstance(p.get("verified_by_required"), bool):
        problems["verified_by_required"] = "say whether the employer or school must verify"
    return problems


def _service(p: dict[str, Any]) -> Problems:
    if _number(p.get("total_hours"), low=1, high=MAX_SERVICE_HOURS) is None:
        return {"total_hours": f"total hours must be a number from 1 to {MAX_SERVICE_HOURS}"}
    return {}


def _class(p: dict[str, Any]) -> Problems:
    problems: Problems = {}
    if p.get("class_name") not in CLASS_NAMES:
        problems["class_name"] = f"the class must be one of: {', '.join(CLASS_NAMES)}"
    if _int(p.get("sessions_required"), low=1, high=200) is None:
        problems["sessions_required"] = "sessions required must be a whole number from 1 to 200"
    return problems


def _child_support(p: dict[str, Any]) -> Problems:
    if _number(p.get("monthly"), low=0.01, high=100_000) is None:
        return {"monthly": "the monthly amount must be a positive number of dollars"}
    return {}


def _hearings(p: dict[str, Any]) -> Problems:
    if _by_phase(p.get("per_month_by_phase"), high=8) is None:
        return {"per_month_by_phase": "give hearings a month for each phase (0 to 8)"}
    return {}


def _contacts(p: dict[str, Any]) -> Problems:
    if _int(p.get("per_week"), low=1, high=14) is None:
        return {"per_week": "contacts a week must be a whole number from 1 to 14"}
    return {}


def _drug_tests(p: dict[str, Any]) -> Problems:
    problems: Problems = {}
    if _by_phase(p.get("per_week_by_phase"), high=7) is None:
        problems["per_week_by_phase"] = "give tests a week for each phase (0 to 7)"
    if p.get("missed_counts_as") not in MISSED_COUNTS:
        problems["missed_counts_as"] = f"a missed test counts as one of: {', '.join(MISSED_COUNTS)}"
    if p.get("dilute_counts_as") not in DILUTE_COUNTS:
        problems["dilute_counts_as"] = f"a dilute test counts as one of: {', '.join(DILUTE_COUNTS)}"
    return problems


def _phases(p: dict[str, Any]) -> Problems:
    count = _int(p.get("count"), low=1, high=MAX_PHASES)
    if count is None:
        return {"count": f"the number of phases must be from 1 to {MAX_PHASES}"}
    criteria = p.get("promotion")
    # Promotion criteria for every phase but the last (the last ends in graduation).
    if not isinstance(criteria, dict) or sorted(criteria) != [str(n) for n in range(1, count)]:
        return {"promotion": f"give promotion criteria for phases 1 to {count - 1}"}
    for phase, named in criteria.items():
        if not isinstance(named, dict) or not named:
            return {"promotion": f"phase {phase}: name at least one criterion"}
        for key, value in named.items():
            if key not in PROMOTION_CRITERIA:
                return {
                    "promotion": f"phase {phase}: {key!r} is not a promotion criterion "
                    f"({', '.join(PROMOTION_CRITERIA)})"
                }
            if _int(value, low=0, high=730) is None:
                return {"promotion": f"phase {phase}: {key} must be a whole number of 0 to 730"}
    return {}


CHECKS: dict[str, Callable[[dict[str, Any]], Problems]] = {
    RequirementKind.EMPLOYMENT_OR_SCHOOL: _employment,
    RequirementKind.COMMUNITY_SERVICE: _service,
    RequirementKind.CLASS: _class,
    RequirementKind.CHILD_SUPPORT: _child_support,
    RequirementKind.HEARINGS: _hearings,
    RequirementKind.CONTACTS: _contacts,
    RequirementKind.DRUG_TESTS: _drug_tests,
    RequirementKind.PHASES: _phases,
}


def parameter_problems(kind: str, parameters: Any) -> Problems:
    """What is wrong with ``parameters`` for ``kind`` (empty: nothing)."""
    if kind not in CHECKS:
        return {"kind": f"{kind!r} is not a kind of requirement"}
    if not isinstance(parameters, dict):
        return {"parameters": "parameters must be a mapping of names to values"}
    return CHECKS[kind](parameters)


def requirement_problems(requirement: Any, *, where: str = "") -> Problems:
    """Check one ``{kind, label, parameters}``; keys are prefixed with ``where`` (the
    requirement's position in a template) so a person sees which one is wrong."""
    prefix = f"{where}." if where else ""
    if not isinstance(requirement, dict):
        return {where or "requirement": "each requirement is a mapping of kind, label, parameters"}
    label = requirement.get("label")
    problems: Problems = {}
    if not isinstance(label, str) or not label.strip() or len(label) > 200:
        problems[f"{prefix}label"] = "give a label of up to 200 characters"
    found = parameter_problems(str(requirement.get("kind")), requirement.get("parameters"))
    problems.update({f"{prefix}{key}": message for key, message in found.items()})
    return problems
