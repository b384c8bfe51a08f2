"""In a real browser: the start page of each role, each part with its count linking to its
full list (issue 9 item 5), and an analyst's "How many?" answered with numbers only."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_user
from playwright.sync_api import Page, expect

from ontrack.queues.tests.world import build
from tests.test_browser_csp import signed_in

pytestmark = pytest.mark.browser


def test_the_start_page_of_each_role(live_server: Any, page: Page, catalog: None) -> None:
    case_manager = make_user("case_manager", "cm-browser")
    supervisor = make_user("supervisor", "sup-browser")
    build(case_manager, supervisor)
    base = live_server.url

    signed_in(page, base, case_manager)
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Intake queue")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Needs information")
    expect(row.get_by_role("cell").nth(1)).to_have_text("1")
    row.get_by_role("link", name="Needs information").click()
    expect(page.get_by_role("heading", name="Needs information")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text(
        "Legal authorization to work in the United States"
    )
    expect(page.get_by_role("heading", name="Review queue")).to_have_count(0)

    page.context.clear_cookies()
    signed_in(page, base, supervisor)
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Re-screen conflicts")
    expect(row.get_by_role("cell").nth(1)).to_have_text("1")
    expect(page.get_by_role("table", name="Program totals")).to_contain_text("Back On Track")
    row.get_by_role("link", name="Re-screen conflicts").click()
    expect(page.locator("caption")).to_have_text("Re-screen conflicts: 1 case")

    for role, heading, link in (
        ("auditor", "Audit", "The audit trail"),
        ("administrator", "Accounts", "Staff accounts and roles"),
        ("analyst", "Counts", "How many?"),
    ):
        page.context.clear_cookies()
        signed_in(page, base, make_user(role, f"{role}-browser"))
        page.goto(f"{base}/")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        expect(page.locator("main").get_by_role("link", name=link)).to_be_visible()

    # The analyst counts: five cases, a small cell, so the answer is blank, never a name.
    page.locator("main").get_by_role("link", name="How many?").click()
    page.get_by_label("Felony, misdemeanor or infraction (highest current charge)").select_option(
        label="Felony"
    )
    page.get_by_role("button", name="Count").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Answer yes")
    expect(page.locator("main")).not_to_contain_text("Lupe")
    expect(page.locator("main")).not_to_contain_text("CRI-")
