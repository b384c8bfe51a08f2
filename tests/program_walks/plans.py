"""The plans app in the program walk (see ``tests/program_walks/enrollments.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ontrack.plans import selectors, services
from ontrack.plans.models import Event, Requirement
from tests.program_walks.world import ProgramWorld


def _two_of_each(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        Requirement.objects.create(
            enrollment=enrollment, kind="drug_tests", label="Drug tests",
            parameters={"per_week_by_phase": {"1": 2}, "missed_counts_as": "positive",
                        "dilute_counts_as": "positive"},
        )  # fmt: skip
        Event.objects.create(
            enrollment=enrollment, kind="contact", occurred_on=dt.date(2025, 7, 1),
            recorded_at=enrollment.state_since, recorded_by=w.actor,
        )  # fmt: skip


def _walk_requirements(w: ProgramWorld) -> None:
    _two_of_each(w)
    assert len(selectors.requirements_of(actor=w.actor, enrollment_id=w.visible.pk)) == 1
    assert list(selectors.requirements_of(actor=w.actor, enrollment_id=w.hidden.pk)) == []


def _walk_events(w: ProgramWorld) -> None:
    _two_of_each(w)
    assert len(selectors.events_of(actor=w.actor, enrollment_id=w.visible.pk)) == 1
    assert list(selectors.events_of(actor=w.actor, enrollment_id=w.hidden.pk)) == []


def _walk_rule(w: ProgramWorld) -> None:
    _two_of_each(w)
    rule = selectors.drug_testing_rule_of(actor=w.actor, enrollment_id=w.visible.pk)
    assert rule is not None
    assert rule.per_week(1) == 2
    assert selectors.drug_testing_rule_of(actor=w.actor, enrollment_id=w.hidden.pk) is None


SELECTORS: dict[str, Callable[[ProgramWorld], None]] = {
    "ontrack.plans.selectors.requirements_of": _walk_requirements,
    "ontrack.plans.selectors.events_of": _walk_events,
    "ontrack.plans.selectors.drug_testing_rule_of": _walk_rule,
}
NOT_ABOUT_RECORDS: dict[str, str] = {}
PAGES: dict[str, Callable[[ProgramWorld], tuple[dict[str, int], dict[str, int], Any]]] = {}
SERVICES: dict[str, Callable[[ProgramWorld], Callable[[], Any]]] = {
    "ontrack.plans.services.record_participant_event": lambda w: lambda: (
        services.record_participant_event(
            actor=w.actor, enrollment_id=w.hidden.pk, kind="contact",
            occurred_on=dt.date(2025, 7, 1),
        )
    ),
    "ontrack.plans.services.void_participant_event": lambda w: _void_hidden(w),
}  # fmt: skip
SERVICE_MODULES: list[Any] = [services]


def _void_hidden(w: ProgramWorld) -> Callable[[], Any]:
    event_id = _hidden_event(w)  # made before the walk compares what changed
    return lambda: services.void_participant_event(actor=w.actor, event_id=event_id, reason="walk")


def _hidden_event(w: ProgramWorld) -> int:
    return Event.objects.create(
        enrollment=w.hidden, kind="contact", occurred_on=dt.date(2025, 7, 1),
        recorded_at=w.hidden.state_since, recorded_by=w.actor,
    ).pk  # fmt: skip


def state() -> tuple[Any, ...]:
    return (
        Event.objects.count(),
        list(Event.objects.order_by("pk").values_list("voided_at", flat=True)),
        Requirement.objects.count(),
    )
