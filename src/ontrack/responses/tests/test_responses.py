"""The responses matrix, response decisions, fidelity figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
import yaml
from django.utils import timezone

from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.errors import ValidationFailed
from ontrack.enrollments.models import TimelineEntry
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.plans import models as plans_models
from ontrack.plans.models import Event, EventKind
from ontrack.responses import fidelity, selectors, services
from ontrack.responses.matrix import ACHIEVEMENTS, PATH, MatrixError, matrix, parse, trigger_of
from ontrack.responses.models import Response

DAY = dt.date(2025, 7, 2)


def test_every_trigger_names_a_real_event_kind() -> None:
    raw = yaml.safe_load(PATH.read_text())
    for key in raw["triggers"]:
        kind, _, result = key.partition(":")
        assert key in ACHIEVEMENTS or kind in EventKind.values, key
        assert result == "" or result in plans_models.TestResult.values, key


def test_suggestions_by_phase() -> None:
    m = matrix()
    assert [s.code for s in m.suggest(trigger_of("drug_test", "positive"), 1)] == [
        "treatment_review", "more_testing"]  # fmt: skip
    assert [s.code for s in m.suggest(trigger_of("drug_test", "positive"), 3)] == [
        "treatment_review", "warning"]  # fmt: skip
    assert [s.code for s in m.suggest("hearing_missed", None)] == ["warning", "community_service"]
    assert m.suggest("contact", 1) == []
    assert m.responses["curfew"].magnitude == "high"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"responses": {}}, "m.yaml: the top level needs exactly 'responses' and 'triggers'"),
        ({"responses": {"x": {"kind": "reward", "magnitude": "low", "label": "X"}},
          "triggers": {}},
         "m.yaml: responses.x.kind: 'reward' is not one of incentive, sanction, "
         "service_adjustment"),
        ({"responses": {"x": {"kind": "sanction", "magnitude": "huge", "label": "X"}},
          "triggers": {}},
         "m.yaml: responses.x.magnitude: 'huge' is not one of low, moderate, high"),
        ({"responses": {}, "triggers": {"hearing_skipped": {"any": ["x"]}}},
         "m.yaml: triggers.hearing_skipped: not an event kind (with a drug-test result) or "
         "achievement"),
        ({"responses": {}, "triggers": {"drug_test:pink": {"any": ["x"]}}},
         "m.yaml: triggers.drug_test:pink: not an event kind (with a drug-test result) or "
         "achievement"),
        ({"responses": {}, "triggers": {"hearing_missed": {"any": ["x"]}}},
         "m.yaml: triggers.hearing_missed.any: no response 'x' under responses"),
        ({"responses": {}, "triggers": {"hearing_missed": {"first": ["x"]}}},
         "m.yaml: triggers.hearing_missed.first: a phase is a number or 'any'"),
    ],
)  # fmt: skip
def test_a_bad_matrix_is_refused_with_file_and_key(data: Any, message: str) -> None:
    with pytest.raises(MatrixError) as refused:
        parse(data, "m.yaml")
    assert str(refused.value) == message


def _event(user: Any, kind: str = "hearing_missed", result: str = "") -> Event:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=user))
    return Event.objects.create(enrollment=enrollment, kind=kind, result=result, occurred_on=DAY,
                                recorded_at=timezone.now(), recorded_by=user)  # fmt: skip


def _state() -> tuple[Any, ...]:
    return (Response.objects.count(), TimelineEntry.objects.count(), AuditEvent.objects.count())


def _refused(call: Any, field: str, message: str) -> None:
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert refused.value.problems[field] == message
    assert _state() == before


@pytest.mark.django_db
def test_record_response_and_at_most_one_decision(case_manager: Any) -> None:
    event = _event(case_manager)
    awaiting = selectors.awaiting_response(actor=case_manager, enrollment_id=event.enrollment_id)
    assert list(awaiting) == [event]
    response = services.record_response(
        actor=case_manager, event_id=event.pk, response_code="warning", kind="sanction",
        chosen_from_suggestions=True, note="First miss", on=dt.date(2025, 7, 3))  # fmt: skip
    assert (response.code, response.kind, response.chosen_from_suggestions) == (
        "warning", "sanction", True)  # fmt: skip
    entry = TimelineEntry.objects.get(kind="responses.response")
    assert entry.parameters == {"code": "warning", "kind": "sanction"}
    assert AuditEvent.objects.get(action="responses.recorded").details["event"] == event.pk
    awaiting = selectors.awaiting_response(actor=case_manager, enrollment_id=event.enrollment_id)
    assert list(awaiting) == []
    _refused(lambda: services.record_no_response(actor=case_manager, event_id=event.pk,
                                                 reason="x", on=DAY),
             "event", "this event already has a response decision")  # fmt: skip


@pytest.mark.django_db
def test_bad_responses_are_refused(case_manager: Any) -> None:
    event = _event(case_manager)
    call = services.record_response
    _refused(lambda: call(actor=case_manager, event_id=event.pk, response_code="warning",
                          kind="incentive", chosen_from_suggestions=True, on=DAY),
             "kind", "warning is a sanction, not a incentive")  # fmt: skip
    _refused(lambda: call(actor=case_manager, event_id=event.pk, response_code="warning",
                          kind="sanction", chosen_from_suggestions=True,
                          on=dt.date(2025, 7, 1)),
             "on", "a response comes on or after the event")  # fmt: skip
    _refused(lambda: services.record_no_response(actor=case_manager, event_id=event.pk,
                                                 reason="  ", on=DAY),
             "reason", "say why there is no response")  # fmt: skip


@pytest.mark.django_db
def test_record_no_response_keeps_the_reason(case_manager: Any) -> None:
    event = _event(case_manager, "drug_test", "dilute")
    response = services.record_no_response(actor=case_manager, event_id=event.pk,
                                           reason="Medication explains it", on=DAY)  # fmt: skip
    assert (response.code, response.no_response_reason, response.chosen_from_suggestions) == (
        "", "Medication explains it", None)  # fmt: skip


def test_fidelity_by_group() -> None:
    frame = pl.DataFrame(
        {
            "group": ["a", "a", "a", "a", "a", "b", "b"],
            "kind": ["incentive"] * 4 + ["sanction", "incentive", None],
            "event_on": [dt.date(2025, 7, 1)] * 7,
            "response_on": [dt.date(2025, 7, d) for d in (1, 2, 3, 4, 8)]
            + [dt.date(2025, 7, 2), None],
        }
    )
    rows = fidelity.by_group(frame).to_dicts()
    assert rows == [
        {"group": "a", "incentives": 4, "sanctions": 1, "mean_days": 2.6, "median_days": 2.0,
         "awaiting": 0, "ratio": 4.0},
        {"group": "b", "incentives": 1, "sanctions": 0, "mean_days": 1.0, "median_days": 1.0,
         "awaiting": 1, "ratio": None},
    ]  # fmt: skip
    assert fidelity.ratio_in_words(1, 0) == "1 incentives, no sanctions: the ratio is undefined"
    assert fidelity.ratio_in_words(3, 1) == "3.0:1, which is below the 4:1 the standards aim at"
