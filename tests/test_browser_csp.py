"""In a real browser, the main pages run under the Content-Security-Policy without one
violation: nothing inline was left behind, and htmx and our own script still work (issue 8)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from ontrack.accounts.tests.helpers import VerifiedClient
from tests.pages import sample_records

pytestmark = pytest.mark.browser

# Recorded before any page script runs (Playwright's init scripts are not subject to the CSP).
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


def watch(page: Page) -> list[str]:
    """Console errors of the page; a CSP refusal is always logged as one."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(LISTEN)
    return errors


def violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.__violations")
    return found


def signed_in(page: Page, base: str, user: Any) -> None:
    # A session made by Django's test client: this test is about headers, not the sign-in.
    client = VerifiedClient()  # password and second factor (CJIS IA-2)
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_main_pages_report_no_csp_violation(live_server: Any, page: Page, catalog: None) -> None:
    records = sample_records()
    base = live_server.url
    errors = watch(page)

    page.goto(f"{base}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # The stylesheet moved to a file still applies: the sign-in box is 28rem wide at most.
    widths = page.locator("article.narrow").evaluate(
        "e => [getComputedStyle(e).maxWidth,"
        " 28 * parseFloat(getComputedStyle(document.documentElement).fontSize) + 'px']"
    )
    assert widths[0] == widths[1]
    assert violations(page) == []

    signed_in(page, base, records["reader"])
    page.goto(f"{base}/cases/")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()
    page.get_by_label("Search by name, alias, identifier or docket number").fill("arriaga")
    expect(page.locator("#results tbody tr")).to_have_count(1)  # htmx swapped the results
    assert violations(page) == []

    page.goto(f"{base}/cases/{records['case_id']}/")
    expect(page.get_by_role("button", name="Screen this case")).to_be_visible()  # htmx loaded
    assert violations(page) == []

    page.goto(f"{base}/offenses/")
    page.get_by_label("Category").select_option(index=1)  # site.js submits the form
    page.wait_for_url(re.compile(r"/offenses/\?q=&category=[a-z_]+$"))
    assert violations(page) == []

    for path in (
        f"/people/{records['person_id']}/",
        f"/eligibility/screenings/{records['screening_id']}/",
        "/eligibility/policies/",
        "/eligibility/policies/back-on-track/",
        "/imports/",
        "/audit/",
    ):
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 200, path
        assert violations(page) == [], path

    page.goto(f"{base}/no/such/page/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert violations(page) == []

    assert [e for e in errors if "Failed to load resource" not in e] == []

    # The listener really hears refusals: an inline style added now is refused and reported.
    page.evaluate(
        "document.head.append(Object.assign(document.createElement('style'), {textContent: 'p{}'}))"
    )
    page.wait_for_function("window.__violations.length > 0")
    assert violations(page) == ["style-src-elem inline"]
