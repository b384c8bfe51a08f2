"""The drug-testing panels of the participant page and the day page (``enrollments/panels``).

Each reads through this app's selectors, so the permission and the access row of a result
read are decided there, not here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ontrack.common.site import office_today
from ontrack.drugtests import selectors


def confirmation_status(event: Any) -> str:
    confirmation = getattr(event, "confirmation_found", None)
    if confirmation is None:
        return "not requested"
    if not confirmation.result:
        return "requested, not yet reported"
    return f"{confirmation.get_result_display()} ({confirmation.method}, {confirmation.lab})"


def participant_context(actor: Any, enrollment: Any) -> dict[str, Any]:
    upcoming = list(
        selectors.upcoming_test_days(actor=actor, enrollment_id=enrollment.pk, today=office_today())
    )
    results = None
    if selectors.may_view_results(actor):
        results = [
            {"event": event, "confirmation": confirmation_status(event)}
            for event in selectors.results_of(actor=actor, enrollment_id=enrollment.pk)
        ]
    return {
        "may_see_days": actor.has_perm("drugtests.record_result"),
        "upcoming": upcoming,
        "results": results,
    }


def day_context(actor: Any, day: dt.date) -> dict[str, Any]:
    return {"due": list(selectors.tests_due_on(actor=actor, day=day, own_caseload=True))}


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def program_context(actor: Any, program: Any) -> dict[str, Any]:
    spread = selectors.drawn_day_spread(actor=actor, program=program)
    return {**spread, "by_weekday": list(zip(WEEKDAYS, spread["counts"], strict=True))}
