"""In a real browser: a visible focus ring (≥ 3:1 against the page) on every focusable
element, the sign-out button included; pages usable at tablet width; the catalog searchable."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.pages import sample_records
from tests.test_browser_csp import signed_in

pytestmark = pytest.mark.browser

# WCAG relative luminance and contrast of two computed "rgb(r, g, b)" colours.
CONTRAST = """
([a, b]) => {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
"""
RING = """
(e) => { const s = getComputedStyle(e);
  return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor,
          getComputedStyle(document.body).backgroundColor]; }
"""


def ring(page: Page, selector: str) -> tuple[str, float, float]:
    """Tab until ``selector`` has the keyboard focus; its outline style, width and contrast."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.locator(selector).evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail(f"{selector} never received the keyboard focus")
    style, width, colour, background = page.locator(selector).evaluate(RING)
    return style, width, page.evaluate(CONTRAST, [colour, background])


def test_keyboard_focus_is_visible_on_links_fields_and_the_sign_out_button(
    live_server: Any, page: Page, catalog: None
) -> None:
    records = sample_records()
    signed_in(page, live_server.url, records["reader"])
    page.goto(f"{live_server.url}/cases/")
    for selector in (
        "header nav a[href='/cases/']",
        "#id_q, main input[name='q']",
        "#header-search",  # the header's search box (search app)
        "form.inline-form button",  # Sign out
    ):
        style, width, contrast = ring(page, selector)
        assert (style, width) == ("solid", 3.0), selector
        assert contrast >= 3, (selector, contrast)


def test_pages_fit_a_tablet_and_the_catalog_finds_a_code_by_words(
    live_server: Any, page: Page, catalog: None
) -> None:
    records = sample_records()
    signed_in(page, live_server.url, records["reader"])
    page.set_viewport_size({"width": 768, "height": 1024})
    for path in ("/cases/", f"/cases/{records['case_id']}/", "/offenses/"):
        page.goto(f"{live_server.url}{path}")
        # Nothing wider than the screen: no sideways scrolling of the whole page.
        assert page.evaluate("document.documentElement.scrollWidth") <= 768, path
        expect(page.get_by_role("button", name="Sign out header-walker")).to_be_in_viewport()
    page.get_by_label("Search by code or description").fill("burglary first")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("PC 460(a)")
    expect(page.locator("table caption")).to_have_text("2 statutes matching “burglary first”")
