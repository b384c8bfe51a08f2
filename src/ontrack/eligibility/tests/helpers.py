"""What the eligibility page tests share: a case ready to screen, and reading the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ontrack.cases.models import Case, PriorCountSummary
from ontrack.cases.tests.factories import CaseFactory, ChargeFactory
from ontrack.eligibility.models import Screening
from ontrack.people.tests.factories import PersonFactory

POLICY = "back-on-track"


def prepared_case(docket: str = "CRI-2025-500001", case_manager: Any = None) -> Case:
    """Needs information only for work authorization under back-on-track, as of today."""
    person = PersonFactory(
        given_name="Lupe", family_name="Arriaga", date_of_birth=dt.date(2000, 1, 1)
    )  # 25 on the offense date
    case = CaseFactory(defendant=person, docket_number=docket, case_manager=case_manager)
    ChargeFactory(
        case=case,
        count_number=1,
        statute_code="HS 11351",
        level="felony",
        offense_date=dt.date(2025, 3, 1),
        weapon_alleged=False,
        gang_alleged=False,
        near_school_alleged=False,
    )
    # A criminal-history check on file with nothing on it: the history is known to be clean.
    PriorCountSummary.objects.create(
        person=person, source="test", total=0, as_of=dt.date(2025, 3, 2)
    )
    return case


def body_of(response: Any) -> str:
    return " ".join(response.content.decode().split())


def screening_url(screening: Screening) -> str:
    return f"/eligibility/screenings/{screening.pk}/"
