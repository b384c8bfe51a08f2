"""Headers and caching (issue 8): every response carries a Content-Security-Policy without
'unsafe-inline' and ``Cache-Control: no-store``; no template holds inline style or script."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.template import engines

from tests.pages import every_page, sample_records

# The exact policy: anything looser (a new source, 'unsafe-inline', 'unsafe-eval') fails here.
EXPECTED_CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}
# Views that accept only POST; a GET is refused with 405, which must carry the headers too.
POST_ONLY = {
    "accounts:logout",
    "enrollments:move",  # enrollments (issue 10): the Status panel's forms
    "notes:add",  # notes
    "notes:upload",  # notes
    "responses:record",  # responses (issue 10): the decision form posts here
    "cases:assign",
    "queues:assign",
    "eligibility:screen",
    "eligibility:record_work_authorization",
    "eligibility:override",
    "eligibility:withdraw_override",
    "cases:remove_charge",
    "people:add_alias",
    "people:remove_alias",
    "people:add_identifier",
    "people:remove_identifier",
    "people:history_check",
    "people:add_prior",
    "people:remove_prior",
    "staff:change_role",
    "staff:change_programs",
    "staff:disable",
    "staff:enable",
    "staff:unlock",
    "staff:reset_mfa",
    "staff:revoke_token",
    "staff:reset_password",
    # hearings
    "hearings:schedule",
    "hearings:reschedule",
    "hearings:cancel",
}

INLINE = re.compile(
    r"<style\b"  # a style element
    r"|\sstyle\s*="  # a style attribute
    r"|<script\b(?![^>]*\ssrc=)"  # a script element with a body instead of a src
    r"|\son[a-z]+\s*="  # an event-handler attribute (onclick=, onchange= ...)
    r"|javascript:",  # a javascript: URL
    re.IGNORECASE,
)


def assert_protected(response: Any, where: str) -> None:
    policy = response.headers.get("Content-Security-Policy")
    assert policy is not None, f"{where}: no Content-Security-Policy"
    assert set(policy.split("; ")) == EXPECTED_CSP, where
    assert "unsafe" not in policy, where
    assert response.headers.get("Cache-Control") == "no-store", where


@pytest.mark.django_db
def test_every_page_has_the_policy_and_no_store(client: Any, catalog: None) -> None:
    records = sample_records()
    client.force_login(records["reader"])
    statuses = {}
    for page in every_page(records):
        response = client.get(page.url)
        statuses[page.name] = response.status_code
        assert_protected(response, page.url)
        if response["Content-Type"].startswith("text/html"):
            found = INLINE.findall(response.content.decode())
            assert found == [], f"{page.url} renders inline style or script: {found}"
    assert len(statuses) >= 14  # the walk found the URLconf
    assert {n for n, s in statuses.items() if s == 405} == POST_ONLY
    # The sign-in page sends a signed-in reader on to the start page; every other page
    # renders (the start page too: the parts of the reader's queues, ontrack.queues).
    redirects = {n: s for n, s in statuses.items() if s not in (200, 405)}
    # An enrolled account is sent from enrolment to its code and has no QR code to fetch.
    # The API answers a session 401: only a bearer token reaches it (ADR 0054).
    api = {n: 401 for n in statuses if n.startswith("api:") and n not in ("api:schema", "api:docs")}
    assert redirects == {
        "accounts:login": 302,
        "accounts:enroll": 302,
        "accounts:enroll_qr": 404,
        # Referral intake's later steps send back to step 1 when no referral is in progress.
        "referrals:person": 302,
        "referrals:case": 302,
        **api,
    }
    assert len(api) == 14 + 4 + 3 + 2 + 4 + 3  # issue 10: enrollments, plans, hearings,
    # notes, drugtests + responses


@pytest.mark.django_db
def test_anonymous_responses_have_the_policy_and_no_store(client: Any, catalog: None) -> None:
    records = sample_records()
    for page in every_page(records):
        assert_protected(client.get(page.url), page.url)  # sign-in page or redirect to it
    assert_protected(client.get("/no/such/page/"), "404")
    refused = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert refused.status_code == 200  # the form again, with its error
    assert_protected(refused, "failed sign-in")


@pytest.mark.django_db
def test_htmx_fragments_have_the_policy_and_no_store(client: Any, catalog: None) -> None:
    records = sample_records()
    client.force_login(records["reader"])
    for url in ("/cases/?q=arriaga", f"/eligibility/cases/{records['case_id']}/"):
        response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "<html" not in response.content.decode()
        assert_protected(response, url)


def template_files() -> list[Path]:
    # The project directory and every app's templates/ (Django's and libraries' are not ours).
    dirs = {Path(d) for engine in engines.all() for d in engine.template_dirs}
    ours = [d for d in dirs if Path(settings.PACKAGE_DIR) in d.parents]
    return sorted(p for d in ours for p in d.rglob("*.html"))


def test_no_template_holds_inline_style_or_script() -> None:
    files = template_files()
    assert len(files) >= 20  # the scan really found the templates
    offenders = {
        str(path.relative_to(settings.PACKAGE_DIR)): INLINE.findall(path.read_text())
        for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize(
    "snippet",
    [
        "<style>p{}</style>",
        '<p style="color:red">',
        "<script>alert(1)</script>",
        '<select onchange="go()">',
        '<a href="javascript:go()">',
    ],
)
def test_the_scan_recognises_inline_style_and_script(snippet: str) -> None:
    assert INLINE.findall(snippet) != []


def test_the_scan_allows_scripts_from_files() -> None:
    assert INLINE.findall('<script src="/static/ontrack/site.js" defer></script>') == []
