"""The plan's panels: the participant page's "Plan" and the day page's "Contacts and
overdue" (registered from ``PlansConfig.ready``). Both read through ``plans.selectors`` in
a constant number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ontrack.common.errors import NotFound
from ontrack.enrollments.panels import Panel, register
from ontrack.plans import selectors
from ontrack.plans.models import EventKind

STATUS_WORDS = {
    "on_track": "On track",
    "behind": "Behind",
    "violated": "Violated",
    "unknown": "Not enough to know",
}


def _today() -> dt.date:
    from ontrack.common.site import office_today

    return office_today()


def plan_context(actor: Any, enrollment: Any) -> dict[str, Any]:
    try:
        plan = selectors.plan_of(actor=actor, enrollment_id=enrollment.pk, today=_today())
    except NotFound:  # pragma: no cover - the page found it through the same rule
        return {"plan": None}
    for item in plan["requirements"]:
        row = item["compliance"]
        row["words"] = STATUS_WORDS[row["status"]]
        done, target = row["done"], row["target"]
        row["percent"] = (
            min(round(100 * done / target), 100) if done is not None and target else None
        )
    return {"plan": plan, "event_kinds": EventKind.choices, "enrollment": enrollment}


def day_context(actor: Any, today: Any) -> dict[str, Any]:
    rows = selectors.caseload_due(actor=actor, today=today)
    for row in rows:
        for item in row["items"]:
            item["words"] = STATUS_WORDS[item["status"]]
    return {"rows": rows}


def register_panels() -> None:
    register(
        Panel(
            page="participant",
            order=100,
            slug="plan",
            title="Plan",
            template="plans/_plan.html",
            context=plan_context,
        )
    )
    register(
        Panel(
            page="day",
            order=100,
            slug="due",
            title="Contacts due and overdue",
            template="plans/_due.html",
            context=day_context,
        )
    )
