"""Reads for eligibility: case facts (derived as frames, ``derive.py``), screenings and the
facts staff recorded, each filtered to what the actor may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.db.models import Prefetch, QuerySet

from ontrack.cases.models import Case
from ontrack.cases.selectors import visible_cases
from ontrack.common.errors import NotFound
from ontrack.eligibility.decision import Decision, decision_in_force
from ontrack.eligibility.derive import facts_of_cases
from ontrack.eligibility.models import CaseFact, Screening, ScreeningOverride

# A screening's overrides with who made and who withdrew them, in one query per relation.
_OVERRIDES = Prefetch(
    "overrides",
    queryset=ScreeningOverride.objects.select_related("actor", "withdrawn_by").order_by(
        "-created_at", "-id"
    ),
)


def case_facts(*, actor: Any, case: Case, referral_date: dt.date) -> pl.DataFrame:
    """One case's facts as a typed one-row frame (the engine's input); no row when the actor
    may not see the case."""
    return facts_of_cases(visible_cases(actor=actor).filter(pk=case.pk), referral_date)


def cases_facts(*, actor: Any, cases: QuerySet[Case], referral_date: dt.date) -> pl.DataFrame:
    """Facts for many cases (bulk screening of an imported caseload): the same derivation,
    one query per table, of only those ``cases`` the actor may see (birth dates among them)."""
    return facts_of_cases(cases & visible_cases(actor=actor), referral_date)


def screenings_of(*, actor: Any, case: Case) -> list[Screening]:
    return list(
        Screening.objects.filter(case=case, case__in=visible_cases(actor=actor))
        .select_related("policy_version", "actor")
        .prefetch_related(_OVERRIDES).order_by("-created_at", "-id")
    )  # fmt: skip


def decision_of(*, actor: Any, case: Case) -> Decision | None:
    """The case's decision in force (``decision.decision_in_force``), or ``None`` when it was
    never screened or the actor may not see it. Two queries, however many screenings."""
    return decision_in_force(screenings_of(actor=actor, case=case))


def cases_for_review(*, actor: Any) -> list[Decision]:
    """Cases the actor may see whose latest screening conflicts with the override in force,
    oldest override first (waiting longest). Three queries, however many cases."""
    overridden = ScreeningOverride.objects.filter(withdrawn_at__isnull=True).values(
        "screening__case_id"
    )
    cases = (
        visible_cases(actor=actor)
        .filter(pk__in=overridden)
        .select_related("defendant")
        .prefetch_related(
            Prefetch(
                "screenings",
                queryset=Screening.objects.select_related("policy_version", "actor")
                .prefetch_related(_OVERRIDES)
                .order_by("-created_at", "-id"),
            )
        )
    )
    decisions = [decision_in_force(list(case.screenings.all())) for case in cases]
    conflicts = [d for d in decisions if d is not None and d.conflict]
    return sorted(conflicts, key=lambda d: (d.override.created_at, d.override.pk))  # type: ignore[union-attr]


def get_screening(*, actor: Any, screening_id: int) -> Screening:
    """One screening the actor may see, with its case, version, author and overrides (three
    queries); ``NotFound`` when it is missing or not visible (the two look alike)."""
    screening = (
        Screening.objects.filter(pk=screening_id, case__in=visible_cases(actor=actor))
        .select_related("case__defendant", "policy_version", "actor")
        .prefetch_related(_OVERRIDES)
        .first()
    )
    if screening is None:
        raise NotFound
    return screening


def recorded_facts(*, actor: Any, case_id: int) -> list[CaseFact]:
    return list(
        CaseFact.objects.filter(case_id=case_id, case__in=visible_cases(actor=actor))
        .select_related("actor")
        .order_by("-recorded_at", "-id")
    )
