"""The intake workbench end to end, driven only through the pages (issue 9, "Done when"):
a referral through intake past a near-duplicate warning, a screening that needs
information, each missing fact supplied through the form its link names, an eligible
result, a supervisor's override and its withdrawal, and a stale edit refused in a second
browser context (Playwright driving Debian's Chromium).

After the set-up (accounts, a program, one person already on file who is *not* the person
referred) nothing is written through the ORM: every change is made by clicking."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory, assign, program_with
from ontrack.eligibility.models import Screening, ScreeningOverride
from ontrack.people.models import Person
from ontrack.people.tests.factories import PersonFactory
from tests.test_browser_eligibility import sign_in

pytestmark = pytest.mark.browser

POLICY = "Back on Track 2009-07"


def _needed(page: Page) -> list[str]:
    """The missing facts the screening page lists, by their labels (in page order)."""
    return page.locator("#missing-facts li strong").all_inner_texts()


def _settle(page: Page) -> None:
    """Wait until the page's own requests (HTMX fragments, suggestions) are answered before
    another browser context writes: the test database is SQLite in memory (shared cache),
    where two overlapping requests fail with "database table is locked" rather than wait."""
    page.wait_for_load_state("networkidle")


def _screen_again(page: Page, base: str, shown: str) -> str:
    """From the screening page shown, to the case page, and "Screen this case": the URL of
    the new screening."""
    page.get_by_role("link", name=re.compile(r"^Case CRI-")).first.click()
    page.get_by_role("region", name="Screening").get_by_role(
        "button", name="Screen this case"
    ).click()
    expect(page).not_to_have_url(shown)
    expect(page).to_have_url(re.compile(rf"{base}/eligibility/screenings/\d+/"))
    return page.url


def test_the_intake_workbench_from_referral_to_decision(
    live_server: Any, browser: Browser, case_manager: Any, supervisor: Any, catalog: None
) -> None:
    program = program_with(case_manager, supervisor)
    # Already on file: the referred person's namesake, born 24 years earlier (her mother, say).
    on_file = PersonFactory(
        given_name="Marisol", family_name="Quintero", date_of_birth=dt.date(1979, 2, 11)
    )
    assign(CaseFactory(defendant=on_file, docket_number="CRI-2019-000777"), case_manager, program)
    people = Person.objects.count()
    base = live_server.url

    manager_context, supervisor_context = browser.new_context(), browser.new_context()
    try:
        manager_context.set_default_timeout(10_000)
        supervisor_context.set_default_timeout(10_000)
        page = manager_context.new_page()
        sign_in(page, base, "case_manager-user")

        # 1. The referral. The warning puts the person on file beside the referral; the birth
        # dates are 24 years apart, so the case manager creates a new person.
        page.get_by_role("link", name="New referral").click()
        page.get_by_label("Referred by").select_option(label="Filing deputy (district attorney)")
        page.get_by_label("Referral date").fill("2025-04-02")
        page.get_by_label("Name of the person referring").fill("Dana Whitfield")
        page.get_by_label("Their agency or role").fill("Filing deputy, Narcotics")
        page.get_by_label("Given name").fill("Marisol")
        page.get_by_label("Family name").fill("Quintero")
        page.get_by_label("Date of birth (blank if not known)").fill("2003-05-17")
        page.get_by_role("button", name="Next: is this person already on file?").click()

        expect(page.locator("#possible-duplicates")).to_have_text(
            "1 person on file may be the person referred. Compare them before creating anyone new."
        )
        table = page.get_by_role("table", name="People who may already be on file")
        rows = table.locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("Quintero, Marisol (as referred)")
        expect(rows.nth(0)).to_contain_text("2003-05-17")
        expect(rows.nth(1)).to_contain_text("Quintero, Marisol")
        expect(rows.nth(1)).to_contain_text("1979-02-11")
        expect(rows.nth(1)).to_contain_text(
            "same family name, same given name, different date of birth"
        )
        page.get_by_label("None of these: create a new person, Marisol Quintero").check()
        page.get_by_role("button", name="Next: the case").click()

        expect(page.get_by_role("heading", name="New referral: the case")).to_be_visible()
        page.get_by_label("Docket number").fill("CRI-2025-424242")
        page.get_by_label("Court").fill("San Francisco Superior Court")
        page.get_by_label("Filing date (blank if not filed yet)").fill("2025-04-01")
        code = page.locator("#id_charges-0-statute_code")
        code.press_sequentially("HS 1135")
        expect(page.locator('#statute-codes option[value="HS 11351"]')).to_have_text(
            "HS 11351: Possession or purchase for sale of a narcotic controlled substance (felony)"
        )
        _settle(page)
        code.fill("HS 11351")
        page.locator("#id_charges-0-offense_date").fill("2025-03-30")
        page.get_by_role("button", name="Take the referral and open the case").click()

        case = Case.objects.get(docket_number="CRI-2025-424242")
        expect(page).to_have_url(f"{base}/cases/{case.pk}/")
        assert Person.objects.count() == people + 1
        assert case.defendant_id != on_file.pk

        # 2. The first screening: needs information, each missing fact with who supplies it.
        section = page.get_by_role("region", name="Screening")
        expect(section.get_by_label("Policy")).to_have_value("back-on-track")
        section.get_by_role("button", name="Screen this case").click()
        expect(page).to_have_url(re.compile(rf"{base}/eligibility/screenings/\d+/"))
        first = Screening.objects.get()
        day = timezone.localdate(first.created_at).isoformat()
        expect(
            page.get_by_role(
                "heading", name=f"Needs information — screening of {day} under {POLICY}"
            )
        ).to_be_visible()
        assert _needed(page) == [
            "PC 186.22 alleged",
            "HS 11353.6 (or another school-zone provision) alleged",
            "Number of prior felony convictions",
            "Any prior conviction requiring registration under PC 290(c)",
            "Any prior conviction on PC 667.5(c) or 1192.7(c)",
            "Current offense armed or with a weapon enhancement",
            "Legal authorization to work in the United States",
        ]
        expect(page.locator("#need-gang_enhancement")).to_contain_text(
            "who can supply it: The charging document (the filing deputy)."
        )
        expect(page.locator("#need-prior_felony_convictions")).to_contain_text(
            "who can supply it: A criminal-history (rap sheet) check from CA DOJ, entered by the"
            " case manager."
        )
        expect(page.locator("#need-work_authorization")).to_contain_text(
            "who can supply it: The case manager, from I-9 documents."
        )
        screening_url = page.url
        needs = f"Needs information — screening of {day} under {POLICY}"

        # 3. Each missing fact through the link beside it. The history check first: a check
        # that found nothing answers the three prior-history facts.
        page.locator("#need-prior_felony_convictions").get_by_role(
            "link", name="Record the criminal-history check and prior records"
        ).click()
        check = page.locator("#check-form")
        check.get_by_label("Which check (e.g. CA DOJ rap sheet)").fill("CA DOJ rap sheet")
        check.get_by_label("Date of the check (optional)").fill("2025-04-03")
        check.get_by_label(
            "Prior offenses it reported (0: the check found none; blank: not known)"
        ).fill("0")
        check.get_by_role("button", name="Record the check").click()
        expect(page).to_have_url(screening_url)  # back where the link was followed
        # A stored screening never changes; the next one, from the case page, asks for less.
        screening_url = _screen_again(page, base, screening_url)
        expect(page.get_by_role("heading", name=needs)).to_be_visible()
        assert _needed(page) == [
            "PC 186.22 alleged",
            "HS 11353.6 (or another school-zone provision) alleged",
            "Current offense armed or with a weapon enhancement",
            "Legal authorization to work in the United States",
        ]

        # The allegations, on the charge: none of the three is alleged in the complaint.
        page.locator("#need-weapon_involved").get_by_role(
            "link", name="Edit count 1 (HS 11351)"
        ).click()
        for allegation in ("Weapon alleged", "Gang alleged", "Near school alleged"):
            page.get_by_label(allegation).select_option(label="not alleged")
        page.get_by_role("button", name="Save").click()
        expect(page).to_have_url(screening_url)
        screening_url = _screen_again(page, base, screening_url)
        expect(page.get_by_role("heading", name=needs)).to_be_visible()
        assert _needed(page) == ["Legal authorization to work in the United States"]

        # Work authorization, a case fact recorded with its evidence.
        page.locator("#need-work_authorization").get_by_role(
            "link", name="Record: Legal authorization to work in the United States"
        ).click()
        page.get_by_label("Verified").check()
        page.get_by_label("How it was established").fill("I-9 documents reviewed")
        page.get_by_label("Document (optional)").fill("I-9 2025-0107")
        page.get_by_role("button", name="Record", exact=True).click()
        expect(page).to_have_url(screening_url)

        # 4. Screened again: eligible, nothing missing.
        screening_url = _screen_again(page, base, screening_url)
        eligible = f"Eligible — screening of {day} under {POLICY}"
        expect(page.get_by_role("heading", name=eligible)).to_be_visible()
        expect(page.locator("#missing-facts li")).to_have_count(0)
        assert list(Screening.objects.order_by("id").values_list("result", flat=True)) == [
            "needs_information", "needs_information", "needs_information", "eligible",
        ]  # fmt: skip

        # 5. A supervisor, signed in separately, overrides through the confirmation step ...
        boss = supervisor_context.new_page()
        sign_in(boss, base, "supervisor-user")
        boss.goto(screening_url)
        boss.get_by_label("Overridden result").select_option("ineligible")
        boss.get_by_label("Reason (required; recorded with your name)").fill(
            "Federal immigration hold pending"
        )
        boss.get_by_role("button", name="Review the override").click()
        expect(boss.get_by_role("heading", name="What will change")).to_be_visible()
        assert not ScreeningOverride.objects.exists()
        boss.get_by_role("button", name="Confirm the override").click()
        overridden = (
            f"Ineligible — supervisor override by supervisor-user on {day}: "
            "Federal immigration hold pending"
        )
        expect(boss.get_by_role("heading", name=overridden)).to_be_visible()
        # ... which is what the case page now states (the case manager's view).
        page.goto(f"{base}/cases/{case.pk}/")
        expect(page.locator("#decision")).to_have_text(f"Decision in force: {overridden}")
        _settle(page)
        # The supervisor withdraws it: the latest screening decides again.
        boss.get_by_label("Reason for withdrawing (required; recorded with your name)").fill(
            "Hold lifted by ICE on review"
        )
        boss.get_by_role("button", name="Withdraw the override").click()
        expect(boss.get_by_role("heading", name=eligible)).to_be_visible()
        withdrawn = ScreeningOverride.objects.get()
        assert (withdrawn.result, withdrawn.withdrawal_reason, withdrawn.withdrawn_by) == (
            "ineligible",
            "Hold lifted by ICE on review",
            supervisor,
        )
        page.reload()
        expect(page.locator("#decision")).to_have_text(f"Decision in force: {eligible}")

        # 6. A stale edit: both open the case form; the case manager saves first.
        edit = f"{base}/cases/{case.pk}/edit/"
        case.refresh_from_db()
        version = case.row_version
        page.goto(edit)
        boss.goto(edit)
        page.get_by_label("Court").fill("San Francisco Superior Court, Dept. 12")
        boss.get_by_label("Court").fill("San Francisco Superior Court, Dept. 20")
        page.get_by_role("button", name="Save").click()
        expect(page).to_have_url(f"{base}/cases/{case.pk}/")
        _settle(page)
        with boss.expect_response(lambda r: r.request.method == "POST") as answer:
            boss.get_by_role("button", name="Save").click()
        assert answer.value.status == 409
        conflict = boss.locator("#conflict")
        expect(conflict).to_contain_text("Not saved: someone else changed this record")
        expect(conflict).to_contain_text("case_manager-user changed the case at")
        expect(
            conflict.get_by_role(
                "row",
                name="Court San Francisco Superior Court San Francisco Superior Court, Dept. 12",
            )
        ).to_be_visible()
        expect(boss.get_by_label("Court")).to_have_value("San Francisco Superior Court, Dept. 20")
        case.refresh_from_db()
        assert case.court == "San Francisco Superior Court, Dept. 12"
        # Only the first save is in the change audit; the refused one wrote nothing.
        assert list(
            AuditEvent.objects.filter(action="case.updated").values_list(
                "actor_username", "changes"
            )
        ) == [
            (
                "case_manager-user",
                {
                    "court": [
                        "San Francisco Superior Court",
                        "San Francisco Superior Court, Dept. 12",
                    ]
                },
            )
        ]
        assert (case.row_version, Screening.objects.count()) == (version + 1, 4)
    finally:
        manager_context.close()
        supervisor_context.close()
