"""Issuing and revoking API tokens: the audited services, ``ontrack staff token`` and
``revoke-token``, and the staff account page (ADR 0053)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from conftest import make_user
from django.core.management import call_command
from django.core.management.base import CommandError

from ontrack.accounts.models import ApiToken
from ontrack.accounts.services import system_actor
from ontrack.accounts.tokens import issue_token, revoke_token
from ontrack.api.tests.helpers import Api
from ontrack.audit.models import AuditEvent
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import Forbidden

pytestmark = pytest.mark.django_db


def staff(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("staff", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        staff(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


def _state() -> tuple[Any, ...]:
    return (
        list(ApiToken.objects.order_by("pk").values_list("prefix", "revoked_at")),
        AuditEvent.objects.count(),
    )


def test_issuing_is_audited_with_the_prefix_and_never_the_token(
    case_manager: Any, new_events: Any
) -> None:
    token, raw = issue_token(
        actor=system_actor(), username="case_manager-user", scope="read", days=30
    )
    (event,) = new_events()
    assert (event.action, event.object_id) == ("api_token.issued", str(case_manager.pk))
    assert event.details["token"] == token.prefix
    assert event.details["scope"] == "read"
    assert raw not in str(event.details)
    assert raw not in str(event.changes)


@pytest.mark.parametrize(
    ("username", "scope", "days", "field"),
    [
        ("case_manager-user", "admin", 30, "scope"),
        ("case_manager-user", "read", 0, "days"),
        ("case_manager-user", "read", 91, "days"),
        ("nobody", "read", 30, "username"),
        ("ontrack-system", "write", 30, "username"),
    ],
)
def test_issuing_refuses_bad_input_and_writes_nothing(
    case_manager: Any, username: str, scope: str, days: int, field: str
) -> None:
    before = _state()
    with pytest.raises(ValidationFailed) as caught:
        issue_token(actor=system_actor(), username=username, scope=scope, days=days)
    assert list(caught.value.problems) == [field]
    assert _state() == before


def test_an_administrator_never_issues_for_their_own_account_and_others_may_not_issue(
    administrator: Any, supervisor: Any
) -> None:
    before = _state()
    with pytest.raises(ValidationFailed):
        issue_token(actor=administrator, username=administrator.username, scope="read")
    with pytest.raises(Forbidden):
        issue_token(actor=supervisor, username="administrator-user", scope="read")
    assert _state() == before
    issue_token(actor=administrator, username=supervisor.username, scope="read")


def test_the_owner_or_an_administrator_revokes_nobody_else(
    case_manager: Any, supervisor: Any, administrator: Any
) -> None:
    mine, _ = issue_token(actor=system_actor(), username=case_manager.username, scope="read")
    before = _state()
    with pytest.raises(NotFound):  # someone else's token looks like none at all
        revoke_token(actor=supervisor, prefix=mine.prefix)
    assert _state() == before
    revoke_token(actor=case_manager, prefix=mine.prefix)
    with pytest.raises(ValidationFailed):
        revoke_token(actor=administrator, prefix=mine.prefix)  # already revoked
    other, _ = issue_token(actor=system_actor(), username=case_manager.username, scope="read")
    revoke_token(actor=administrator, prefix=other.prefix)
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 2
    assert list(
        AuditEvent.objects.filter(action="api_token.revoked")
        .order_by("id")
        .values_list("actor__username")
    ) == [("case_manager-user",), ("administrator-user",)]


def test_the_command_prints_the_token_once_on_stdout(case_manager: Any) -> None:
    out, err = staff("token", "case_manager-user", "--scope", "read", "--days", "7")
    raw = out.strip()
    token = ApiToken.objects.get()
    assert raw.startswith(f"ot_{token.prefix}_")
    assert err.startswith(f"case_manager-user: read only token {token.prefix}, expires ")
    assert raw not in err
    assert Api(raw).get("cases").status_code == 200


def test_the_command_refuses_bad_input_with_exit_2(case_manager: Any) -> None:
    before = _state()
    assert "days: must be between 1 and 90" in refused(
        "token", "case_manager-user", "--scope", "read", "--days", "91"
    )
    assert "no staff account 'nobody'" in refused("token", "nobody", "--scope", "write")
    assert refused("revoke-token", "abcdefgh") == "revoke-token: no token 'abcdefgh'"
    assert _state() == before


def test_the_command_revokes(case_manager: Any) -> None:
    out, _ = staff("token", "case_manager-user", "--scope", "write")
    prefix = ApiToken.objects.get().prefix
    assert staff("revoke-token", prefix)[0] == f"token {prefix} of case_manager-user: revoked\n"
    assert Api(out.strip()).get("cases").status_code == 401


def test_the_staff_page_lists_tokens_and_revokes_one(client: Any, administrator: Any) -> None:
    subject = make_user("case_manager", "page-subject")
    token, raw = issue_token(actor=system_actor(), username="page-subject", scope="write")
    client.force_login(administrator)
    page = client.get(f"/staff/{subject.pk}/").content.decode()
    assert token.prefix in page
    assert "read and write" in page
    assert raw not in page
    response = client.post(f"/staff/{subject.pk}/tokens/{token.prefix}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == administrator
    assert Api(raw).get("cases").status_code == 401
    # A token of another account, through this account's URL: a 404, nothing changed.
    other, _ = issue_token(actor=system_actor(), username="page-subject", scope="read")
    elsewhere = make_user("case_manager", "elsewhere")
    before = _state()
    assert client.post(f"/staff/{elsewhere.pk}/tokens/{other.prefix}/revoke/").status_code == 404
    assert _state() == before
