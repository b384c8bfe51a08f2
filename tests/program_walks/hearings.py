"""The hearings app in the program walk (see ``tests/program_walks/enrollments.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from ontrack.common.errors import NotFound
from ontrack.hearings import selectors, services
from ontrack.hearings.models import ContactPreference, Hearing, Reminder
from tests.program_walks.world import ProgramWorld

DAY = dt.date(2031, 7, 1)


def _at(day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=timezone.get_current_timezone())


def _hearing(enrollment: Any) -> Hearing:
    return Hearing.objects.create(enrollment=enrollment, starts_at=_at(), court="Walk court")


def _one_each(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        _hearing(enrollment)


def _walk_hearings_of(w: ProgramWorld) -> None:
    _one_each(w)
    assert len(selectors.hearings_of(actor=w.actor, enrollment_id=w.visible.pk)) == 1
    assert list(selectors.hearings_of(actor=w.actor, enrollment_id=w.hidden.pk)) == []


def _walk_calendar(w: ProgramWorld) -> None:
    _one_each(w)
    found = selectors.calendar(actor=w.actor, start=DAY, days=7)
    assert [h.enrollment_id for h in found] == [w.visible.pk]


def _walk_get(w: ProgramWorld) -> None:
    _one_each(w)
    visible, hidden = Hearing.objects.order_by("pk")
    assert selectors.get_hearing(actor=w.actor, hearing_id=visible.pk) == visible
    for pk in (hidden.pk, hidden.pk + 1000):
        try:
            selectors.get_hearing(actor=w.actor, hearing_id=pk)
        except NotFound:
            continue
        raise AssertionError(f"hearing {pk} returned")


SELECTORS: dict[str, Callable[[ProgramWorld], None]] = {
    "ontrack.hearings.selectors.hearings_of": _walk_hearings_of,
    "ontrack.hearings.selectors.calendar": _walk_calendar,
    "ontrack.hearings.selectors.get_hearing": _walk_get,
}
NOT_ABOUT_RECORDS: dict[str, str] = {}


def _page_on_hearing(body: dict[str, str]) -> Callable[[ProgramWorld], Any]:
    def ids(w: ProgramWorld) -> tuple[dict[str, int], dict[str, int], Any]:
        hidden = _hearing(w.hidden).pk
        return {"hearing_id": hidden}, {"hearing_id": hidden + 1000}, body

    return ids


PAGES: dict[str, Callable[[ProgramWorld], tuple[dict[str, int], dict[str, int], Any]]] = {
    "hearings:schedule": lambda w: (
        {"enrollment_id": w.hidden.pk}, {"enrollment_id": w.missing},
        {"starts_at": "2031-07-01 09:30", "court": "Walk court"},
    ),
    "hearings:reschedule": _page_on_hearing(
        {"starts_at": "2031-07-02 09:30", "reason": "walk", "expected_version": "1"}
    ),
    "hearings:cancel": _page_on_hearing({"reason": "walk", "expected_version": "1"}),
}  # fmt: skip


def _on_hidden(
    call: Callable[[ProgramWorld, int], Any],
) -> Callable[[ProgramWorld], Callable[[], Any]]:
    def make(w: ProgramWorld) -> Callable[[], Any]:
        hearing_id = _hearing(w.hidden).pk  # made before the walk compares what changed
        return lambda: call(w, hearing_id)

    return make


SERVICES: dict[str, Callable[[ProgramWorld], Callable[[], Any]]] = {
    "ontrack.hearings.services.schedule_hearing": lambda w: lambda: services.schedule_hearing(
        actor=w.actor, enrollment_id=w.hidden.pk, starts_at=_at(), court="Walk court"
    ),
    "ontrack.hearings.services.record_contact_preference": lambda w: lambda: (
        services.record_contact_preference(
            actor=w.actor, enrollment_id=w.hidden.pk, language="es",
            email_opt_out=False, sms_opt_out=False,
        )
    ),
    "ontrack.hearings.services.reschedule_hearing": _on_hidden(
        lambda w, pk: services.reschedule_hearing(
            actor=w.actor, hearing_id=pk, starts_at=_at(DAY + dt.timedelta(days=1)),
            reason="walk", expected_version=1,
        )
    ),
    "ontrack.hearings.services.cancel_hearing": _on_hidden(
        lambda w, pk: services.cancel_hearing(
            actor=w.actor, hearing_id=pk, reason="walk", expected_version=1
        )
    ),
    "ontrack.hearings.services.mark_hearing_held": _on_hidden(
        lambda w, pk: services.mark_hearing_held(actor=w.actor, hearing_id=pk, expected_version=1)
    ),
}  # fmt: skip
SERVICE_MODULES: list[Any] = [services]


def _api_enrollment(w: ProgramWorld) -> Any:
    body = {"starts_at": "2031-07-01T09:30:00-07:00", "court": "Walk court"}
    return (f"enrollments/{w.hidden.pk}/hearings", f"enrollments/{w.missing}/hearings",
            [("get", None), ("post", body)])  # fmt: skip


def _api_hearing(w: ProgramWorld) -> Any:
    hidden = _hearing(w.hidden).pk
    return (f"hearings/{hidden}", f"hearings/{hidden + 1000}",
            [("patch", {"action": "cancel", "reason": "walk", "version": 1})])  # fmt: skip


API_CALLS: dict[str, Callable[[ProgramWorld], Any]] = {
    "api:enrollment_hearings": _api_enrollment,
    "api:hearing": _api_hearing,
}


def state() -> tuple[Any, ...]:
    return (
        list(Hearing.objects.order_by("pk").values_list("starts_at", "status", "row_version")),
        Reminder.objects.count(),
        list(ContactPreference.objects.values_list("person_id", "language")),
    )


def samples(records: dict[str, Any], case: Any) -> dict[str, Any]:
    """One hearing of the sample enrollment, for tests that open every page."""
    return {"hearing_id": _hearing(records["enrollment"]).pk}
