"""The administrators' staff pages (CJIS AC-2, AC-6, IA-11): what each action changes, what
a refusal leaves alone, and that a sensitive action needs a recent sign-in."""

from __future__ import annotations

import html
import re
import time
from typing import Any

import pytest
from conftest import make_user
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontrack.accounts.models import User
from ontrack.accounts.session_limits import VERIFIED_AT
from ontrack.accounts.tests.helpers import VerifiedClient
from ontrack.programs.models import Program, ProgramMembership

NEW = "a-long-initial-passphrase-1"


@pytest.fixture
def admin_client(client: VerifiedClient, administrator: User) -> VerifiedClient:
    client.force_login(administrator)
    return client


@pytest.fixture
def program(db: None) -> Program:
    return Program.objects.create(slug="back-on-track", name="Back on Track")


def snapshot(user: User) -> tuple[Any, ...]:
    user = User.objects.get(pk=user.pk)
    return (
        user.is_active,
        user.row_version,
        user.session_generation,
        user.password,
        list(user.groups.values_list("name", flat=True)),
        list(ProgramMembership.objects.filter(user=user).values_list("program__slug", flat=True)),
    )


def said(response: Any) -> list[str]:
    """The messages the account page showed after the action (the redirect followed)."""
    return [
        html.unescape(m)
        for m in re.findall(
            r'<p role="\w+" class="message-\w+">(.*?)</p>', response.content.decode()
        )
    ]


def test_the_list_shows_accounts_with_role_programs_and_state(
    admin_client: VerifiedClient, case_manager: User, program: Program
) -> None:
    ProgramMembership.objects.create(user=case_manager, program=program)
    page = admin_client.get("/staff/").content.decode()
    assert f'<a href="/staff/{case_manager.pk}/">case_manager-user</a>' in page
    assert "<td>Case manager</td>" in page
    assert "<td>Back on Track</td>" in page
    assert "ontrack-system" not in page


def test_the_list_runs_a_constant_number_of_queries(
    admin_client: VerifiedClient, program: Program
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get("/staff/").status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        ProgramMembership.objects.create(user=make_user("case_manager", f"a{n}"), program=program)
    few = count()
    for n in range(5):
        ProgramMembership.objects.create(user=make_user("supervisor", f"b{n}"), program=program)
    assert count() == few


def test_adding_an_account_shows_its_ten_backup_codes_once(
    admin_client: VerifiedClient, program: Program, new_events: Any
) -> None:
    response = admin_client.post(
        "/staff/add/",
        {
            "username": "jdoe", "first_name": "Jo", "last_name": "Doe", "email": "",
            "role": "supervisor", "program": ["back-on-track"],
            "password": NEW, "password_again": NEW,
        },
    )  # fmt: skip
    assert response.status_code == 200
    user = User.objects.get(username="jdoe")
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10
    page = response.content.decode()
    assert all(f"<code>{code}</code>" in page for code in codes)
    assert snapshot(user)[4:] == (["Supervisor (prosecutor)"], ["back-on-track"])
    assert user.must_change_password is True
    assert list(new_events().order_by("id").values_list("action", flat=True)) == [
        "staff.created",
        "staff.programs_changed",
        "mfa.backup_codes_issued",
    ]


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        ({"role": "supervisor", "password": NEW, "password_again": NEW + "x"},
         "password_again: the two passwords differ"),
        ({"role": "wizard", "password": NEW, "password_again": NEW},
         "role: unknown role &#x27;wizard&#x27;"),
        ({"role": "analyst", "password": "short", "password_again": "short"},
         "password: This password is too short."),
    ],
)  # fmt: skip
def test_a_refused_addition_creates_nothing(
    admin_client: VerifiedClient, new_events: Any, form: dict[str, str], problem: str
) -> None:
    users = User.objects.count()
    response = admin_client.post("/staff/add/", {"username": "jdoe", **form})
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert User.objects.count() == users
    assert StaticToken.objects.count() == 0
    assert new_events().count() == 0


def test_role_programs_and_state_change_from_the_account_page(
    admin_client: VerifiedClient, case_manager: User, program: Program, new_events: Any
) -> None:
    base = f"/staff/{case_manager.pk}"
    reset = {"new_password": NEW, "new_password_again": NEW}
    steps = [
        (f"{base}/role/", {"role": "auditor", "row_version": "1"}, "role changed"),
        (f"{base}/programs/", {"program": ["back-on-track"], "row_version": "2"},
         "programs changed"),
        (f"{base}/disable/", {"row_version": "3"}, "disabled; every session it had has ended"),
        (f"{base}/enable/", {"row_version": "4"}, "enabled"),
        (f"{base}/reset-mfa/", {"row_version": "5"},
         "second factor removed; an authenticator is enrolled at the next sign-in"),
        (f"{base}/reset-password/", reset,
         "password reset; it must be changed at the next sign-in"),
    ]  # fmt: skip
    for url, data, message in steps:
        response = admin_client.post(url, data, follow=True)
        assert response.redirect_chain == [(f"{base}/", 302)], url
        assert said(response) == [f"case_manager-user: {message}"], url
    user = User.objects.get(pk=case_manager.pk)
    assert snapshot(user)[:2] == (True, 6)
    assert snapshot(user)[4:] == (["Auditor"], ["back-on-track"])
    assert (user.must_change_password, user.check_password(NEW)) == (True, True)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert list(new_events().order_by("id").values_list("action", "actor_username")) == [
        ("staff.role_changed", "administrator-user"),
        ("staff.programs_changed", "administrator-user"),
        ("staff.disabled", "administrator-user"),
        ("staff.enabled", "administrator-user"),
        ("staff.mfa_reset", "administrator-user"),
        ("staff.password_reset", "administrator-user"),
    ]


def test_a_stale_page_changes_nothing(
    admin_client: VerifiedClient, case_manager: User, new_events: Any
) -> None:
    base = f"/staff/{case_manager.pk}"
    admin_client.post(f"{base}/role/", {"role": "auditor", "row_version": "1"}, follow=True)
    before = snapshot(case_manager)
    response = admin_client.post(f"{base}/disable/", {"row_version": "1"}, follow=True)
    assert said(response) == [
        "account 'case_manager-user' was changed by someone else since you opened it "
        "(version 1, now 2); reload and try again"
    ]
    assert snapshot(case_manager) == before
    assert new_events().count() == 1


def test_an_administrator_cannot_act_on_their_own_account(
    admin_client: VerifiedClient, administrator: User, new_events: Any
) -> None:
    page = admin_client.get(f"/staff/{administrator.pk}/").content.decode()
    assert "This is your own account." in page
    assert "/role/" not in page
    assert "/disable/" not in page
    before = snapshot(administrator)
    response = admin_client.post(
        f"/staff/{administrator.pk}/role/", {"role": "supervisor", "row_version": "1"}, follow=True
    )
    assert said(response) == [
        "username: you cannot change the role of your own account; another administrator can"
    ]
    assert snapshot(administrator) == before
    assert not User.objects.get(pk=administrator.pk).has_perm("cases.view_case")
    assert new_events().count() == 0


def test_superusers_and_unknown_ids_are_not_found(
    admin_client: VerifiedClient, new_events: Any
) -> None:
    root = User.objects.create_superuser(username="root", password="x" * 16)
    for url in (f"/staff/{root.pk}/", "/staff/99999/"):
        assert admin_client.get(url).status_code == 404
    assert admin_client.post(f"/staff/{root.pk}/disable/", {"row_version": "1"}).status_code == 404
    assert User.objects.get(pk=root.pk).is_active
    assert new_events().count() == 0


def test_a_sensitive_action_needs_a_recent_sign_in(
    admin_client: VerifiedClient, case_manager: User, new_events: Any
) -> None:
    """CJIS IA-11: with the password and code given over 15 minutes ago, nothing runs."""
    session = admin_client.session
    session[VERIFIED_AT] = time.time() - 16 * 60
    session.save()
    before = snapshot(case_manager)
    detail = f"http://testserver/staff/{case_manager.pk}/"
    response = admin_client.post(
        f"/staff/{case_manager.pk}/disable/", {"row_version": "1"}, headers={"referer": detail}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauth/?next=")
    assert admin_client.get("/staff/add/")["Location"] == "/accounts/reauth/?next=%2Fstaff%2Fadd%2F"
    assert admin_client.get("/staff/").status_code == 200  # reading the list is not sensitive
    assert snapshot(case_manager) == before
    assert new_events().count() == 0


def test_disabling_from_the_page_signs_the_account_out(
    admin_client: VerifiedClient, case_manager: User
) -> None:
    theirs = VerifiedClient()
    theirs.force_login(case_manager)
    assert theirs.get("/cases/").status_code == 200
    admin_client.post(f"/staff/{case_manager.pk}/disable/", {"row_version": "1"})
    assert theirs.get("/cases/")["Location"] == "/accounts/login/?next=/cases/"
