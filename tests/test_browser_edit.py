"""Two staff members edit the same person in two browser contexts (Playwright, Debian's
Chromium): the first save wins, the second is refused (409) with the first user's change shown
beside what the second entered; nothing is overwritten until the second user saves again
with the change in view."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_user
from playwright.sync_api import Browser, expect

from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.people.models import Person
from ontrack.people.tests.factories import PersonFactory
from tests.test_browser_eligibility import sign_in

pytestmark = pytest.mark.browser


def test_two_editors_of_one_person_see_each_others_change(
    live_server: Any, browser: Browser, supervisor: Any
) -> None:
    make_user("supervisor", "second-supervisor")
    person = PersonFactory(given_name="Lupe", family_name="Arriaga", city="San Francisco", phone="")
    CaseFactory(defendant=person)
    url = f"{live_server.url}/people/{person.pk}/edit/"

    first_context, second_context = browser.new_context(), browser.new_context()
    try:
        first, second = first_context.new_page(), second_context.new_page()
        sign_in(first, live_server.url, "supervisor-user")
        sign_in(second, live_server.url, "second-supervisor")
        # Both open the form at version 1.
        first.goto(url)
        second.goto(url)
        details = "#details-form"
        first.locator(details).get_by_label("City (optional)").fill("Oakland")
        second.locator(details).get_by_label("Phone (optional)").fill("415-555-0100")
        second.locator(details).get_by_label("City (optional)").fill("Richmond")

        first.get_by_role("button", name="Save details").click()
        expect(first.get_by_role("heading", name="Lupe Arriaga")).to_be_visible()
        assert Person.objects.get(pk=person.pk).city == "Oakland"

        with second.expect_response(lambda r: r.request.method == "POST") as answer:
            second.get_by_role("button", name="Save details").click()
        assert answer.value.status == 409
        conflict = second.locator("#conflict")
        expect(conflict).to_contain_text("Not saved: someone else changed this record")
        expect(conflict).to_contain_text("supervisor-user changed the person at")
        row = conflict.get_by_role("row", name="City San Francisco Oakland")
        expect(row).to_be_visible()
        # What the second user entered is kept in the form, not saved.
        expect(second.locator(details).get_by_label("City (optional)")).to_have_value("Richmond")
        expect(second.locator(details).get_by_label("Phone (optional)")).to_have_value(
            "415-555-0100"
        )
        stored = Person.objects.get(pk=person.pk)
        assert (stored.city, stored.phone, stored.row_version) == ("Oakland", "", 2)
        assert list(
            AuditEvent.objects.filter(action="person.updated").values_list(
                "actor_username", "changes"
            )
        ) == [("supervisor-user", {"city": ["San Francisco", "Oakland"]})]

        # Saving again, with the change in view, applies the second user's entries.
        second.get_by_role("button", name="Save details").click()
        expect(second.get_by_role("heading", name="Lupe Arriaga")).to_be_visible()
        stored = Person.objects.get(pk=person.pk)
        assert (stored.city, stored.phone, stored.row_version) == ("Richmond", "415-555-0100", 3)
    finally:
        first_context.close()
        second_context.close()
