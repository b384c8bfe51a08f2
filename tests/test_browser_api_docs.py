"""The interactive API docs (/api/v1/docs): Swagger UI from package files (no CDN) renders
the schema under the site's strict Content-Security-Policy, with no violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser_csp import signed_in, violations, watch

pytestmark = pytest.mark.browser


def test_the_api_docs_render_under_the_csp(live_server: Any, page: Page, supervisor: Any) -> None:
    base = live_server.url
    errors = watch(page)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    signed_in(page, base, supervisor)
    page.goto(f"{base}/api/v1/docs")
    expect(page.get_by_role("heading", name="OnTrack API")).to_be_visible()
    expect(page.get_by_text("/api/v1/cases/{case_id}/screenings").first).to_be_visible()
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    assert violations(page) == []
    assert errors == []
    assert all(url.startswith(base) for url in requested)  # nothing from elsewhere
