"""The issue-10 journey through the pages (issue 10, "Done when"): one synthetic person from
referral to a sealed case, in Playwright driving Debian's Chromium.

Set up outside the browser (there is no page for these, or they are another issue's pages):
the accounts; the person and the case (``PersonFactory``, ``CaseFactory``, ``assign``); the
case's eligible screening (``enrollments.tests.helpers.screen``: a Screening row, no engine
run); the enrollment opened in state "referred" (``enrollments.services.open_enrollment``);
the program's capacity (``programs.services.set_capacity``); the plan template
(``plans.plan_services.publish_plan_template``); one hearing in the past
(``Hearing.objects.create``: the hearings service only schedules ahead, so a missed hearing
can only be made here); the response to the positive drug test
(``responses.services.record_response``: the participant page has no responses form); the
sealing order (``enrollments.sealing.order_sealing`` as the supervisor: no page decides a
sealing). Every move, every participant event and the stated purpose are made by clicking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from ontrack.audit.models import AccessEvent, AuditEvent
from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory, assign, program_with
from ontrack.enrollments.models import Enrollment, SealingRequest, Transition
from ontrack.enrollments.sealing import order_sealing
from ontrack.enrollments.services import open_enrollment
from ontrack.enrollments.tests.helpers import everything, screen
from ontrack.hearings.models import Hearing
from ontrack.people.tests.factories import PersonFactory
from ontrack.plans.models import Event
from ontrack.plans.plan_services import publish_plan_template
from ontrack.programs.services import set_capacity
from ontrack.responses.services import record_response
from tests.test_browser_eligibility import sign_in

pytestmark = pytest.mark.browser

DOCKET = "CRI-2025-616161"
ADVISEMENTS = ("self_incrimination", "confrontation", "jury_trial", "program_terms")
PLAN = [
    {"kind": "contacts", "label": "Contacts", "parameters": {"per_week": 1}},
    {"kind": "community_service", "label": "Community service", "parameters": {"total_hours": 4}},
    {"kind": "employment_or_school", "label": "Work",
     "parameters": {"hours_per_week": 20, "verified_by_required": True}},
]  # fmt: skip


def _move_form(page: Page, label: str) -> Any:
    """The Status panel's form for the move ``label`` (opened)."""
    details = page.locator("details").filter(has=page.get_by_text(label, exact=True))
    details.locator("summary").click()
    return details.locator("form")


def _move(page: Page, label: str, on: str, reason: str, **fields: str) -> None:
    form = _move_form(page, label)
    form.locator('input[name="on"]').fill(on)
    form.locator('input[name="reason"]').fill(reason)
    for name, value in fields.items():
        field = form.locator(f'[name="{name}"]')
        if name == "sealing_statute":
            field.select_option(value)
        else:
            field.fill(value)
    form.get_by_role("button", name=label).click()


def _state(page: Page) -> str:
    return page.locator("dt:text-is('State') + dd").inner_text()


def _event(page: Page, base: str, enrollment_id: int, kind: str, on: str, **fields: str) -> None:
    page.goto(f"{base}/plans/{enrollment_id}/events/{kind}/")
    page.get_by_label("Day it happened").fill(on)
    for label, value in fields.items():
        if label == "Result":
            page.get_by_label(label).select_option(value)
        elif label == "Hearing":
            page.get_by_label(label).select_option(index=1)
        else:
            page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Record").click()
    expect(page).to_have_url(f"{base}/participants/{enrollment_id}/#plan")


def _actions(after: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(pk__gt=after).order_by("pk").values_list("action", flat=True)
    )


def test_a_participant_from_referral_to_a_sealed_case(
    live_server: Any, browser: Browser, case_manager: Any, supervisor: Any, administrator: Any
) -> None:
    today = timezone.localdate()
    on = today.isoformat()
    program = program_with(case_manager, supervisor)
    person = PersonFactory(given_name="Rosalind", family_name="Okafor",
                           date_of_birth=dt.date(1998, 4, 9))  # fmt: skip
    case = assign(CaseFactory(defendant=person, docket_number=DOCKET), case_manager, program)
    screen(case, case_manager, "eligible")
    enrollment = open_enrollment(actor=case_manager, case_id=case.pk, reason="Referred", on=today)
    set_capacity(actor=administrator, slug=program.slug, capacity=5)
    publish_plan_template(actor=administrator, program_id=program.pk, reason="v1",
                          requirements=PLAN)  # fmt: skip
    hearing = Hearing.objects.create(
        enrollment=enrollment, court="SF Superior Court", department="12",
        starts_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    base = live_server.url
    participant = f"{base}/participants/{enrollment.pk}/"

    manager_context, supervisor_context = browser.new_context(), browser.new_context()
    try:
        manager_context.set_default_timeout(10_000)
        supervisor_context.set_default_timeout(10_000)
        page = manager_context.new_page()
        sign_in(page, base, "case_manager-user")
        page.goto(participant)
        assert _state(page) == "Referred"

        # 1. Screened, offered, the trial period (the plan template is copied in).
        _move(page, "Screened", on, "Screened eligible")
        expect(page).to_have_url(participant)
        assert _state(page) == "Screened"
        _move(page, "Offered", on, "A place is open")
        assert _state(page) == "Offered"
        _move(page, "Trial period", on, "Accepted the offer")
        assert _state(page) == "Trial period"

        # 2. A plea without the PC 1016.5 immigration advisement: refused, nothing saved.
        plea = {"court": "SF Superior Court, Dept. 12", "judge": "Ortiz",
                "defense_attorney": "PD Lee"}  # fmt: skip
        advised = {f"advisement_{code}": "Judge Ortiz" for code in ADVISEMENTS}
        before = everything()
        _move(page, "Plea entered", on, "", **plea, **advised)
        expect(page.get_by_role("heading", name="Rosalind Okafor: not moved")).to_be_visible()
        expect(page.get_by_role("alert").first).to_contain_text(
            "the plea needs these advisements first: Immigration consequences (deportation,"
            " exclusion, denial of naturalization)"
        )
        assert everything() == before
        assert Enrollment.objects.get(pk=enrollment.pk).state == "trial_period"

        # 3. The plea with every advisement, then active in phase 1.
        page.goto(participant)
        _move(page, "Plea entered", on, "", **plea, **advised,
              advisement_immigration_consequences="Judge Ortiz")  # fmt: skip
        assert _state(page) == "Plea entered"
        _move(page, "Active", on, "Phase 1 begins")
        assert (_state(page), Enrollment.objects.get(pk=enrollment.pk).phase) == ("Active", 1)

        # 4. Events through the "Record an event" forms.
        _event(page, base, enrollment.pk, "contact", on)
        _event(page, base, enrollment.pk, "service_hours", on, Hours="2")
        _event(
            page, base, enrollment.pk, "work_hours", on, Hours="20", **{"Verified by": "Employer"}
        )
        _event(page, base, enrollment.pk, "employment_verified", on,
               **{"Verified by": "Employer"})  # fmt: skip
        _event(page, base, enrollment.pk, "drug_test", on, Result="positive",
               Substance="cannabis")  # fmt: skip
        _event(page, base, enrollment.pk, "hearing_missed", on, Hearing=str(hearing.pk))
        positive = Event.objects.get(enrollment=enrollment, kind="drug_test")
        assert (positive.result, positive.substance) == ("positive", "cannabis")
        assert Event.objects.get(enrollment=enrollment, kind="hearing_missed").hearing_id == (
            hearing.pk)  # fmt: skip
        record_response(
            actor=case_manager, event_id=positive.pk, response_code="treatment_review",
            kind="service_adjustment", chosen_from_suggestions=True, on=today,
        )  # fmt: skip

        # 5. Graduation while community service is 2 of 4 hours: refused, nothing saved.
        graduation = {"dismissal_court": "SF Superior Court, Dept. 12",
                      "dismissal_order_date": on}  # fmt: skip
        before = everything()
        page.goto(participant)
        _move(page, "Graduated", on, "Completed", **graduation)
        expect(page.get_by_role("alert").first).to_contain_text(
            "the plan is not complete: Community service"
        )
        assert everything() == before

        # 6. The last two hours, then graduation with the dismissal and PC 851.90.
        _event(page, base, enrollment.pk, "service_hours", on, Hours="2")
        _move(page, "Graduated", on, "Completed", **graduation, sealing_statute="PC 851.90")
        assert _state(page) == "Graduated"
        sealing = SealingRequest.objects.get(enrollment=enrollment)
        assert (sealing.statute, sealing.status) == ("PC 851.90", "requested")

        # 7. Before the order the case manager's search finds the case; the order seals it.
        # (A name finds the person, a docket the case: search/views.py.)
        page.goto(f"{base}/search/?q={DOCKET}")
        expect(page.get_by_role("status")).to_have_text("1 found, best match first.")
        expect(page.get_by_role("link", name=DOCKET)).to_have_count(1)
        order_sealing(actor=supervisor, sealing_id=sealing.pk, order_date=today,
                      reason="Order of Dept. 12")  # fmt: skip
        assert Case.objects.get(pk=case.pk).restriction == "sealed"
        page.goto(f"{base}/search/?q={DOCKET}")
        expect(page.get_by_text(f"Nothing found for “{DOCKET}”.")).to_be_visible()
        expect(page.get_by_role("link", name=DOCKET)).to_have_count(0)

        # 8. The supervisor: 404 until a purpose is stated, then the case with its banner.
        other = supervisor_context.new_page()
        sign_in(other, base, "supervisor-user")
        reads = AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        assert other.goto(f"{base}/cases/{case.pk}/").status == 404  # type: ignore[union-attr]
        other.goto(f"{base}/cases/purpose/?next=/cases/{case.pk}/")
        other.get_by_label("Purpose (for example the court order or request you are answering)"
                           ).fill("Court order 26-0042")  # fmt: skip
        other.get_by_role("button", name="State purpose").click()
        expect(other).to_have_url(f"{base}/cases/{case.pk}/")
        expect(other.get_by_text("Restricted: Sealed.")).to_be_visible()
        # Each read of the case is in the access stream: the refused one, then the one made
        # under the stated purpose (CJIS AU-2).
        assert list(
            AccessEvent.objects.filter(pk__gt=reads, action="case.viewed")
            .order_by("pk").values_list("username", "object_type", "object_id", "outcome")
        ) == [("supervisor-user", "cases.case", str(case.pk), "denied"),
              ("supervisor-user", "cases.case", str(case.pk), "success")]  # fmt: skip
    finally:
        manager_context.close()
        supervisor_context.close()

    moves = Transition.objects.filter(enrollment=enrollment).order_by("pk")
    assert list(moves.values_list("from_state", "to_state")) == [
        ("referred", "screened"), ("screened", "offered"), ("offered", "trial_period"),
        ("trial_period", "plea_entered"), ("plea_entered", "active"), ("active", "graduated"),
    ]  # fmt: skip
    assert _actions(start) == [
        *["enrollment.moved"] * 5, *["event.recorded"] * 6, "responses.recorded",
        "event.recorded", "enrollment.moved", "sealing.ordered", "case.restriction_set",
        "restricted.purpose_stated",
    ]  # fmt: skip
