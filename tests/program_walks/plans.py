"""The plans app in the program walk (see ``tests/program_walks/enrollments.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ontrack.plans import plan_services, selectors, services
from ontrack.plans.models import Event, Requirement, RequirementChange
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
        list(
            Requirement.objects.order_by("pk").values_list(
                "parameters", "row_version", "removed_at"
            )
        ),
        RequirementChange.objects.count(),
    )


# Issue 10, part 2: the plan (templates, adjustments, compliance, panels).
def _walk_plan(w: ProgramWorld) -> None:
    from ontrack.common.errors import NotFound

    _two_of_each(w)
    plan = selectors.plan_of(actor=w.actor, enrollment_id=w.visible.pk, today=dt.date(2025, 7, 2))
    assert [i["requirement"].enrollment_id for i in plan["requirements"]] == [w.visible.pk]
    for pk in (w.hidden.pk, w.missing):
        try:
            selectors.plan_of(actor=w.actor, enrollment_id=pk, today=dt.date(2025, 7, 2))
        except NotFound:
            continue
        raise AssertionError(f"plan_of returned enrollment {pk}")


def _walk_history(w: ProgramWorld) -> None:
    from django.utils import timezone

    _two_of_each(w)
    ids = {}
    for enrollment in (w.visible, w.hidden):
        requirement = Requirement.objects.get(enrollment=enrollment)
        RequirementChange.objects.create(
            requirement=requirement, action="adjusted", reason="w", by=w.actor, at=timezone.now()
        )
        ids[enrollment.pk] = requirement.pk
    visible = selectors.requirement_history(actor=w.actor, requirement_id=ids[w.visible.pk])
    assert len(visible) == 1
    assert list(selectors.requirement_history(actor=w.actor, requirement_id=ids[w.hidden.pk])) == []


def _walk_due(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        Requirement.objects.create(
            enrollment=enrollment,
            kind="contacts",
            label="Contacts",
            parameters={"per_week": 3},
            starts_on=dt.date(2025, 1, 1),
        )
    found = [
        row["enrollment"].pk
        for row in selectors.caseload_due(actor=w.actor, today=dt.date(2025, 7, 2))
    ]
    assert w.hidden.pk not in found
    mine = w.visible.case.case_manager_id == w.actor.pk
    assert found == ([w.visible.pk] if mine else [])


def _record_page(w: ProgramWorld) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    return (
        {"enrollment_id": w.hidden.pk, "kind": "contact"},
        {"enrollment_id": w.missing, "kind": "contact"},
        {"occurred_on": "2025-07-01"},
    )


def _hidden_requirement(w: ProgramWorld) -> int:
    return Requirement.objects.create(
        enrollment=w.hidden, kind="contacts", label="Contacts", parameters={"per_week": 3}
    ).pk


def _adjust_hidden(w: ProgramWorld) -> Callable[[], Any]:
    pk = _hidden_requirement(w)
    return lambda: plan_services.adjust_requirement(
        actor=w.actor,
        requirement_id=pk,
        parameters={"per_week": 2},
        reason="walk",
        expected_version=1,
    )


def _remove_hidden(w: ProgramWorld) -> Callable[[], Any]:
    pk = _hidden_requirement(w)
    return lambda: plan_services.remove_requirement(
        actor=w.actor, requirement_id=pk, reason="walk", expected_version=1
    )


def _walk_event_for_update(w: ProgramWorld) -> None:
    from django.db import transaction

    from ontrack.common.errors import NotFound

    hidden = _hidden_event(w)
    visible = Event.objects.create(
        enrollment=w.visible, kind="contact", occurred_on=dt.date(2025, 7, 1),
        recorded_at=w.visible.state_since, recorded_by=w.actor,
    ).pk  # fmt: skip
    with transaction.atomic():
        assert selectors.event_for_update(actor=w.actor, event_id=visible).pk == visible
        for event_id in (hidden, hidden + 1000):
            try:
                selectors.event_for_update(actor=w.actor, event_id=event_id)
            except NotFound:
                continue
            raise AssertionError(f"event {event_id} was returned")


SELECTORS.update(
    {
        "ontrack.plans.selectors.event_for_update": _walk_event_for_update,
        "ontrack.plans.selectors.plan_of": _walk_plan,
        "ontrack.plans.selectors.requirement_history": _walk_history,
        "ontrack.plans.selectors.caseload_due": _walk_due,
    }
)
NOT_ABOUT_RECORDS.update(
    {
        "ontrack.plans.selectors.current_plan_template": (
            "a program's plan template is the program's rule, not a participant's record"
        ),
    }
)
PAGES.update({"plans:record_event": _record_page})
SERVICES.update(
    {
        "ontrack.plans.plan_services.adjust_requirement": _adjust_hidden,
        "ontrack.plans.plan_services.remove_requirement": _remove_hidden,
        "ontrack.plans.plan_services.add_requirement": lambda w: (
            lambda: plan_services.add_requirement(
                actor=w.actor,
                enrollment_id=w.hidden.pk,
                kind="contacts",
                label="Contacts",
                parameters={"per_week": 3},
                reason="walk",
            )
        ),
    }
)
SERVICE_MODULES.append(plan_services)


def _api_plan(w: ProgramWorld) -> tuple[str, str, list[tuple[str, Any]]]:
    return f"enrollments/{w.hidden.pk}/plan", f"enrollments/{w.missing}/plan", [("get", None)]


def _api_events(w: ProgramWorld) -> tuple[str, str, list[tuple[str, Any]]]:
    body = {"kind": "contact", "occurred_on": "2025-07-01"}
    return (
        f"enrollments/{w.hidden.pk}/events",
        f"enrollments/{w.missing}/events",
        [("get", None), ("post", body)],
    )


def _api_requirement(w: ProgramWorld) -> tuple[str, str, list[tuple[str, Any]]]:
    pk = _hidden_requirement(w)
    body = {"version": 1, "parameters": {"per_week": 2}, "reason": "walk"}
    return f"requirements/{pk}", f"requirements/{pk + 1000}", [("patch", body)]


API_CALLS: dict[str, Callable[[ProgramWorld], tuple[str, str, list[tuple[str, Any]]]]] = {
    "api:plan": _api_plan,
    "api:events": _api_events,
    "api:requirement": _api_requirement,
}


def samples(records: dict[str, Any], case: Any) -> dict[str, Any]:
    """A kind of event (the Record-an-event page) and a requirement of the sample
    enrollment, for tests that open every page."""
    requirement = Requirement.objects.create(
        enrollment=records["enrollment"], kind="contacts", label="Contacts",
        parameters={"per_week": 3},
    )  # fmt: skip
    return {"kind": "contact", "requirement_id": requirement.pk}
