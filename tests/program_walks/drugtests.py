"""The drugtests app in the program walk (see ``tests/program_walks/enrollments.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ontrack.drugtests import selectors, services
from ontrack.drugtests.models import Confirmation, Notice, TestDay
from ontrack.plans.models import Event, Requirement
from tests.program_walks.world import ProgramWorld

DAY = dt.date(2025, 7, 2)


def _test_day(w: ProgramWorld, enrollment: Any) -> TestDay:
    return TestDay.objects.create(enrollment=enrollment, day=DAY, drawn_at=enrollment.state_since,
                                  drawn_by=w.actor)  # fmt: skip


def _positive(w: ProgramWorld, enrollment: Any) -> int:
    return Event.objects.create(
        enrollment=enrollment, kind="drug_test", result="positive", substance="THC",
        occurred_on=DAY, recorded_at=enrollment.state_since, recorded_by=w.actor,
    ).pk  # fmt: skip


def _walk_days(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        _test_day(w, enrollment)
    assert len(selectors.test_days_of(actor=w.actor, enrollment_id=w.visible.pk)) == 1
    assert list(selectors.test_days_of(actor=w.actor, enrollment_id=w.hidden.pk)) == []
    assert len(selectors.tests_due_on(actor=w.actor, day=DAY, own_caseload=False)) == 1


def _walk_results(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        _positive(w, enrollment)
    assert len(selectors.results_of(actor=w.actor, enrollment_id=w.visible.pk)) == 1
    assert selectors.results_of(actor=w.actor, enrollment_id=w.hidden.pk) == []


def _hidden_rule(w: ProgramWorld) -> None:
    Requirement.objects.create(
        enrollment=w.hidden, kind="drug_tests", label="Drug tests",
        parameters={"per_week_by_phase": {"1": 2}, "missed_counts_as": "positive",
                    "dilute_counts_as": "positive"},
    )  # fmt: skip


def _draw(w: ProgramWorld) -> Callable[[], Any]:
    _hidden_rule(w)
    return lambda: services.draw_test_days(actor=w.actor, enrollment_id=w.hidden.pk, start=DAY,
                                           end=DAY + dt.timedelta(days=13), seed=1)  # fmt: skip


def _notice(w: ProgramWorld) -> Callable[[], Any]:
    test_day = _test_day(w, w.hidden).pk
    return lambda: services.record_notice(actor=w.actor, test_day_id=test_day, how="phone",
                                          at=w.hidden.state_since)  # fmt: skip


def _result(w: ProgramWorld) -> Callable[[], Any]:
    test_day = _test_day(w, w.hidden).pk

    def both() -> Any:
        # By the hidden day and by the hidden enrollment and day: NotFound either way.
        from ontrack.common.errors import NotFound

        try:
            services.record_result(actor=w.actor, enrollment_id=w.hidden.pk, day=DAY,
                                   result="missed", collected_at=None)  # fmt: skip
        except NotFound:
            return services.record_result(actor=w.actor, test_day_id=test_day,
                                          result="missed", collected_at=None)  # fmt: skip
        raise AssertionError("the hidden enrollment was written to")

    return both


def _request(w: ProgramWorld) -> Callable[[], Any]:
    event_id = _positive(w, w.hidden)
    return lambda: services.request_confirmation(actor=w.actor, event_id=event_id)


def _confirm(w: ProgramWorld) -> Callable[[], Any]:
    event_id = _positive(w, w.hidden)
    return lambda: services.record_confirmation(actor=w.actor, event_id=event_id, lab="Lab",
                                                method="GC-MS", result="negative",
                                                reported_on=DAY)  # fmt: skip


def _walk_upcoming(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        _test_day(w, enrollment)
    found = selectors.upcoming_test_days(actor=w.actor, enrollment_id=w.visible.pk, today=DAY)
    assert len(found) == 1
    assert not selectors.upcoming_test_days(actor=w.actor, enrollment_id=w.hidden.pk, today=DAY)


def _walk_spread(w: ProgramWorld) -> None:
    # Both enrollments are in the same program: only the visible one's day is counted.
    assert w.visible.program_id == w.hidden.program_id
    for enrollment in (w.visible, w.hidden):
        _test_day(w, enrollment)
    spread = selectors.drawn_day_spread(actor=w.actor, program=w.visible.program)
    assert spread["counts"] == [0, 0, 1, 0, 0, 0, 0]  # 2025-07-02 is a Wednesday


SELECTORS: dict[str, Callable[[ProgramWorld], None]] = {
    "ontrack.drugtests.selectors.upcoming_test_days": _walk_upcoming,
    "ontrack.drugtests.selectors.drawn_day_spread": _walk_spread,
    "ontrack.drugtests.selectors.test_days_of": _walk_days,
    "ontrack.drugtests.selectors.tests_due_on": _walk_days,
    "ontrack.drugtests.selectors.results_of": _walk_results,
}
NOT_ABOUT_RECORDS: dict[str, str] = {
    "ontrack.drugtests.selectors.may_view_results": "a permission check, reads no record",
    "ontrack.drugtests.selectors.readable_timeline_entries": (
        "decides on entries enrollments.selectors.timeline (walked) already returned"
    ),
}
PAGES: dict[str, Callable[[ProgramWorld], tuple[dict[str, int], dict[str, int], Any]]] = {}
SERVICES: dict[str, Callable[[ProgramWorld], Callable[[], Any]]] = {
    "ontrack.drugtests.services.draw_test_days": _draw,
    "ontrack.drugtests.services.record_notice": _notice,
    "ontrack.drugtests.services.record_result": _result,
    "ontrack.drugtests.services.request_confirmation": _request,
    "ontrack.drugtests.services.record_confirmation": _confirm,
}
SERVICE_MODULES: list[Any] = [services]


def state() -> tuple[Any, ...]:
    return (
        TestDay.objects.count(),
        list(TestDay.objects.order_by("pk").values_list("event_id", flat=True)),
        Notice.objects.count(),
        Confirmation.objects.count(),
    )


def _api_drug_tests(w: ProgramWorld) -> tuple[str, str, list[tuple[str, Any]]]:
    _positive(w, w.hidden)
    return (f"enrollments/{w.hidden.pk}/drug-tests", f"enrollments/{w.missing}/drug-tests",
            [("get", None)])  # fmt: skip


API_CALLS: dict[str, Callable[[ProgramWorld], tuple[str, str, list[tuple[str, Any]]]]] = {
    "api:drug_tests": _api_drug_tests,
}
