"""Every list of cases, declared once: its rows (a selector), its columns and its sort
(``listing.py`` is the mechanism). The URL of a list is ``/queues/<slug>/``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from ontrack.eligibility.forms import RESULT_LABELS
from ontrack.eligibility.vocabulary import VOCABULARY
from ontrack.queues import selectors
from ontrack.queues.listing import Column, ListSpec

NOT_KNOWN = "not known"


def _day(moment: dt.datetime) -> str:
    """The office's date of a moment (not UTC's), in the one date format."""
    return timezone.localdate(moment).isoformat()


def missing_in_words(names: list[str] | None) -> str:
    """The latest screening's missing facts by their meaning in the vocabulary."""
    return "; ".join(VOCABULARY[n].meaning if n in VOCABULARY else n for n in names or [])


def _staff(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else "unassigned"


DOCKET = Column(
    "docket",
    "Docket",
    lambda c: str(c),
    order="docket_number",
    link=lambda c: reverse("cases:detail", args=[c.pk]),
)
DEFENDANT = Column(
    "defendant",
    "Defendant",
    lambda c: c.defendant.list_name,
    order="defendant__family_name",
    link=lambda c: reverse("people:detail", args=[c.defendant_id]),
)
PROGRAM = Column(
    "program",
    "Program",
    lambda c: c.program.name if c.program else "not placed",
    order="program__name",
)
CASE_MANAGER = Column(
    "case_manager", "Case manager", lambda c: _staff(c.case_manager), order="case_manager__username"
)
FILED = Column(
    "filed",
    "Filed",
    lambda c: c.filing_date.isoformat() if c.filing_date else NOT_KNOWN,
    order="filing_date",
)
STATUS = Column(
    "status", "Case status", lambda c: c.get_status_display() or NOT_KNOWN, order="status"
)
SCREENED = Column(
    "screened",
    "Screened on",
    lambda c: _day(c.latest_at) if c.latest_at else "never",
    order="latest_at",
)
COMPUTED = Column(
    "computed",
    "Latest screening",
    lambda c: RESULT_LABELS.get(c.latest_result, "not screened"),
    order="latest_result",
)
DECISION = Column(
    "decision",
    "Decision in force",
    lambda c: RESULT_LABELS.get(c.decision, "not screened"),
    order="decision",
)
OVERRIDE = Column(
    "override",
    "Override in force",
    lambda c: RESULT_LABELS.get(c.override_result, "none"),
    order="override_result",
)
MISSING = Column("missing", "Missing facts", lambda c: missing_in_words(c.latest_missing))
SCREENING = Column(
    "screening",
    "Screening",
    lambda c: "open" if c.latest_id else "",
    link=lambda c: reverse("eligibility:screening", args=[c.latest_id]) if c.latest_id else "",
)

BASIC = (DOCKET, DEFENDANT, PROGRAM, CASE_MANAGER, FILED)
CASE_STAFF = "cases.view_case"
SUPERVISOR = "eligibility.override_screening"

SPECS: dict[str, ListSpec] = {
    spec.slug: spec
    for spec in (
        ListSpec(
            "caseload",
            "Caseload",
            "Every case you may see, with its decision in force.",
            CASE_STAFF,
            lambda actor, _p: selectors.decided_cases(actor=actor),
            (*BASIC, STATUS, DECISION),
            "-filed",
        ),
        ListSpec(
            "awaiting-screening",
            "Awaiting screening",
            "Cases never screened under any policy.",
            CASE_STAFF,
            lambda actor, _p: selectors.awaiting_screening(actor=actor),
            BASIC,
            "filed",
        ),
        ListSpec(
            "needs-information",
            "Needs information",
            "Cases whose decision in force is “needs information”, with the facts the latest "
            "screening was missing.",
            CASE_STAFF,
            lambda actor, _p: selectors.needs_information(actor=actor),
            (*BASIC, SCREENED, MISSING, SCREENING),
            "screened",
        ),
        ListSpec(
            "awaiting-decision",
            "Awaiting a decision",
            "Cases whose latest screening computed eligible or ineligible, with no override "
            "in force: a recommendation nobody has acted on yet.",
            CASE_STAFF,
            lambda actor, _p: selectors.awaiting_decision(actor=actor),
            (*BASIC, SCREENED, COMPUTED, SCREENING),
            "screened",
        ),
        ListSpec(
            "overrides",
            "Overrides in force",
            "Cases decided by a supervisor's override that has not been withdrawn.",
            SUPERVISOR,
            lambda actor, _p: selectors.overrides_in_force(actor=actor),
            (*BASIC, SCREENED, COMPUTED, OVERRIDE, SCREENING),
            "screened",
        ),
        ListSpec(
            "conflicts",
            "Re-screen conflicts",
            "Cases whose latest screening computed something other than the override in "
            "force (the override still decides until withdrawn).",
            SUPERVISOR,
            lambda actor, _p: selectors.rescreen_conflicts(actor=actor),
            (*BASIC, SCREENED, COMPUTED, OVERRIDE, SCREENING),
            "screened",
        ),
        ListSpec(
            "how-many",
            "The cases behind the answer",
            "The cases you may see that answer the question.",
            CASE_STAFF,
            lambda actor, params: selectors.how_many_cases(actor=actor, params=params),
            (*BASIC, STATUS, DECISION),
            "docket",
            own_page=False,
        ),
    )
}
