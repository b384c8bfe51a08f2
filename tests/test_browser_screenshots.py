"""Screenshots of every main page (issue 9: "Screenshots of every main page in
docs/screenshots/, looked at"), taken in a real browser (Playwright, Debian's Chromium).

A small realistic site is built through the services and factories; each role signs in through
the real sign-in (password and second factor) and every main page is captured full-page at
desktop width (1280), two of them at tablet width (768) too. Every capture first asserts that the
page rendered: the answer's status and its heading.

By default the PNGs go to a temporary folder (the test is part of ``make test``). To refresh the
pictures in the docs::

    ONTRACK_SCREENSHOTS=docs/screenshots .venv/bin/pytest -q tests/test_browser_screenshots.py

then look at each one (docs/screenshots/README.md lists them).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import make_user
from playwright.sync_api import Browser, Page, expect

from ontrack.accounts.models import User
from ontrack.accounts.services import system_actor
from ontrack.accounts.tokens import issue_token
from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory, ChargeFactory, PriorRecordFactory, assign
from ontrack.eligibility.models import Screening
from ontrack.people.models import Person
from ontrack.people.services import update_person
from ontrack.people.tests.factories import PersonAliasFactory, PersonFactory
from ontrack.queues.tests.world import Cases, build
from tests.test_browser_eligibility import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}

# The people beyond the five queue cases: a near-duplicate pair (same birth date, one letter
# apart), a name to find behind a typo, and names with accents, apostrophes and hyphens.
PEOPLE = [
    ("Marisol", "Quintero", dt.date(2003, 5, 17), "CRI-2025-300101"),
    ("Marisol", "Quintera", dt.date(2003, 5, 17), "CRI-2025-300102"),
    ("Eric", "Garcia", dt.date(1991, 3, 7), "CRI-2025-300103"),
    ("José", "García-López", dt.date(1988, 11, 2), "CRI-2025-300104"),
    ("Siobhan", "O'Brien", dt.date(1996, 8, 23), "CRI-2025-300105"),
    ("Thanh", "Nguyen", dt.date(1984, 1, 30), "CRI-2025-300106"),
    ("Chidi", "Okafor", dt.date(2001, 9, 12), "CRI-2025-300107"),
]


class Camera:
    """Takes the numbered full-page captures, each after checking the page rendered."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.taken: list[str] = []

    def shot(self, page: Page, name: str, heading: str, status: int | None = None) -> None:
        # Swagger UI's title carries the version after the name; every page of ours is exact.
        exact = not heading.startswith("OnTrack API")
        expect(page.get_by_role("heading", name=heading, exact=exact).first).to_be_visible()
        if status is not None:
            assert self.last_status == status, (name, self.last_status)
        # Nothing wider than the screen: a wide table scrolls in its own box, never the page.
        viewport = page.viewport_size
        assert viewport is not None
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (name, width)
        number = len(self.taken) + 1
        filename = f"{number:02d}-{name}.png"
        page.screenshot(path=str(self.folder / filename), full_page=True)
        self.taken.append(filename)

    def visit(self, page: Page, url: str, name: str, heading: str) -> None:
        response = page.goto(url)
        assert response is not None
        self.last_status = response.status
        self.shot(page, name, heading, status=200)

    last_status: int | None = None


def _people(case_manager: Any) -> dict[str, Case]:
    cases = {}
    for given, family, born, docket in PEOPLE:
        person = PersonFactory(given_name=given, family_name=family, date_of_birth=born)
        case = assign(CaseFactory(defendant=person, docket_number=docket), case_manager)
        ChargeFactory(case=case, count_number=1, statute_code="PC 484", level="misdemeanor",
                      description="Petty theft")  # fmt: skip
        cases[family] = case
    PersonAliasFactory(person=cases["Garcia"].defendant, given_name="Rico", family_name="Garza")
    PriorRecordFactory(person=cases["Quintero"].defendant)
    return cases


def _sign_in_as(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    wanted = os.environ.get("ONTRACK_SCREENSHOTS")
    if not wanted:
        return tmp_path
    target = Path(wanted)
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.png"):
        old.unlink()  # stable names: a page removed from the list leaves no stale picture
    return target


def test_screenshots_of_every_main_page(
    live_server: Any, browser: Browser, folder: Path, catalog: None
) -> None:
    case_manager = make_user("case_manager", "maria.lopez")
    supervisor = make_user("supervisor", "sam.okoye")
    make_user("auditor", "alex.chen")
    make_user("administrator", "pat.admin")
    make_user("analyst", "dana.reyes")
    world: Cases = build(case_manager, supervisor, prefix="CRI-2026-4")
    more = _people(case_manager)
    issue_token(actor=system_actor(), username=case_manager.username, scope="read", days=30)
    base = live_server.url
    camera = Camera(folder)

    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        _case_manager_pages(page, base, camera, world, more)
        _supervisor_pages(page, base, camera, world)
        _other_role_pages(page, base, camera, case_manager)
    finally:
        context.close()
    assert len(camera.taken) == len(set(camera.taken)) == 34
    assert all((folder / name).stat().st_size > 0 for name in camera.taken)


def _case_manager_pages(
    page: Page, base: str, camera: Camera, world: Cases, more: dict[str, Case]
) -> None:
    camera.visit(page, f"{base}/accounts/login/", "sign-in", "Sign in")
    sign_in(page, base, "maria.lopez")
    camera.visit(page, f"{base}/", "start-case-manager", "Intake queue")
    camera.visit(page, f"{base}/cases/", "caseload", "Caseload")
    for slug, heading in (
        ("awaiting-screening", "Awaiting screening"),
        ("needs-information", "Needs information"),
        ("awaiting-decision", "Awaiting a decision"),
    ):
        camera.visit(page, f"{base}/queues/{slug}/", f"queue-{slug}", heading)

    # "How many?" answered, with the list behind it (a case manager may see names).
    camera.last_status = None
    page.goto(f"{base}/queues/how-many/")
    page.get_by_label("Felony, misdemeanor or infraction (highest current charge)").select_option(
        label="Felony"
    )
    page.get_by_role("button", name="Count").click()
    expect(page.locator("main")).to_contain_text("5 of the 12 cases you may see.")
    camera.shot(page, "how-many", "How many?")

    camera.visit(page, f"{base}/search/?q=eric+garsia", "search-typo", "Search people and cases")
    expect(page.locator("main")).to_contain_text("Garcia, Eric")

    quintero = more["Quintero"].defendant
    camera.visit(page, f"{base}/people/{quintero.pk}/", "person-duplicates", "Marisol Quintero")
    expect(page.locator("main")).to_contain_text("Quintera")
    camera.visit(page, f"{base}/people/{quintero.pk}/edit/", "person-edit", "Edit Marisol Quintero")

    # A stale edit: someone else saves first; this form's save is refused with their change.
    stored = Person.objects.get(pk=quintero.pk)
    other = User.objects.get(username="sam.okoye")
    update_person(actor=other, person=stored, expected_version=stored.row_version,
                  city="Oakland")  # fmt: skip
    page.locator("#details-form").get_by_label("City (optional)").fill("Richmond")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Save details").click()
    assert answer.value.status == 409
    expect(page.locator("#conflict")).to_contain_text("Not saved: someone else changed this record")
    camera.shot(page, "person-edit-conflict", "Edit Marisol Quintero")

    case = world.missing
    camera.visit(page, f"{base}/cases/{case.pk}/", "case", f"Case {case.docket_number}")
    camera.visit(
        page, f"{base}/cases/{case.pk}/edit/", "case-edit", f"Edit case {case.docket_number}"
    )
    charge = case.charges.get()
    camera.visit(
        page, f"{base}/cases/{case.pk}/charges/{charge.pk}/", "charge-edit",
        f"Edit count 1 of case {case.docket_number}",
    )  # fmt: skip
    screening = Screening.objects.filter(case=case).latest("id")
    camera.visit(
        page, f"{base}/eligibility/screenings/{screening.pk}/", "screening-needs-information",
        f"Screening of case {case.docket_number}",
    )  # fmt: skip
    expect(page.locator("#missing-facts li")).to_have_count(1)

    _tablet_pages(page, base, camera, world)
    _referral_pages(page, base, camera)
    camera.visit(page, f"{base}/offenses/?q=theft", "catalog", "Offense catalog")
    camera.visit(
        page, f"{base}/eligibility/policies/back-on-track/", "policy", "Policy: Back on Track"
    )


def _referral_pages(page: Page, base: str, camera: Camera) -> None:
    camera.visit(page, f"{base}/referrals/new/", "referral-1-referral", "New referral")
    page.get_by_label("Referred by").select_option(label="Defense counsel")
    page.get_by_label("Referral date").fill("2025-03-03")
    page.get_by_label("Name of the person referring").fill("Ana Ruiz")
    page.get_by_label("Their agency or role").fill("Public Defender")
    page.get_by_label("Given name").fill("Marisol")
    page.get_by_label("Family name").fill("Quintero")
    page.get_by_label("Date of birth (blank if not known)").fill("2003-05-17")
    page.get_by_role("button", name="Next: is this person already on file?").click()
    expect(page.locator("#possible-duplicates")).to_contain_text("2 people on file may be")
    camera.shot(
        page, "referral-2-person-duplicates", "New referral: is Marisol Quintero already on file?"
    )
    page.get_by_label("Quintero, Marisol", exact=True).check()
    page.get_by_role("button", name="Next: the case").click()
    page.get_by_label("Docket number").fill("CRI-2025-900010")
    page.get_by_label("Court").fill("San Francisco Superior Court")
    page.get_by_label("Filing date (blank if not filed yet)").fill("2025-03-04")
    code = page.locator("#id_charges-0-statute_code")
    code.press_sequentially("HS 1135")
    expect(page.locator('#statute-codes option[value="HS 11351"]')).to_have_count(1)
    code.fill("HS 11351")
    page.locator("#id_charges-0-offense_date").fill("2025-03-01")
    camera.shot(page, "referral-3-case", "New referral: the case")
    page.get_by_role("button", name="Take the referral and open the case").click()
    expect(page.get_by_text("CRI-2025-900010").first).to_be_visible()


def _supervisor_pages(page: Page, base: str, camera: Camera, world: Cases) -> None:
    _sign_in_as(page, base, "sam.okoye")
    camera.visit(page, f"{base}/", "start-supervisor", "Review queue")
    camera.visit(page, f"{base}/queues/overrides/", "queue-overrides", "Overrides in force")
    camera.visit(page, f"{base}/queues/conflicts/", "queue-conflicts", "Re-screen conflicts")
    screening = Screening.objects.filter(case=world.eligible).latest("id")
    page.goto(f"{base}/eligibility/screenings/{screening.pk}/")
    page.get_by_label("Overridden result").select_option("ineligible")
    page.get_by_label("Reason (required; recorded with your name)").fill("Pending federal hold")
    page.get_by_role("button", name="Review the override").click()
    camera.shot(
        page,
        "override-confirmation",
        f"Confirm the override of case {world.eligible.docket_number}",
    )
    camera.visit(page, f"{base}/api/v1/docs", "api-docs", "OnTrack API")


def _other_role_pages(page: Page, base: str, camera: Camera, case_manager: Any) -> None:
    _sign_in_as(page, base, "alex.chen")
    camera.visit(page, f"{base}/", "start-auditor", "Audit")
    camera.visit(page, f"{base}/audit/", "audit-trail", "Audit trail")

    _sign_in_as(page, base, "pat.admin")
    camera.visit(page, f"{base}/", "start-administrator", "Accounts")
    camera.visit(page, f"{base}/staff/", "staff", "Staff accounts")
    camera.visit(page, f"{base}/staff/{case_manager.pk}/", "staff-member-tokens", "maria.lopez")

    _sign_in_as(page, base, "dana.reyes")
    camera.visit(page, f"{base}/", "start-analyst", "Counts")
    page.goto(f"{base}/queues/how-many/")
    page.get_by_label("Felony, misdemeanor or infraction (highest current charge)").select_option(
        label="Felony"
    )
    page.get_by_role("button", name="Count").click()
    expect(page.locator("main")).to_contain_text("Answer yes")
    expect(page.locator("main")).not_to_contain_text("CRI-")  # counts only, never a case
    camera.shot(page, "how-many-analyst", "How many?")


def _tablet_pages(page: Page, base: str, camera: Camera, world: Cases) -> None:
    # Still signed in as the case manager (a second sign-in within the authenticator's
    # 30-second step would reuse its code, which the second factor rightly refuses).
    page.set_viewport_size(TABLET)  # type: ignore[arg-type]
    camera.visit(page, f"{base}/cases/", "tablet-caseload", "Caseload")
    case = world.missing
    camera.visit(page, f"{base}/cases/{case.pk}/", "tablet-case", f"Case {case.docket_number}")
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
