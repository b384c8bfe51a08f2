"""Who gets in (ADRs 0053, 0054): a bearer token acts as its user, limited by its scope; a
session cookie alone reaches nothing; a refused token is on the access stream with why."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axes.models import AccessAttempt
from conftest import make_user
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone

from ontrack.accounts.models import ApiToken
from ontrack.accounts.services import system_actor
from ontrack.accounts.tokens import revoke_token
from ontrack.api.tests.helpers import Api, token_for
from ontrack.audit.models import AccessEvent, AuditEvent
from ontrack.common.access import API_TOKEN, declared_permission
from ontrack.common.tests.test_access import walk
from ontrack.people.models import Person

pytestmark = pytest.mark.django_db

DOCS = {"api:schema", "api:docs"}


def api_urls() -> list[tuple[str, str]]:
    found = []
    for name, _view, converters in walk(get_resolver().url_patterns):
        if name.startswith("api:") and name not in DOCS:
            kwargs = {k: 1 for k, c in converters.items() if isinstance(c, IntConverter)}
            found.append((name, reverse(name, kwargs=kwargs)))
    return found


def test_every_api_view_is_declared_an_api_endpoint_and_nothing_else_is() -> None:
    declared = {
        name for name, view, _ in walk(get_resolver().url_patterns)
        if declared_permission(view) == API_TOKEN
    }  # fmt: skip
    assert declared == {name for name, _ in api_urls()}
    assert len(declared) == 14 + 4 + 3 + 2 + 4 + 3  # issue 10: enrollments, plans, hearings,
    # notes, drugtests + responses


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_without_a_token_every_endpoint_is_a_401_problem(method: str) -> None:
    # Authentication comes before anything else, the method included.
    for name, url in api_urls():
        response = getattr(Client(), method)(url)
        assert response.status_code == 401, (name, method)
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"] == 'Bearer realm="ontrack"'
        assert response.json()["status"] == 401


def test_a_signed_in_session_alone_reaches_nothing(client: Any, supervisor: Any) -> None:
    client.force_login(supervisor)  # password and second factor verified: a full session
    people = Person.objects.count()
    assert client.get("/api/v1/cases").status_code == 401
    response = client.post(
        "/api/v1/people",
        {"given_name": "Ana", "family_name": "Ruiz"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert Person.objects.count() == people
    # ... while the docs and the schema are pages for that session (they show no records).
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_the_docs_are_not_for_anonymous_visitors() -> None:
    assert Client().get("/api/v1/openapi.json")["Location"].startswith("/accounts/login/")
    assert Client().get("/api/v1/docs")["Location"].startswith("/accounts/login/")


def test_a_read_token_reads_and_may_not_write(supervisor: Any, new_access: Any) -> None:
    api = Api(token_for(supervisor, scope="read"))
    assert api.get("people").status_code == 200
    people, events = Person.objects.count(), AuditEvent.objects.count()
    refused = api.post("people", {"given_name": "Ana", "family_name": "Ruiz"})
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people, events)
    rows = [(r.action, r.username, r.outcome, r.status_code) for r in new_access()]
    assert rows == [
        ("api.people.listed", "supervisor-user", "success", 200),
        ("request.denied", "supervisor-user", "denied", 403),
    ]


def test_a_token_has_its_users_permissions(administrator: Any) -> None:
    # Administrators manage accounts; they read no case file (ADR 0038), by token neither.
    api = Api(token_for(administrator))
    assert api.get("people").status_code == 403
    assert api.get("cases").status_code == 403


def test_the_token_is_stored_hashed_and_its_use_is_recorded(supervisor: Any) -> None:
    raw = token_for(supervisor)
    token = ApiToken.objects.get()
    assert raw.startswith(f"ot_{token.prefix}_")
    assert len(raw) == 3 + 8 + 1 + 43
    stored = [str(v) for v in ApiToken.objects.values_list().get()]
    assert not any(raw in value or raw[12:] in value for value in stored)
    assert token.last_used_at is None
    Api(raw).get("cases")
    token.refresh_from_db()
    assert token.last_used_at is not None


def _refused_reason(raw: str) -> tuple[int, str]:
    last = AccessEvent.objects.order_by("-id").first()
    response = Api(raw).get("cases")
    row = AccessEvent.objects.order_by("-id").first()
    assert row is not None
    assert row != last
    assert (row.action, row.outcome, row.status_code) == ("api.token_refused", "denied", 401)
    return response.status_code, row.details["reason"]


def test_revoked_expired_disabled_locked_and_unknown_tokens_are_refused(supervisor: Any) -> None:
    revoked, expired = token_for(supervisor), token_for(supervisor, days=1)
    revoke_token(actor=system_actor(), prefix=revoked[3:11])
    ApiToken.objects.filter(prefix=expired[3:11]).update(expires_at=timezone.now())
    assert _refused_reason(revoked) == (401, "revoked token")
    assert _refused_reason(expired) == (401, "expired token")
    assert _refused_reason(revoked[:-1] + ("A" if revoked[-1] != "A" else "B")) == (
        401,
        "unknown token",
    )
    assert _refused_reason("not-a-token") == (401, "malformed token")

    user = make_user("case_manager", "later-disabled")
    raw = token_for(user)
    assert Api(raw).get("cases").status_code == 200
    AccessAttempt.objects.create(
        username="later-disabled", failures_since_start=5, ip_address="127.0.0.1",
        user_agent="t", get_data="", post_data="", http_accept="", path_info="/",
    )  # fmt: skip
    assert _refused_reason(raw) == (401, "locked account")
    AccessAttempt.objects.all().delete()
    user.is_active = False
    user.save()
    assert _refused_reason(raw) == (401, "disabled account")


def test_a_refused_token_gets_the_same_answer_whatever_the_reason(supervisor: Any) -> None:
    revoked = token_for(supervisor)
    revoke_token(actor=system_actor(), prefix=revoked[3:11])
    bodies = {Api(raw).get("cases").content for raw in (revoked, "ot_nothing")}
    assert len(bodies) == 1


def test_expiry_is_at_most_ninety_days_and_ninety_by_default(supervisor: Any) -> None:
    token_for(supervisor)
    token = ApiToken.objects.get()
    lifetime = token.expires_at - token.created_at
    assert dt.timedelta(days=90) - dt.timedelta(seconds=5) < lifetime <= dt.timedelta(days=90)


def test_the_permissions_api_views_require_exist() -> None:
    from django.contrib.auth.models import Permission

    known = {
        f"{app}.{code}"
        for app, code in Permission.objects.values_list("content_type__app_label", "codename")
    }
    needed = {
        p
        for _, view, _ in walk(get_resolver().url_patterns)
        if declared_permission(view) == API_TOKEN
        for p in view.view_class.required_permissions
    }
    assert needed == {"cases.view_case", "eligibility.override_screening", "people.view_person"} | {
        "enrollments.view_enrollment",
        "enrollments.move_enrollment",  # enrollments (issue 10)
        "plans.adjust_requirement",  # plans
        "drugtests.view_result",  # drugtests, responses
        "responses.record_response",
    }
    assert needed <= known  # each exists in the database
