"""Signing in to CJIS level: lockout by username (AC-7), TOTP and one-time backup codes
(IA-2), idle and absolute session limits (AC-11), administrator password resets that force
a change (IA-5). These use a plain ``Client``: they test the gates the shared ``client``
fixture walks through."""

from __future__ import annotations

import time
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontrack.accounts import mfa
from ontrack.accounts.models import User
from ontrack.accounts.services import reset_password, unlock_account
from ontrack.accounts.session_limits import LAST_SEEN, SIGNED_IN_AT
from ontrack.accounts.tests.helpers import current_code, enrolled_device
from ontrack.common.errors import ValidationFailed
from ontrack.common.services import Forbidden

USERNAME = "case_manager-user"
PASSWORD = "x" * 16


def sign_in(client: Client, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"username": USERNAME, "password": password}, **extra)


def actions(new_events: Any) -> list[str]:
    return list(new_events().order_by("id").values_list("action", flat=True))


# --- CJIS AC-7: lockout ------------------------------------------------------------------------


def test_five_failures_lock_the_username_even_for_the_right_password(
    case_manager: User, new_access: Any
) -> None:
    client = Client()
    statuses = [sign_in(client, "wrong password").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    refused = sign_in(client)
    assert refused.status_code == 429
    assert b"locked after 5 failed sign-ins" in refused.content
    assert "_auth_user_id" not in client.session
    # django-axes counts the failure (and locks) before the audit's own receiver runs.
    # On the access stream (CJIS AU-2), each with its outcome and the account.
    assert list(new_access().values_list("action", "outcome")) == [
        ("signin.failed", "failure")
    ] * 4 + [
        ("signin.locked_out", "denied"),
        ("signin.failed", "failure"),
        ("signin.locked_out", "denied"),
        ("signin.failed", "failure"),
    ]
    assert set(
        new_access().values_list("actor", "username", "object_type", "object_id", "source")
    ) == {(case_manager.pk, USERNAME, "accounts.user", str(case_manager.pk), "web")}


def test_a_new_address_or_forwarded_for_does_not_reset_the_count(case_manager: User) -> None:
    for n in range(4):
        sign_in(Client(), "wrong password", REMOTE_ADDR=f"192.0.2.{n + 1}")
    # The fifth failure, from yet another address and proxy header, still locks.
    fifth = sign_in(
        Client(), "wrong password", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert fifth.status_code == 429
    for address, forwarded in [("203.0.113.50", "10.0.0.1"), ("127.0.0.2", "192.0.2.99, 10.1.1.1")]:
        client = Client()
        response = sign_in(client, REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session


def test_the_lock_does_not_wear_off(case_manager: User) -> None:
    """No automatic cool-off: a year later the account is still locked (CJIS AC-7)."""
    import datetime as dt

    for _ in range(5):
        sign_in(Client(), "wrong password")
    year_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
    AccessAttempt.objects.filter(username=USERNAME).update(attempt_time=year_ago)
    assert sign_in(Client()).status_code == 429


def test_a_success_clears_the_count(case_manager: User) -> None:
    for _ in range(4):
        sign_in(Client(), "wrong password")
    assert sign_in(Client()).status_code == 302
    for _ in range(4):
        sign_in(Client(), "wrong password")
    assert sign_in(Client()).status_code == 302  # 4 + 4 failures, never 5 in a row


def test_an_administrator_unlocks_the_account(
    case_manager: User, administrator: User, new_events: Any
) -> None:
    for _ in range(5):
        sign_in(Client(), "wrong password")
    assert unlock_account(actor=administrator, username=USERNAME) == 1
    event = new_events().get(action="staff.unlocked")
    assert (event.actor, event.object_id, event.details) == (
        administrator,
        str(case_manager.pk),
        {"attempts_cleared": 1},
    )
    client = Client()
    assert sign_in(client).status_code == 302
    assert client.session["_auth_user_id"] == str(case_manager.pk)


def test_unlocking_is_refused_without_the_permission_or_a_lock(
    case_manager: User, supervisor: User, administrator: User, new_events: Any
) -> None:
    for _ in range(5):
        sign_in(Client(), "wrong password")
    before = actions(new_events)
    with pytest.raises(Forbidden):
        unlock_account(actor=supervisor, username=USERNAME)
    with pytest.raises(ValidationFailed) as unknown:
        unlock_account(actor=administrator, username="nobody")
    assert unknown.value.problems == {"username": "no staff account 'nobody'"}
    with pytest.raises(ValidationFailed) as unlocked:
        unlock_account(actor=administrator, username="supervisor-user")
    assert unlocked.value.problems == {"username": "'supervisor-user' is not locked"}
    assert actions(new_events) == before  # nothing written
    assert AccessAttempt.objects.get(username=USERNAME).failures_since_start == 5
    assert sign_in(Client()).status_code == 429


# --- CJIS IA-2: second factor ------------------------------------------------------------------


def test_no_page_without_the_second_factor(case_manager: User) -> None:
    enrolled_device(case_manager)
    client = Client()
    assert sign_in(client)["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/otp/?next=/"
    assert client.get("/cases/")["Location"] == "/accounts/otp/?next=/cases/"
    assert client.get("/audit/")["Location"] == "/accounts/otp/?next=/audit/"


def test_first_sign_in_enrols_an_authenticator_with_a_local_qr_code(
    case_manager: User, new_events: Any, new_access: Any
) -> None:
    client = Client()
    sign_in(client)
    assert client.get("/accounts/otp/?next=/cases/")["Location"] == (
        "/accounts/enroll/?next=%2Fcases%2F"
    )
    page = client.get("/accounts/enroll/?next=/cases/").content.decode()
    device = TOTPDevice.objects.get(user=case_manager)
    assert device.confirmed is False
    assert '<img src="/accounts/enroll/qr.svg" alt="QR code for your authenticator app"' in page
    assert f'<code id="totp-secret">{mfa.base32_secret(device)}</code>' in page
    qr = client.get("/accounts/enroll/qr.svg")
    assert (qr.status_code, qr["Content-Type"]) == (200, "image/svg+xml")
    assert qr.content.startswith(b"<?xml")
    assert b"<svg" in qr.content
    assert b"<script" not in qr.content
    assert b"href" not in qr.content  # draws itself: nothing fetched
    assert qr.content == mfa.qr_svg(device)

    done = client.post("/accounts/enroll/", {"code": current_code(device), "next": "/cases/"})
    assert done.status_code == 200
    shown = done.content.decode()
    tokens = sorted(
        StaticToken.objects.filter(device__user=case_manager).values_list("token", flat=True)
    )
    assert len(tokens) == 10
    assert sorted(t for t in tokens if f"<li><code>{t}</code></li>" in shown) == tokens
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/").status_code == 200  # verified now: the home page
    # The changes (a device, backup codes) on the change stream; the steps on the access one.
    assert actions(new_events) == ["mfa.enrollment_started", "mfa.enrolled"]
    assert list(new_access().values_list("action", "outcome")) == [
        ("signin.password_accepted", "success"),
        ("signin.mfa_enrolled", "success"),
    ]


def test_a_wrong_enrolment_code_changes_nothing(case_manager: User) -> None:
    client = Client()
    sign_in(client)
    client.get("/accounts/enroll/")
    device = TOTPDevice.objects.get(user=case_manager)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/enroll/", {"code": wrong})
    assert response.status_code == 400
    assert b"that code is not the one your authenticator shows" in response.content
    device.refresh_from_db()
    assert device.confirmed is False
    assert not StaticDevice.objects.filter(user=case_manager).exists()
    assert client.get("/")["Location"] == "/accounts/otp/?next=/"


def test_a_password_alone_cannot_enrol_a_second_authenticator(case_manager: User) -> None:
    enrolled_device(case_manager)
    client = Client()
    sign_in(client)
    assert client.get("/accounts/enroll/")["Location"] == "/accounts/otp/"
    assert client.get("/accounts/enroll/qr.svg").status_code == 404
    assert TOTPDevice.objects.filter(user=case_manager).count() == 1


def test_a_code_is_accepted_once_even_by_another_process(case_manager: User) -> None:
    device = enrolled_device(case_manager)
    code = current_code(device)
    assert mfa.verify_code(case_manager, code) == device
    assert mfa.verify_code(case_manager, code) is None
    # Another process has its own copy of the device: the used step is in the database.
    elsewhere = TOTPDevice.objects.get(pk=device.pk)
    assert abs(elsewhere.last_t - int(time.time()) // 30) <= 1  # this step, not "none" (-1)
    assert elsewhere.verify_token(code) is False


def test_the_same_code_twice_through_the_sign_in_page(case_manager: User, new_access: Any) -> None:
    device = enrolled_device(case_manager)
    first, second = Client(), Client()
    sign_in(first)
    sign_in(second)
    code = current_code(device)
    accepted = first.post("/accounts/otp/", {"code": code, "next": "/cases/"})
    assert accepted["Location"] == "/cases/"
    replayed = second.post("/accounts/otp/", {"code": code, "next": "/cases/"})
    assert replayed.status_code == 400
    assert b"That code was not accepted" in replayed.content
    assert second.get("/cases/")["Location"] == "/accounts/otp/?next=/cases/"
    assert list(new_access().values_list("action", "outcome"))[-2:] == [
        ("signin.mfa_succeeded", "success"),
        ("signin.mfa_failed", "failure"),
    ]


def test_each_backup_code_signs_in_once(case_manager: User) -> None:
    _, codes = mfa.issue_devices(actor=case_manager, user=case_manager)
    assert len(set(codes)) == 10
    client = Client()
    sign_in(client)
    assert client.post("/accounts/otp/", {"code": codes[3].upper()})["Location"] == "/"
    again = Client()
    sign_in(again)
    assert again.post("/accounts/otp/", {"code": codes[3]}).status_code == 400
    assert StaticToken.objects.filter(device__user=case_manager).count() == 9


# --- CJIS AC-11: session limits ----------------------------------------------------------------


def _aged(client: Any, user: User, **seconds_ago: float) -> None:
    client.force_login(user)
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


@pytest.mark.parametrize(
    ("signed_in_ago", "idle", "signed_in"),
    [
        (60, 29 * 60, True),
        (60, 31 * 60, False),  # idle lock
        (11 * 3600, 60, True),
        (12 * 3600 + 60, 60, False),  # absolute limit, however active
    ],
)
def test_idle_and_absolute_limits(
    client: Any, case_manager: User, signed_in_ago: int, idle: int, signed_in: bool
) -> None:
    _aged(client, case_manager, **{SIGNED_IN_AT: signed_in_ago, LAST_SEEN: idle})
    response = client.get("/cases/")
    if signed_in:
        assert response.status_code == 200
    else:
        assert response["Location"] == "/accounts/login/?next=/cases/"
        assert "_auth_user_id" not in client.session


def test_an_expired_session_is_audited_with_its_reason(
    client: Any, case_manager: User, new_access: Any
) -> None:
    _aged(client, case_manager, **{LAST_SEEN: 31 * 60})
    client.get("/cases/")
    event = new_access().get()
    assert (event.action, event.actor, event.outcome, event.details) == (
        "signin.session_expired",
        case_manager,
        "success",
        {"reason": "idle"},
    )


def test_the_session_cookie_expires_with_the_idle_limit(settings: Any) -> None:
    assert (settings.SESSION_COOKIE_AGE, settings.ONTRACK_SESSION_MAX_SECONDS) == (1800, 43200)


# --- CJIS IA-5: administrator reset forces a change --------------------------------------------


NEW = "Correct-Horse-Battery-17"


def test_a_reset_password_is_changed_at_the_next_sign_in(
    case_manager: User, administrator: User, new_events: Any
) -> None:
    reset_password(actor=administrator, username=USERNAME, new_password=NEW)
    case_manager.refresh_from_db()
    assert case_manager.must_change_password is True
    assert case_manager.check_password(NEW)
    assert not case_manager.check_password(PASSWORD)
    event = new_events().get()
    assert (event.action, event.actor, event.changes) == (
        "staff.password_reset",
        administrator,
        {"must_change_password": [False, True]},
    )
    assert NEW not in str(event.details) + str(event.changes)

    client = Client()
    assert sign_in(client, NEW)["Location"] == "/"
    client.post("/accounts/otp/", {"code": current_code(enrolled_device(case_manager))})
    assert client.get("/")["Location"] == "/accounts/password/?next=/"
    assert client.get("/cases/")["Location"] == "/accounts/password/?next=/cases/"
    page = client.get("/accounts/password/?next=/cases/")
    assert b"An administrator reset your password." in page.content
    mismatch = client.post(
        "/accounts/password/",
        {"current_password": NEW, "new_password": "a" * 16, "new_password_again": "b" * 16},
    )
    assert b"the two new passwords differ" in mismatch.content
    short = client.post(
        "/accounts/password/",
        {"current_password": NEW, "new_password": "short", "new_password_again": "short"},
    )
    assert short.status_code == 400
    assert b"at least 12 characters" in short.content
    changed = client.post(
        "/accounts/password/",
        {
            "current_password": NEW,
            "new_password": "Another-Long-Phrase-42",
            "new_password_again": "Another-Long-Phrase-42",
            "next": "/cases/",
        },
    )
    assert changed["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200  # still signed in, free to go
    case_manager.refresh_from_db()
    assert case_manager.must_change_password is False
    assert case_manager.check_password("Another-Long-Phrase-42")
    assert new_events().filter(action="staff.password_changed").count() == 1


def test_a_reset_is_refused_for_a_weak_password_or_a_non_administrator(
    case_manager: User, administrator: User, supervisor: User, new_events: Any
) -> None:
    with pytest.raises(ValidationFailed) as weak:
        reset_password(actor=administrator, username=USERNAME, new_password="password1234")
    assert weak.value.problems == {"new_password": "This password is too common."}
    with pytest.raises(Forbidden):
        reset_password(actor=supervisor, username=USERNAME, new_password=NEW)
    case_manager.refresh_from_db()
    assert case_manager.check_password(PASSWORD)
    assert case_manager.must_change_password is False
    assert actions(new_events) == []


def test_passwords_are_hashed_with_pbkdf2_outside_tests() -> None:
    from django.conf import global_settings

    import ontrack.settings as project

    assert not hasattr(project, "PASSWORD_HASHERS")  # Django's default list, PBKDF2 first
    assert global_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    )


def test_the_enrolment_services_refuse_an_enrolled_account(case_manager: User) -> None:
    device = enrolled_device(case_manager)
    for start in (
        lambda: mfa.start_enrollment(actor=case_manager),
        lambda: mfa.confirm_enrollment(actor=case_manager, code=current_code(device)),
    ):
        with pytest.raises(ValidationFailed) as refused:
            start()
        assert refused.value.problems == {"code": "an authenticator is already enrolled"}
    assert list(TOTPDevice.objects.filter(user=case_manager)) == [device]
    assert not StaticDevice.objects.filter(user=case_manager).exists()


@pytest.mark.django_db(transaction=True)
def test_two_connections_racing_with_one_code_let_one_in() -> None:
    """Two requests at the same moment, each on its own database connection (as two server
    processes would be): the device row is locked while checking, so exactly one wins."""
    import threading

    from conftest import make_user
    from django.db import OperationalError, connection

    user = make_user("case_manager")
    code = current_code(enrolled_device(user))
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def attempt() -> None:
        try:
            barrier.wait()
            results.append(mfa.verify_code(user, code) is not None)
        except OperationalError:
            # SQLite's shared-cache test database refuses the waiter ("table is locked")
            # instead of making it wait: that request is refused, which is the point.
            results.append(False)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
