"""The decision in force as SQL annotations, so that queues filter, sort and page in the
database (ADR 0050).

The rule is ``eligibility/decision.py::decision_in_force``: the latest screening's result
unless the newest override of any of the case's screenings is in force (not withdrawn); a
conflict when that override was made on an earlier screening and the latest computed
something else. This module reads the same rule off the same rows, per case, in one query;
``queues/tests/test_decided.py`` checks it against ``decision_in_force`` state by state, so
the two cannot drift unnoticed.
"""

from __future__ import annotations

from django.db.models import Case as When_
from django.db.models import (
    CharField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ontrack.cases.models import Case
from ontrack.eligibility.models import Screening, ScreeningOverride


def _latest(policy: str | None) -> QuerySet[Screening]:
    latest = Screening.objects.filter(case=OuterRef("pk"))
    if policy:
        latest = latest.filter(policy_version__policy=policy)
    return latest.order_by("-created_at", "-id")


def _newest_override(policy: str | None) -> QuerySet[ScreeningOverride]:
    newest = ScreeningOverride.objects.filter(screening__case=OuterRef("pk"))
    if policy:
        newest = newest.filter(screening__policy_version__policy=policy)
    return newest.order_by("-created_at", "-id")


def with_decision(cases: QuerySet[Case], policy: str | None = None) -> QuerySet[Case]:
    """``cases`` annotated, from their screenings (under ``policy`` only, when named):

    - ``latest_id``, ``latest_result``, ``latest_at``, ``latest_missing`` — the latest
      screening (all NULL when never screened: unknown is not a decision);
    - ``override_result``, ``override_screening`` — the override in force (NULL when none);
    - ``decision`` — the decision in force; ``conflict`` — a re-screen disagrees with it.
    """
    latest = _latest(policy)
    newest = _newest_override(policy)
    in_force = newest.annotate(
        open_result=When_(
            When(withdrawn_at__isnull=True, then=F("result")),
            default=Value(None),
            output_field=CharField(),
        ),
        open_screening=When_(When(withdrawn_at__isnull=True, then=F("screening_id")), default=None),
    )
    return cases.annotate(
        latest_id=Subquery(latest.values("id")[:1]),
        latest_result=Subquery(latest.values("result")[:1]),
        latest_at=Subquery(latest.values("created_at")[:1]),
        latest_missing=Subquery(latest.values("missing")[:1]),
        override_result=Subquery(in_force.values("open_result")[:1]),
        override_screening=Subquery(in_force.values("open_screening")[:1]),
    ).annotate(
        decision=Coalesce("override_result", "latest_result"),
        conflict=When_(
            When(
                Q(override_result__isnull=False)
                & ~Q(override_screening=F("latest_id"))
                & ~Q(override_result=F("latest_result")),
                then=Value(True),
            ),
            default=Value(False),
        ),
    )
