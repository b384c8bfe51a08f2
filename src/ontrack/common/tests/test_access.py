"""Deny by default: every URL's view declares a permission, and undeclared views are refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from ontrack.common.access import (
    API_TOKEN,
    PUBLIC,
    SIGN_IN_STEP,
    DeclaredPermissionMiddleware,
    declared_permission,
)

# Views that anyone may reach. Keep this list short and deliberate.
EXPECTED_PUBLIC = {"accounts:login", "accounts:logout"}


def walk(
    patterns: list[Any], namespace: str = "", converters: dict[str, Any] | None = None
) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    for entry in patterns:
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, ns, found)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry.callback, found


def all_views() -> list[tuple[str, Any]]:
    return [(name, view) for name, view, _ in walk(get_resolver().url_patterns)]


def test_every_view_declares_a_permission() -> None:
    views = all_views()
    assert len(views) >= 8  # the walk really found the URLconf
    undeclared = [name for name, view in views if declared_permission(view) is None]
    assert undeclared == []


def test_public_views_are_exactly_the_sign_in_pages() -> None:
    public = {name for name, view in all_views() if declared_permission(view) == PUBLIC}
    assert public == EXPECTED_PUBLIC


def test_sign_in_steps_are_exactly_these() -> None:
    """Views a signed-in but unverified session reaches (CJIS IA-2): the steps themselves."""
    steps = {name for name, view in all_views() if declared_permission(view) == SIGN_IN_STEP}
    assert steps == {
        "accounts:otp",
        "accounts:enroll",
        "accounts:enroll_qr",
        "accounts:password_change",
        "accounts:reauth",
    }


def test_declared_permissions_exist(db: None) -> None:
    from django.contrib.auth.models import Permission

    known = {
        f"{app}.{code}"
        for app, code in Permission.objects.values_list("content_type__app_label", "codename")
    }
    declared = {declared_permission(v) for _, v in all_views()} - {PUBLIC, SIGN_IN_STEP, API_TOKEN}
    assert declared <= known


def test_middleware_refuses_a_view_without_declaration() -> None:
    from django.core.exceptions import PermissionDenied

    def undeclared(request: Any) -> HttpResponse:
        return HttpResponse("should never be served")

    middleware = DeclaredPermissionMiddleware(lambda r: HttpResponse())
    with pytest.raises(PermissionDenied):
        middleware.process_view(RequestFactory().get("/"), undeclared, (), {})


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(client: Any) -> None:
    from django.urls import reverse
    from django.urls.converters import IntConverter

    for name, view, converters in walk(get_resolver().url_patterns):
        # API views answer 401 instead (ontrack/api/tests/test_auth.py walks them).
        if declared_permission(view) in (PUBLIC, API_TOKEN):
            continue
        kwargs = {k: 1 if isinstance(c, IntConverter) else "x" for k, c in converters.items()}
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/"), name


# The staff pages (CJIS AC-2, AC-6): every URL, every role, the exact status. Only
# administrators reach them; the account actions accept only POST (405 for a GET).
STAFF_PAGES = {
    "staff:list": 200,
    "staff:add": 200,
    "staff:detail": 200,
    "staff:change_role": 405,
    "staff:change_programs": 405,
    "staff:disable": 405,
    "staff:enable": 405,
    "staff:unlock": 405,
    "staff:reset_mfa": 405,
    "staff:reset_password": 405,
    "staff:revoke_token": 405,
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["case_manager", "supervisor", "analyst", "auditor", "administrator"]
)
def test_staff_pages_by_role(client: Any, role: str) -> None:
    from conftest import make_user
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    subject = make_user("analyst", "walk-subject")
    client.force_login(make_user(role, f"walker-{role}"))
    found = {name for name, _, _ in walk(get_resolver().url_patterns) if name.startswith("staff:")}
    assert found == set(STAFF_PAGES)
    for name, admin_status in STAFF_PAGES.items():
        kwargs: dict[str, Any] = (
            {"user_id": subject.pk} if name not in ("staff:list", "staff:add") else {}
        )
        if name == "staff:revoke_token":
            kwargs["prefix"] = "abcd2345"
        url = reverse(name, kwargs=kwargs)
        expected = admin_status if role == "administrator" else 403
        assert client.get(url).status_code == expected, (role, name)
        if role != "administrator":
            assert client.post(url, {"row_version": "1"}).status_code == 403, (role, name)
    assert get_user_model().objects.get(pk=subject.pk).is_active


# The decision pages (issue 9, CJIS AC-3/AC-6): the review queue and withdrawing an override
# are for supervisors (``eligibility.override_screening``) alone; withdrawing accepts only POST.
DECISION_PAGES = {"eligibility:review": 200, "eligibility:withdraw_override": 405}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["case_manager", "supervisor", "analyst", "auditor", "administrator"]
)
def test_decision_pages_by_role(client: Any, role: str) -> None:
    from conftest import make_user
    from django.urls import reverse

    client.force_login(make_user(role, f"walker-{role}"))
    for name, supervisor_status in DECISION_PAGES.items():
        kwargs = {"case_id": 999999} if name == "eligibility:withdraw_override" else {}
        url = reverse(name, kwargs=kwargs)
        expected = supervisor_status if role == "supervisor" else 403
        assert client.get(url).status_code == expected, (role, name)
    # A POST for a case nobody has: refused before any lookup, or a 404 for the supervisor.
    body = {"override": "1", "expected_version": "1", "reason": "walk"}
    withdraw = reverse("eligibility:withdraw_override", kwargs={"case_id": 999999})
    assert client.post(withdraw, body).status_code == (404 if role == "supervisor" else 403)
