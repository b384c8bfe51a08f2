"""A NUL in a query parameter is refused in one place (``common/params.py``) with a 400 and
the product's page: PostgreSQL text cannot hold NUL, so it used to be a 500 there."""

from __future__ import annotations

from typing import Any

import pytest

from ontrack.audit.models import AuditEvent

# Every page that reads a query parameter, search boxes first (case search finds people).
URLS = [
    "/cases/?q=%00",
    "/cases/?q=Reyes%00",
    "/offenses/?category=%00",
    "/audit/?object_type=%00",
    "/audit/?object_id=1%00",
    "/imports/?page=%00",
    "/cases/?%00=x",
    "/eligibility/policies/back-on-track/?from=%00",
]


@pytest.mark.parametrize("url", URLS)
def test_a_nul_in_a_query_parameter_is_a_400_with_the_products_page(
    client: Any, supervisor: Any, auditor: Any, url: str
) -> None:
    client.force_login(auditor if url.startswith("/audit/") else supervisor)
    events = AuditEvent.objects.count()
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<h1>Bad request</h1>" in body
    assert "A query parameter contains a NUL character (%00), which no search can hold." in body
    assert '<a href="/" class="contrast">OnTrack</a>' in body  # the product's own navigation
    assert AuditEvent.objects.count() == events


def test_an_escaped_percent_sign_is_ordinary_text(client: Any, supervisor: Any) -> None:
    client.force_login(supervisor)
    assert client.get("/cases/?q=%2500").status_code == 200  # the text "%00", not a NUL


def test_a_nul_is_refused_before_sign_in_too(client: Any) -> None:
    response = client.get("/accounts/login/?next=%00")
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()
