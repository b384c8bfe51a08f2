"""Error pages are the product's own, with navigation, and never Django's debug page (issue 8).

Settings refuse DEBUG in production (``test_settings``); here DEBUG is off, as in production.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory, override_settings

from tests.test_headers import assert_protected

pytestmark = pytest.mark.django_db


def body_of(response: Any) -> str:
    return " ".join(response.content.decode().split())


@override_settings(DEBUG=False)
def test_404_is_our_page_with_navigation(client: Any, case_manager: Any) -> None:
    client.force_login(case_manager)
    response = client.get("/cases/999999/")
    assert response.status_code == 404
    body = body_of(response)
    assert "<title>Page not found · OnTrack</title>" in body
    assert "<h1>Page not found</h1>" in body
    assert '<a href="/cases/">Caseload</a>' in body  # the signed-in navigation
    assert "Sign out case_manager-user" in body
    assert "Django" not in body
    assert_protected(response, "404")


@override_settings(DEBUG=False)
def test_404_for_an_unknown_address(client: Any) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in body_of(response)
    assert "Django" not in body_of(response)


@override_settings(DEBUG=False)
def test_403_is_our_page_with_navigation(client: Any, case_manager: Any) -> None:
    client.force_login(case_manager)
    response = client.get("/audit/")  # case managers do not read the audit trail
    assert response.status_code == 403
    body = body_of(response)
    assert "<h1>Not allowed</h1>" in body
    assert '<a href="/cases/">Caseload</a>' in body
    assert_protected(response, "403")


@override_settings(DEBUG=False)
def test_csrf_failure_is_our_page(client: Any, case_manager: Any) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(case_manager)
    response = strict.post("/accounts/logout/")
    assert response.status_code == 403
    body = body_of(response)
    assert "<h1>Form expired</h1>" in body
    assert "CSRF" not in body  # not Django's page, which names the mechanism
    assert_protected(response, "CSRF 403")


@override_settings(DEBUG=False, ROOT_URLCONF="tests.error_urls")
def test_500_is_our_page_and_hides_the_error(client: Any) -> None:
    client.raise_request_exception = False
    response = client.get("/test-only/broken/")
    assert response.status_code == 500
    body = body_of(response)
    assert "<h1>Something went wrong</h1>" in body
    assert '<a href="/">Go to the start page</a>' in body
    for leaked in ("Traceback", "RuntimeError", "Arriaga", "1985-01-01", "Django"):
        assert leaked not in body
    assert_protected(response, "500")


def test_500_renders_without_database_or_request_context(
    client: Any, case_manager: Any, django_db_blocker: Any
) -> None:
    """The configured 500 handler must not touch the session, the user or any table: the
    database may be what failed. The request carries a signed-in user loaded lazily, as
    AuthenticationMiddleware leaves it, so a handler that rendered with the request context
    (and so asked whether the user is signed in) would query and fail here."""
    from django.contrib.auth import get_user
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import get_resolver
    from django.utils.functional import SimpleLazyObject

    client.force_login(case_manager)
    request = RequestFactory().get("/cases/")
    request.session = SessionStore(session_key=client.session.session_key)
    request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]
    handler = get_resolver().resolve_error_handler(500)
    with django_db_blocker.block():  # any query now raises
        response = handler(request)
    assert response.status_code == 500
    body = body_of(response)
    assert "<h1>Something went wrong</h1>" in body
    assert '<a href="/" class="contrast">OnTrack</a>' in body  # navigation back to the start
