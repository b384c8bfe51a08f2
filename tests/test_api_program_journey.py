"""The issue-10 journey through REST API v1 with a bearer token: screened, offered, trial
period, a plea refused without the PC 1016.5 immigration advisement (422, nothing saved),
the plea, active phase 1, events, the plan's compliance, graduation refused while the plan
is incomplete, then graduation; transitions, hearings and notes read back.

Set up outside the API (there is no API for these): the case (``CaseFactory``), its
eligible screening (``enrollments.tests.helpers.screen``: a Screening row, no engine run),
the enrollment opened (``enrollments.services.open_enrollment``), the program's capacity
(``programs.services.set_capacity``), the plan template
(``plans.plan_services.publish_plan_template``) and one hearing in the past
(``Hearing.objects.create``: the hearings service only schedules ahead)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from ontrack.api.tests.helpers import Api, token_for
from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.models import Enrollment
from ontrack.enrollments.services import open_enrollment
from ontrack.enrollments.tests.helpers import everything, screen
from ontrack.hearings.models import Hearing
from ontrack.plans.plan_services import publish_plan_template
from ontrack.programs.models import Program
from ontrack.programs.services import set_capacity

pytestmark = pytest.mark.django_db

ADVISED = {
    "immigration_consequences": "Judge Ortiz", "self_incrimination": "Judge Ortiz",
    "confrontation": "Judge Ortiz", "jury_trial": "Judge Ortiz", "program_terms": "Judge Ortiz",
}  # fmt: skip
PLAN = [
    {"kind": "contacts", "label": "Contacts", "parameters": {"per_week": 1}},
    {"kind": "community_service", "label": "Community service", "parameters": {"total_hours": 4}},
    {"kind": "employment_or_school", "label": "Work",
     "parameters": {"hours_per_week": 20, "verified_by_required": True}},
]  # fmt: skip


def _compliance(api: Api, enrollment_id: int) -> tuple[list[Any], list[str], str | None]:
    plan = api.get(f"enrollments/{enrollment_id}/plan").json()
    rows = [(r["kind"], r["compliance"]["status"], r["compliance"]["done"],
             r["compliance"]["target"]) for r in plan["requirements"]]  # fmt: skip
    left = plan["left_before_graduation"]
    return rows, left["not_met"], left["verified_on"]


def test_the_program_journey_through_the_api(
    case_manager: Any, supervisor: Any, administrator: Any
) -> None:
    today = timezone.localdate()
    on = today.isoformat()
    case = CaseFactory(case_manager=case_manager)
    program = Program.objects.get(pk=case.program_id)
    screen(case, case_manager, "eligible")
    enrollment = open_enrollment(actor=case_manager, case_id=case.pk, reason="Referred", on=today)
    set_capacity(actor=administrator, slug=program.slug, capacity=5)
    publish_plan_template(actor=administrator, program_id=program.pk, reason="v1",
                          requirements=PLAN)  # fmt: skip
    Hearing.objects.create(
        enrollment=enrollment, court="SF Superior Court", department="12",
        starts_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    api = Api(token_for(case_manager))
    first_audit = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    moves = f"enrollments/{enrollment.pk}/moves"

    def move(body: dict[str, Any]) -> Any:
        return api.post(moves, {"on": on, **body})

    assert move({"to_state": "screened", "reason": "Screened eligible"}).status_code == 201
    assert move({"to_state": "offered", "reason": "A place is open"}).status_code == 201
    assert move({"to_state": "trial_period", "reason": "Accepted"}).status_code == 201
    plea = {
        "to_state": "plea_entered",
        "court": "SF Superior Court, Dept. 12",
        "judge": "Ortiz",
        "defense_attorney": "PD Lee",
        "interpreter": "",
        "language": "",
    }
    before = everything()
    refused = move({**plea, "advisements": {k: v for k, v in ADVISED.items()
                                            if k != "immigration_consequences"}})  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"advisements": (
        "the plea needs these advisements first: Immigration consequences (deportation,"
        " exclusion, denial of naturalization)")}  # fmt: skip
    assert everything() == before
    assert Enrollment.objects.get(pk=enrollment.pk).state == "trial_period"
    entered = move({**plea, "advisements": ADVISED})
    assert entered.status_code == 201, entered.json()
    active = move({"to_state": "active", "reason": "Phase 1", "to_phase": 1})
    assert active.status_code == 201, active.json()
    assert Enrollment.objects.get(pk=enrollment.pk).state == "active"

    events = f"enrollments/{enrollment.pk}/events"
    hearing = Hearing.objects.get(enrollment=enrollment)
    for body in (
        {"kind": "contact"},
        {"kind": "service_hours", "hours": "2.00"},
        {"kind": "work_hours", "hours": "20.00", "verified_by": "Employer"},
        {"kind": "drug_test", "result": "positive", "substance": "cannabis"},
        {"kind": "hearing_missed", "hearing": hearing.pk},
    ):
        made = api.post(events, {"occurred_on": on, **body})
        assert made.status_code == 201, (body, made.json())
    assert _compliance(api, enrollment.pk) == (
        [("contacts", "on_track", 1.0, 1.0), ("community_service", "on_track", 2.0, 4.0),
         ("employment_or_school", "behind", 20.0, 20.0)],
        ["Community service", "Work"], None)  # fmt: skip
    grad = {"to_state": "graduated", "dismissal_court": "SF Superior Court, Dept. 12",
            "dismissal_order_date": on, "sealing_statute": "PC 851.90"}  # fmt: skip
    before = everything()
    refused = move(grad)
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "plan": "the plan is not complete: Community service, Work",
        "employment": "no job or full-time school has been verified"}  # fmt: skip
    assert everything() == before
    assert Enrollment.objects.get(pk=enrollment.pk).state == "active"
    for body in (
        {"kind": "service_hours", "hours": "2.00"},
        {"kind": "employment_verified", "verified_by": "Employer", "verification": "pay stub"},
    ):
        made = api.post(events, {"occurred_on": on, **body})
        assert made.status_code == 201, (body, made.json())
    assert _compliance(api, enrollment.pk) == (
        [("contacts", "on_track", 1.0, 1.0), ("community_service", "on_track", 4.0, 4.0),
         ("employment_or_school", "on_track", 20.0, 20.0)], [], on)  # fmt: skip
    graduated = move(grad)
    assert graduated.status_code == 201, graduated.json()
    assert Enrollment.objects.get(pk=enrollment.pk).state == "graduated"
    transitions = api.get(f"enrollments/{enrollment.pk}/transitions").json()["results"]
    assert [(t["from_state"], t["to_state"], t["to_phase"], t["by"]) for t in transitions] == [
        ("referred", "screened", None, "case_manager-user"),
        ("screened", "offered", None, "case_manager-user"),
        ("offered", "trial_period", None, "case_manager-user"),
        ("trial_period", "plea_entered", None, "case_manager-user"),
        ("plea_entered", "active", 1, "case_manager-user"),
        ("active", "graduated", None, "case_manager-user"),
    ]
    assert transitions[3]["details"]["advisements"] == ADVISED
    assert (transitions[5]["details"]["dismissal_court"],
            transitions[5]["details"]["sealing_statute"]) == (
        "SF Superior Court, Dept. 12", "PC 851.90")  # fmt: skip
    hearings = api.get(f"enrollments/{enrollment.pk}/hearings").json()
    assert [(h["id"], h["court"], h["department"]) for h in hearings] == [
        (hearing.pk, "SF Superior Court", "12")]  # fmt: skip
    added = api.post(f"enrollments/{enrollment.pk}/notes", {"body": "Graduated; sealing asked."})
    assert added.status_code == 201
    notes = api.get(f"enrollments/{enrollment.pk}/notes").json()
    assert [(n["body"], n["created_by"]) for n in notes] == [
        ("Graduated; sealing asked.", "case_manager-user")]  # fmt: skip
    assert list(AuditEvent.objects.filter(pk__gt=first_audit).order_by("pk")
                .values_list("action", flat=True)) == [
        *["enrollment.moved"] * 5, *["event.recorded"] * 7, "enrollment.moved", "note.added",
    ]  # fmt: skip
