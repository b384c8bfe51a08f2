"""The responses panels and the decision form: suggestions from the matrix, a drug test's
result only for view_result holders, refusals shown and nothing saved, fidelity figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ontrack.audit.models import AccessEvent, AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.models import TimelineEntry
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.plans.models import Event
from ontrack.responses import panels
from ontrack.responses.models import Response

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 2)
AT = timezone.make_aware(dt.datetime(2025, 7, 2, 9, 30))


def _event(user: Any, enrollment: Any, kind: str = "hearing_missed", result: str = "",
           on: dt.date = DAY) -> Event:  # fmt: skip
    return Event.objects.create(enrollment=enrollment, kind=kind, result=result, occurred_on=on,
                                recorded_at=AT, recorded_by=user)  # fmt: skip


def _state() -> tuple[Any, ...]:
    return (Response.objects.count(), TimelineEntry.objects.count(), AuditEvent.objects.count())


def test_awaiting_events_carry_the_matrix_suggestions(case_manager: Any, auditor: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager), phase=1)
    missed = _event(case_manager, enrollment)
    test = _event(case_manager, enrollment, "drug_test", "positive", dt.date(2025, 7, 3))
    rows = panels.participant_context(case_manager, enrollment)["awaiting"]
    assert [(r["event"].pk, r["result_hidden"], [s.code for s in r["suggestions"]])
            for r in rows] == [(missed.pk, False, ["warning", "community_service"]),
                               (test.pk, False, ["treatment_review", "more_testing"])]  # fmt: skip
    row = AccessEvent.objects.get(action="responses.awaiting_results_read")
    assert (row.object_id, row.row_count) == (str(enrollment.pk), 1)
    hidden = panels.participant_context(auditor, enrollment)["awaiting"]
    assert [(r["result_hidden"], [s.code for s in r["suggestions"]]) for r in hidden] == [
        (False, ["warning", "community_service"]), (True, [])]  # fmt: skip
    assert AccessEvent.objects.filter(action="responses.awaiting_results_read").count() == 1


def test_the_form_records_a_response(case_manager: Any, client: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager), phase=1)
    event = _event(case_manager, enrollment)
    client.force_login(case_manager)
    page = client.get(reverse("participants:participant", args=[enrollment.pk]))
    assert reverse("responses:record", args=[event.pk]) in page.content.decode()
    body = {"response_code": "warning", "kind": "sanction", "on": "2025-07-04"}
    sent = client.post(reverse("responses:record", args=[event.pk]), body)
    assert sent.status_code == 302
    assert (
        sent["Location"] == reverse("participants:participant", args=[enrollment.pk]) + "#responses"
    )
    response = Response.objects.get(event=event)
    assert (response.code, response.kind, response.chosen_from_suggestions, response.on) == (
        "warning", "sanction", True, dt.date(2025, 7, 4))  # fmt: skip


def test_the_form_records_why_not(case_manager: Any, client: Any) -> None:
    event = _event(case_manager, EnrollmentFactory(case=CaseFactory(case_manager=case_manager)))
    client.force_login(case_manager)
    client.post(reverse("responses:record", args=[event.pk]),
                {"no_response_reason": "excused by the court", "on": "2025-07-04"})  # fmt: skip
    response = Response.objects.get(event=event)
    assert (response.code, response.no_response_reason) == ("", "excused by the court")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"response_code": "warning", "kind": "incentive", "on": "2025-07-04"},
         "warning is a sanction, not a incentive"),
        ({"response_code": "warning", "kind": "sanction", "on": "2025-07-01"},
         "a response comes on or after the event"),
        ({"on": "2025-07-04"}, "say why there is no response"),
        ({"response_code": "warning", "kind": "sanction", "on": "soon"},
         "give the date as YYYY-MM-DD"),
        ({"response_code": "warning", "kind": "sanction", "no_response_reason": "x",
          "on": "2025-07-04"}, "choose a response or a reason for none, not both"),
    ],
)  # fmt: skip
def test_refusals_are_shown_and_nothing_is_saved(
    case_manager: Any, client: Any, body: dict[str, str], message: str
) -> None:
    event = _event(case_manager, EnrollmentFactory(case=CaseFactory(case_manager=case_manager)))
    client.force_login(case_manager)
    before = _state()
    sent = client.post(reverse("responses:record", args=[event.pk]), body)
    assert sent.status_code == 400
    assert message in sent.content.decode()
    assert "Nothing was saved." in sent.content.decode()
    assert _state() == before


def test_without_the_permission_the_form_is_refused(auditor: Any, case_manager: Any,
                                                   client: Any) -> None:  # fmt: skip
    event = _event(case_manager, EnrollmentFactory(case=CaseFactory(case_manager=case_manager)))
    client.force_login(auditor)
    sent = client.post(reverse("responses:record", args=[event.pk]),
                       {"no_response_reason": "x", "on": "2025-07-04"})  # fmt: skip
    assert sent.status_code == 403
    assert not Response.objects.exists()


def test_fidelity_figures(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    decisions = [("incentive", 1), ("incentive", 3), ("sanction", 2), (None, None), ("", 5)]
    for kind, days in decisions:
        event = _event(case_manager, enrollment)
        if days is not None:
            Response.objects.create(event=event, code="c" if kind else "", kind=kind or "",
                                    no_response_reason="" if kind else "why",
                                    on=DAY + dt.timedelta(days=days), recorded_at=AT,
                                    recorded_by=case_manager)  # fmt: skip
    figures = panels.program_context(case_manager, enrollment.program)["figures"]
    assert (figures["incentives"], figures["sanctions"], figures["ratio"],
            figures["awaiting"], figures["mean_days"], figures["median_days"]) == (
        2, 1, 2.0, 1, 2.75, 2.5)  # fmt: skip
    assert figures["in_words"] == "2.0:1, which is below the 4:1 the standards aim at"
