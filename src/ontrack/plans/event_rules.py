"""What an event of each kind must say before it is recorded: the one place for these rules.

``event_problems`` returns the problems by field, in words a person understands; the service
records nothing when there are any. Unknown is not yes: a drug test without a result is not
a negative one, so the result is required; a positive test names the substance (All Rise
(NADCP) Adult Treatment Court Best Practice Standards, vol. I, standard VII: results are
specific and reliable).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from ontrack.plans.kinds import CLASS_NAMES
from ontrack.plans.models import EventKind, TestResult

HOURS_KINDS = frozenset({EventKind.WORK_HOURS, EventKind.SCHOOL_HOURS, EventKind.SERVICE_HOURS})
HEARING_KINDS = frozenset({EventKind.HEARING_ATTENDED, EventKind.HEARING_MISSED})
CLASS_KINDS = frozenset({EventKind.CLASS_ATTENDED, EventKind.CLASS_COMPLETED})
# An event is recorded for one day: no more hours than the day has.
MAX_HOURS_A_DAY = Decimal(24)


def _hours(hours: Any) -> Decimal | None:
    try:
        return Decimal(str(hours)) if hours is not None and hours != "" else None
    except InvalidOperation:
        return None


def event_problems(
    *,
    kind: str,
    occurred_on: dt.date | None,
    today: dt.date,
    enrollment_id: int,
    hours: Any = None,
    result: str = "",
    substance: str = "",
    hearing: Any = None,
    details: dict[str, Any] | None = None,
) -> dict[str, str]:
    problems: dict[str, str] = {}
    details = details or {}
    try:
        kind = EventKind(kind)
    except ValueError:
        return {"kind": f"{kind!r} is not a kind of event"}
    if occurred_on is None:
        problems["occurred_on"] = "give the day it happened"
    elif occurred_on > today:
        problems["occurred_on"] = "the day it happened cannot be in the future"
    value = _hours(hours)
    if kind in HOURS_KINDS:
        if value is None:
            problems["hours"] = "give the number of hours"
        elif value <= 0:
            problems["hours"] = "hours must be more than zero"
        elif value > MAX_HOURS_A_DAY:
            problems["hours"] = "a day has at most 24 hours: record each day separately"
    elif hours not in (None, ""):
        problems["hours"] = "this kind of event has no hours"
    if kind == EventKind.DRUG_TEST:
        if result not in TestResult.values:
            problems["result"] = "give the result: negative, positive, dilute or missed"
        elif result == TestResult.POSITIVE and not substance.strip():
            problems["substance"] = "a positive test names the substance"
        elif result != TestResult.POSITIVE and substance.strip():
            problems["substance"] = "only a positive test names a substance"
    elif result or substance:
        problems["result"] = "only a drug test has a result"
    if kind in HEARING_KINDS:
        if hearing is None:
            problems["hearing"] = "choose the hearing"
        elif hearing.enrollment_id != enrollment_id:
            problems["hearing"] = "that hearing is not one of this participant's"
    elif hearing is not None:
        problems["hearing"] = "only a hearing event names a hearing"
    if kind in CLASS_KINDS and details.get("class_name") not in CLASS_NAMES:
        problems["class_name"] = f"choose the class: {', '.join(CLASS_NAMES)}"
    if kind == EventKind.CHILD_SUPPORT_PAID:
        amount = _hours(details.get("amount"))
        if amount is None or amount <= 0:
            problems["amount"] = "give the amount paid, more than zero"
    return problems
