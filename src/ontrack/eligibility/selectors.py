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
from ontrack.eligibility.derive import facts_of_cases
from ontrack.eligibility.models import CaseFact, Screening


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
        .prefetch_related("overrides__actor").order_by("-created_at", "-id")
    )  # fmt: skip


def get_screening(*, actor: Any, screening_id: int) -> Screening:
    """One screening the actor may see, with its case, version, author and overrides (three
    queries); ``NotFound`` when it is missing or not visible (the two look alike)."""
    from ontrack.eligibility.models import ScreeningOverride

    screening = (
        Screening.objects.filter(pk=screening_id, case__in=visible_cases(actor=actor))
        .select_related("case__defendant", "policy_version", "actor")
        .prefetch_related(
            Prefetch(
                "overrides",
                queryset=ScreeningOverride.objects.select_related("actor").order_by(
                    "-created_at", "-id"
                ),
            )
        )
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
