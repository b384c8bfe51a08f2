"""Screening in a real browser: from the case page to "Needs information", then, once work
authorization is recorded, "Eligible"; then a supervisor overrides (after the confirmation
step) and withdraws the override (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ontrack.accounts.models import User
from ontrack.accounts.tests.helpers import current_code, enrolled_device
from ontrack.cases.models import PriorCountSummary
from ontrack.cases.tests.factories import CaseFactory, ChargeFactory
from ontrack.eligibility.models import CaseFact, Screening, ScreeningOverride
from ontrack.people.tests.factories import PersonFactory

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, username: str) -> None:
    device = enrolled_device(User.objects.get(username=username))
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("x" * 16)
    page.get_by_role("button", name="Sign in").click()
    # The second factor (CJIS IA-2): the code the user's authenticator shows now.
    expect(page.get_by_role("heading", name="Verification code")).to_be_visible()
    page.get_by_label("Code from your authenticator, or a backup code").fill(current_code(device))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("button", name=f"Sign out {username}")).to_be_visible()


def test_case_manager_screens_records_work_authorization_and_sees_eligible(
    live_server: Any, page: Page, case_manager: Any, supervisor: Any, catalog: None
) -> None:
    person = PersonFactory(
        given_name="Lupe", family_name="Arriaga", date_of_birth=dt.date(2000, 1, 1)
    )
    case = CaseFactory(defendant=person, docket_number="CRI-2025-515151", case_manager=case_manager)
    ChargeFactory(
        case=case, count_number=1, statute_code="HS 11351", level="felony",
        offense_date=dt.date(2025, 3, 1), weapon_alleged=False, gang_alleged=False,
        near_school_alleged=False,
    )  # fmt: skip
    PriorCountSummary.objects.create(
        person=person, source="test", total=0, as_of=dt.date(2025, 3, 2)
    )

    sign_in(page, live_server.url, "case_manager-user")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    section = page.get_by_role("region", name="Screening")
    # HTMX loads the form into the case page.
    expect(section.get_by_label("Policy")).to_have_value("back-on-track")
    expect(section).to_contain_text("This case has not been screened.")
    section.get_by_role("button", name="Screen this case").click()

    first = f"{live_server.url}/eligibility/screenings/"
    screened = Screening.objects.get()
    day = timezone.localdate(screened.created_at).isoformat()
    expect(
        page.get_by_role(
            "heading", name=f"Needs information — screening of {day} under Back on Track 2009-07"
        )
    ).to_be_visible()
    assert page.url.startswith(first)
    checklist = page.locator("#missing-facts li")
    expect(checklist).to_have_count(1)
    expect(checklist).to_contain_text("Legal authorization to work in the United States")
    expect(checklist).to_contain_text("The case manager, from I-9 documents")

    # Keyboard and labels: the form is reached and filled through its labels.
    page.get_by_label("Verified").check()
    page.get_by_label("How it was established").fill("I-9 documents reviewed")
    page.get_by_label("Document (optional)").fill("I-9 2025-0042")
    page.get_by_role("button", name="Record and screen again").click()

    eligible = f"Eligible — screening of {day} under Back on Track 2009-07"
    expect(page.get_by_role("heading", name=eligible)).to_be_visible()
    expect(page.get_by_text("On file: Verified.")).to_be_visible()
    assert [s.result for s in Screening.objects.order_by("id")] == [
        "needs_information",
        "eligible",
    ]
    assert CaseFact.objects.get().method == "I-9 documents reviewed"

    # Back on the case page, both screenings are listed, newest first.
    page.get_by_role("link", name=f"Case {case}").first.click()
    rows = page.get_by_role("region", name="Screening").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Eligible")
    expect(rows.first).to_contain_text("Current")
    expect(rows.nth(1)).to_contain_text("Needs information")
    expect(rows.nth(1)).to_contain_text("Superseded")
    current = Screening.objects.order_by("id").last()
    assert current is not None

    # A supervisor overrides: the form shows what will change, and nothing is written until
    # the override is confirmed.
    page.get_by_role("button", name="Sign out case_manager-user").click()
    sign_in(page, live_server.url, "supervisor-user")
    page.goto(f"{live_server.url}/eligibility/screenings/{current.pk}/")
    page.get_by_label("Overridden result").select_option("ineligible")
    page.get_by_label("Reason (required; recorded with your name)").fill("Pending federal hold")
    page.get_by_role("button", name="Review the override").click()
    expect(page.get_by_role("heading", name="What will change")).to_be_visible()
    expect(page.locator("#override-change")).to_contain_text(eligible)
    expect(page.locator("#override-change")).to_contain_text(
        "Ineligible — supervisor override by supervisor-user: Pending federal hold"
    )
    assert not ScreeningOverride.objects.exists()
    page.get_by_role("button", name="Confirm the override").click()
    override = ScreeningOverride.objects.get()
    on = timezone.localdate(override.created_at).isoformat()
    expect(
        page.get_by_role(
            "heading",
            name=f"Ineligible — supervisor override by supervisor-user on {on}: "
            "Pending federal hold",
        )
    ).to_be_visible()

    # ... and withdraws it: the latest screening decides again.
    page.get_by_label("Reason for withdrawing (required; recorded with your name)").fill(
        "Hold lifted"
    )
    page.get_by_role("button", name="Withdraw the override").click()
    expect(page.get_by_role("heading", name=eligible)).to_be_visible()
    override.refresh_from_db()
    assert (override.withdrawal_reason, override.withdrawn_by) == ("Hold lifted", supervisor)
