"""CJIS IA-11: overriding a screening needs the password and a code again when the last
time they were given is more than 15 minutes ago; until then nothing is written."""

from __future__ import annotations

import time
from typing import Any

from ontrack.accounts.session_limits import VERIFIED_AT
from ontrack.accounts.tests.helpers import current_code, enrolled_device
from ontrack.eligibility.models import Screening, ScreeningOverride
from ontrack.eligibility.tests.helpers import screening_url


def _verified_ago(client: Any, seconds: float) -> None:
    session = client.session
    session[VERIFIED_AT] = time.time() - seconds
    session.save()


def test_an_override_needs_a_recent_sign_in(
    client: Any, supervisor: Any, screened: Screening, new_events: Any, new_access: Any
) -> None:
    client.force_login(supervisor)
    _verified_ago(client, 16 * 60)
    page = screening_url(screened)
    refused = client.post(
        f"{page}override/",
        {"result": "eligible", "reason": "Seen in court", "confirm": "yes"},
        HTTP_REFERER=page,
    )
    assert refused.status_code == 302
    assert refused["Location"] == f"/accounts/reauth/?next={page.replace('/', '%2F')}"
    assert not ScreeningOverride.objects.exists()
    assert list(new_events()) == []

    wrong = client.post("/accounts/reauth/", {"password": "not it", "code": "000000"})
    assert wrong.status_code == 400
    again = client.post(
        f"{page}override/",
        {"result": "eligible", "reason": "Seen in court", "confirm": "yes"},
        HTTP_REFERER=page,
    )
    assert again["Location"].startswith("/accounts/reauth/")

    code = current_code(enrolled_device(supervisor))
    back = client.post("/accounts/reauth/", {"password": "x" * 16, "code": code, "next": page})
    assert back["Location"] == page
    done = client.post(
        f"{page}override/", {"result": "eligible", "reason": "Seen in court", "confirm": "yes"}
    )
    assert done["Location"] == page
    assert ScreeningOverride.objects.get().reason == "Seen in court"
    assert list(new_events().order_by("id").values_list("action", flat=True)) == [
        "screening.overridden"
    ]
    assert list(new_access().filter(action__startswith="signin.").values_list("action")) == [
        ("signin.failed",),  # the wrong password counts toward the lockout (CJIS AC-7)
        ("signin.reauthentication_failed",),
        ("signin.reauthenticated",),
    ]


def test_within_fifteen_minutes_no_second_sign_in(
    client: Any, supervisor: Any, screened: Screening
) -> None:
    client.force_login(supervisor)
    _verified_ago(client, 14 * 60)
    done = client.post(
        f"{screening_url(screened)}override/",
        {"result": "eligible", "reason": "r", "confirm": "yes"},
    )
    assert done["Location"] == screening_url(screened)
    assert ScreeningOverride.objects.count() == 1
