"""The plans app in the program walk (see ``tests/program_walks/enrollments.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ontrack.plans import services
from ontrack.plans.models import Event
from tests.program_walks.world import ProgramWorld

SELECTORS: dict[str, Callable[[ProgramWorld], None]] = {}
NOT_ABOUT_RECORDS: dict[str, str] = {}
PAGES: dict[str, Callable[[ProgramWorld], tuple[dict[str, int], dict[str, int], Any]]] = {}
SERVICES: dict[str, Callable[[ProgramWorld], Callable[[], Any]]] = {
    "ontrack.plans.services.record_participant_event": lambda w: lambda: (
        services.record_participant_event(
            actor=w.actor, enrollment_id=w.hidden.pk, kind="contact",
            occurred_on=dt.date(2025, 7, 1),
        )
    ),
}  # fmt: skip
SERVICE_MODULES: list[Any] = [services]


def state() -> tuple[Any, ...]:
    return (Event.objects.count(),)
