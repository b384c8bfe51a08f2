"""Referral intake in a real browser: the referral, the near-duplicate warning (the person
already on file, side by side with the referral), picking them, the case with a charge code
completed from the catalog, and the new case page (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory, assign
from ontrack.people.models import Person
from ontrack.people.tests.factories import PersonFactory
from ontrack.referrals.models import Referral
from tests.test_browser_eligibility import sign_in

pytestmark = pytest.mark.browser


def test_a_referral_through_intake_with_a_near_duplicate(
    live_server: Any, page: Page, case_manager: Any, catalog: None
) -> None:
    on_file = PersonFactory(
        given_name="Marisol", family_name="Quintero", date_of_birth=dt.date(2003, 5, 17)
    )
    assign(CaseFactory(defendant=on_file, docket_number="CRI-2024-000001"), case_manager)
    people = Person.objects.count()

    sign_in(page, live_server.url, "case_manager-user")
    page.get_by_role("link", name="New referral").click()
    expect(page.get_by_role("heading", name="New referral")).to_be_visible()
    page.get_by_label("Referred by").select_option(label="Defense counsel")
    page.get_by_label("Referral date").fill("2025-03-03")
    page.get_by_label("Name of the person referring").fill("Ana Ruiz")
    page.get_by_label("Their agency or role").fill("Public Defender")
    page.get_by_label("Given name").fill("Marisol")
    page.get_by_label("Family name").fill("Quintero")
    page.get_by_label("Date of birth (blank if not known)").fill("2003-05-17")
    page.get_by_role("button", name="Next: is this person already on file?").click()

    # The warning, with the referral's name and birth date beside the person on file's.
    expect(page.locator("#possible-duplicates")).to_have_text(
        "1 person on file may be the person referred. Compare them before creating anyone new."
    )
    rows = page.get_by_role("table", name="People who may already be on file").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Quintero, Marisol (as referred)")
    expect(rows.nth(0)).to_contain_text("2003-05-17")
    expect(rows.nth(1)).to_contain_text("Quintero, Marisol")
    expect(rows.nth(1)).to_contain_text("2003-05-17")
    expect(rows.nth(1)).to_contain_text("same family name, same given name, same date of birth")
    page.get_by_label("Quintero, Marisol", exact=True).check()
    page.get_by_role("button", name="Next: the case").click()

    expect(page.get_by_role("heading", name="New referral: the case")).to_be_visible()
    page.get_by_label("Docket number").fill("CRI-2025-900010")
    page.get_by_label("Court").fill("San Francisco Superior Court")
    page.get_by_label("Filing date (blank if not filed yet)").fill("2025-03-04")
    code = page.locator("#id_charges-0-statute_code")
    code.press_sequentially("HS 1135")
    # HTMX fills the one suggestion list from the catalog while the code is typed.
    suggestion = page.locator('#statute-codes option[value="HS 11351"]')
    expect(suggestion).to_have_text(
        "HS 11351: Possession or purchase for sale of a narcotic controlled substance (felony)"
    )
    code.fill("HS 11351")
    page.locator("#id_charges-0-offense_date").fill("2025-03-01")
    page.get_by_role("button", name="Take the referral and open the case").click()

    case = Case.objects.get(docket_number="CRI-2025-900010")
    expect(page).to_have_url(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_text("CRI-2025-900010").first).to_be_visible()
    assert case.defendant_id == on_file.pk
    assert Person.objects.count() == people  # linked to the person on file, nobody created
    assert list(case.charges.values_list("statute_code", "level", "description")) == [
        ("HS 11351", "felony", "Possession or purchase for sale of a narcotic controlled substance")
    ]
    referral = Referral.objects.get()
    assert (referral.source, referral.referrer_name, referral.linked_existing_person) == (
        "defense",
        "Ana Ruiz",
        True,
    )
