"""Reads for the home pages, the queues and "How many?": each through
``cases.selectors.visible_cases`` (what the actor may not see is absent, and not counted),
except ``deidentified_count``, which counts every case for ``queues.view_deidentified_counts``
and returns numbers only.

The parts of the intake queue, precisely (``docs/queues.md``):

- *awaiting screening*: never screened (no screening under any policy);
- *needs information*: the decision in force is "needs information" (the missing facts are
  the latest screening's);
- *awaiting a decision*: the latest screening computed eligible or ineligible and no
  override is in force — a recommendation nobody has acted on. Until the program lifecycle
  records an offer, the only act on a recommendation is a supervisor's override; this is
  also the supervisor's *recommendations* part.

A case is in at most one part; a case with an override in force is in none (it is decided)
and is on the supervisor's *overrides in force*, and also on *re-screen conflicts* when a
later screening computed something else (``eligibility/decision.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ontrack.cases.models import Case
from ontrack.cases.selectors import visible_cases
from ontrack.eligibility.derive import facts_of_cases
from ontrack.eligibility.engine import ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION
from ontrack.eligibility.models import Screening
from ontrack.eligibility.selectors import cases_facts
from ontrack.eligibility.simulate import suppress_row
from ontrack.programs.models import Program
from ontrack.queues.decided import with_decision
from ontrack.queues.forms import question_from
from ontrack.queues.listing import among
from ontrack.queues.question import Question

# What each part is, as a condition on ``with_decision``'s annotations (the one place).
NEEDS_INFO = Q(decision=NEEDS_INFORMATION)
AWAITING_DECISION = Q(latest_result__in=[ELIGIBLE, INELIGIBLE], override_result__isnull=True)
OVERRIDDEN = Q(override_result__isnull=False)
CONFLICT = Q(conflict=True)
# Screened at all (awaiting screening is ~SCREENED). Every other part is about screened
# cases, so the selectors narrow to these (or their complement) first: the decision's correlated
# subqueries then run for the few screened cases, not for every case a supervisor sees
# (at 100,000 cases the start page took 0.6 s without it; benchmarks/web.py).
# ``pk IN (screened case ids)``, not a correlated EXISTS: the database reads the few screened
# ids once and looks the cases up, instead of probing once per case (screening.case_id is
# never NULL, so NOT IN is exact).
SCREENED = Q(pk__in=Screening.objects.values("case_id"))


def decided_cases(*, actor: Any, policy: str | None = None) -> QuerySet[Case]:
    """Every case the actor may see, with its decision in force (``queues.decided``)."""
    return with_decision(visible_cases(actor=actor), policy)


def _screened(actor: Any) -> QuerySet[Case]:
    return with_decision(visible_cases(actor=actor).filter(SCREENED))


def awaiting_screening(*, actor: Any) -> QuerySet[Case]:
    # Never screened, under any policy; the list still shows the (empty) decision columns.
    return with_decision(visible_cases(actor=actor).filter(~SCREENED))


def needs_information(*, actor: Any) -> QuerySet[Case]:
    return _screened(actor).filter(NEEDS_INFO)


def awaiting_decision(*, actor: Any) -> QuerySet[Case]:
    return _screened(actor).filter(AWAITING_DECISION)


def overrides_in_force(*, actor: Any) -> QuerySet[Case]:
    return _screened(actor).filter(OVERRIDDEN)


def rescreen_conflicts(*, actor: Any) -> QuerySet[Case]:
    return _screened(actor).filter(CONFLICT)


def queue_counts(*, actor: Any) -> dict[str, int]:
    """The size of every part, for the home page: two queries. Awaiting screening is the
    visible cases less the screened ones, so no per-case subquery runs over every case a
    supervisor sees (at 100,000 cases that alone took 0.14 s on PostgreSQL)."""
    cases = visible_cases(actor=actor).aggregate(cases=Count("pk"))["cases"]
    screened = _screened(actor).aggregate(
        screened=Count("pk"),
        needs_information=Count("pk", filter=NEEDS_INFO),
        awaiting_decision=Count("pk", filter=AWAITING_DECISION),
        overrides_in_force=Count("pk", filter=OVERRIDDEN),
        rescreen_conflicts=Count("pk", filter=CONFLICT),
    )
    return {
        "cases": cases,
        "awaiting_screening": cases - screened.pop("screened"),
        **screened,
    }


@dataclass(frozen=True)
class ProgramTotals:
    program: str  # the program's name; "" for cases not yet placed in one
    cases: int
    awaiting_screening: int
    needs_information: int
    awaiting_decision: int
    overrides_in_force: int


def program_totals(*, actor: Any) -> list[ProgramTotals]:
    """Per program, the visible cases and the size of each part: three queries (cases per
    program, the screened ones' parts per program, the programs' names), as ``queue_counts``."""
    everyone = visible_cases(actor=actor).values("program_id").annotate(cases=Count("pk"))
    screened = {
        row["program_id"]: row
        for row in _screened(actor)
        .values("program_id")
        .annotate(
            screened=Count("pk"),
            needs_information=Count("pk", filter=NEEDS_INFO),
            awaiting_decision=Count("pk", filter=AWAITING_DECISION),
            overrides_in_force=Count("pk", filter=OVERRIDDEN),
        )
        .order_by()
    }
    rows = list(everyone.order_by())
    names = dict(
        Program.objects.filter(pk__in=[r["program_id"] for r in rows]).values_list("pk", "name")
    )
    none = {"screened": 0, "needs_information": 0, "awaiting_decision": 0, "overrides_in_force": 0}
    totals = []
    for row in rows:
        parts = screened.get(row["program_id"], none)
        totals.append(
            ProgramTotals(
                program=names.get(row["program_id"], ""),
                cases=row["cases"],
                awaiting_screening=row["cases"] - parts["screened"],
                needs_information=parts["needs_information"],
                awaiting_decision=parts["awaiting_decision"],
                overrides_in_force=parts["overrides_in_force"],
            )
        )
    return sorted(totals, key=lambda t: t.program)


# --- "How many?" -------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """For roles that may see names: the count, out of how many visible cases, and which."""

    count: int
    total: int
    case_ids: list[int]


@dataclass(frozen=True)
class DeidentifiedAnswer:
    """For analysts: numbers only, small cells blank (None; ``eligibility.simulate``'s
    rule): the cases that answer yes, those that do not, and every case counted."""

    count: int | None
    others: int | None
    total: int | None


def _statuses(cases: QuerySet[Case], question: Question) -> pl.DataFrame:
    """``case_id, status``: each case's status under the question's policy (one query)."""
    schema = {"case_id": pl.String(), "status": pl.String()}
    if not question.policy:
        return pl.DataFrame(schema=schema)
    field = "latest_result" if question.basis == "latest" else "decision"
    rows = list(with_decision(cases, question.policy).order_by().values_list("pk", field))
    return pl.DataFrame(
        {"case_id": [str(pk) for pk, _ in rows], "status": [s for _, s in rows]}, schema=schema
    )


def _day(referral_date: dt.date | None) -> dt.date:
    return referral_date or timezone.localdate()  # the office's day, as screening's


def how_many(*, actor: Any, question: Question, referral_date: dt.date | None = None) -> Answer:
    """The visible cases that answer ``question``, over the facts frame screening reads
    (``eligibility.selectors.cases_facts``): a fixed number of queries, whatever the rows."""
    visible = visible_cases(actor=actor)
    facts = cases_facts(actor=actor, cases=visible, referral_date=_day(referral_date))
    matching = question.matching(facts, _statuses(visible, question))
    ids = [int(i) for i in matching.get_column("case_id").to_list()]
    return Answer(count=matching.height, total=facts.height, case_ids=ids)


def how_many_cases(*, actor: Any, params: Any) -> QuerySet[Case]:
    """The list behind a "How many?" answer (nothing for parameters that ask nothing)."""
    question = question_from(params)
    if question is None:
        return Case.objects.none()
    ids = how_many(actor=actor, question=question).case_ids
    return decided_cases(actor=actor).filter(among(ids))


def deidentified_count(
    *, actor: Any, question: Question, referral_date: dt.date | None = None
) -> DeidentifiedAnswer:
    """The answer counted over every case, sealed ones included (de-identified statistics
    survive sealing; DESIGN.md principle 6, issue 10), for ``queues.view_deidentified_counts``
    only; small cells blank so that none can be derived from what is shown (ADR 0019). No
    name, docket or id leaves this function. An actor without the permission gets nothing."""
    if not (actor.is_active and actor.has_perm("queues.view_deidentified_counts")):
        return DeidentifiedAnswer(None, None, None)
    every = Case.objects.all()
    facts = facts_of_cases(every, _day(referral_date))
    count = question.matching(facts, _statuses(every, question)).height
    (shown, others), total = suppress_row([count, facts.height - count])
    return DeidentifiedAnswer(count=shown, others=others, total=total)
