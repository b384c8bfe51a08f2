"""End to end in a real browser: Playwright driving Debian's Chromium against a live server."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ontrack.accounts.models import User
from ontrack.accounts.tests.helpers import current_code, enrolled_device
from ontrack.cases.tests.factories import CaseFactory, ChargeFactory, PriorRecordFactory
from ontrack.people.tests.factories import PersonFactory

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, username: str) -> None:
    device = enrolled_device(User.objects.get(username=username))
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("x" * 16)
    page.get_by_role("button", name="Sign in").click()
    # The second factor (CJIS IA-2): the code the user's authenticator shows now.
    expect(page.get_by_role("heading", name="Verification code")).to_be_visible()
    page.get_by_label("Code from your authenticator, or a backup code").fill(current_code(device))
    page.get_by_role("button", name="Verify").click()


def test_case_manager_searches_and_opens_a_case(
    live_server: Any, page: Page, case_manager: Any, catalog: None
) -> None:
    person = PersonFactory(given_name="Marisol", family_name="Quintero")
    case = CaseFactory(defendant=person, docket_number="CRI-2025-424242", case_manager=case_manager)
    ChargeFactory(case=case, count_number=1, statute_code="HS 11351")
    ChargeFactory(case=case, count_number=2, statute_code="PC 12022(a)(1)", weapon_alleged=True)
    PriorRecordFactory(person=person, description="Petty theft")
    CaseFactory(docket_number="CRI-2025-000001", case_manager=case_manager)

    sign_in(page, live_server.url, "case_manager-user")
    expect(page.get_by_role("heading", name="Intake queue")).to_be_visible()  # the start page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").click()
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    expect(page.get_by_text("2 cases · 2 people")).to_be_visible()

    # Search as you type (HTMX swaps the results table without a page load).
    page.get_by_label("Search by name, alias, identifier or docket number").fill("quintero")
    results = page.locator("#results tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Quintero, Marisol")

    page.get_by_role("link", name="CRI-2025-424242").click()
    expect(page.get_by_role("heading", name="Case CRI-2025-424242")).to_be_visible()
    charges = page.get_by_role("table").first
    expect(charges).to_contain_text("Possession")
    expect(charges).to_contain_text("weapon: yes")
    expect(page.get_by_text("Petty theft")).to_be_visible()

    page.get_by_role("button", name="Sign out case_manager-user").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")


def test_keyboard_user_can_skip_to_content(live_server: Any, page: Page, auditor: Any) -> None:
    sign_in(page, live_server.url, "auditor-user")
    expect(page.get_by_role("heading", name="Audit", exact=True)).to_be_visible()  # loaded
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"


def test_wrong_password_shows_an_error(live_server: Any, page: Page, case_manager: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("case_manager-user")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")


def test_first_sign_in_enrols_an_authenticator(
    live_server: Any, page: Page, case_manager: Any
) -> None:
    """The QR code is drawn by OnTrack itself (an <img> of our own SVG, no network), the
    key beside it enrols the authenticator, and the ten backup codes are shown once."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("case_manager-user")
    page.get_by_label("Password").fill("x" * 16)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Set up your authenticator")).to_be_visible()
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    # The image decodes (a broken or blocked image never gets a natural width).
    page.wait_for_function(
        "() => { const i = document.querySelector('img[alt^=\"QR code\"]');"
        " return i.complete && i.naturalWidth > 0; }",
        timeout=5000,
    )
    device = TOTPDevice.objects.get(user=case_manager, confirmed=False)
    page.get_by_label("Six-digit code from the app").fill(current_code(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    expect(page.locator("#backup-codes li")).to_have_count(10)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
