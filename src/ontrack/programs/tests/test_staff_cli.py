"""``ontrack staff``: add, disable, enable, unlock, reset-mfa, list, disable-inactive (CJIS
AC-2, AC-2(3)). Refusals exit 2 and change nothing, audit rows included."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from axes.models import AccessAttempt
from conftest import make_user
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontrack.accounts.models import User
from ontrack.accounts.services import SYSTEM_USERNAME
from ontrack.audit.models import AuditEvent
from ontrack.programs.models import Program, ProgramMembership

PASSWORD = "a-long-initial-passphrase-1"


def staff(*args: str, stdin: str = "") -> str:
    out = StringIO()
    call_command("staff", *args, stdout=out, stdin=StringIO(stdin))
    return out.getvalue()


def refused(*args: str, stdin: str = "") -> str:
    with pytest.raises(CommandError) as caught:
        staff(*args, stdin=stdin)
    assert caught.value.returncode == 2
    return str(caught.value)


@pytest.fixture
def programs(db: None) -> list[Program]:
    return [
        Program.objects.create(slug="back-on-track", name="Back on Track"),
        Program.objects.create(slug="mission", name="Mission pilot"),
    ]


def test_add_creates_the_account_in_its_role_and_programs_and_prints_ten_codes(
    programs: list[Program], new_events: Any
) -> None:
    out = staff(
        "add", "jdoe", "--role", "case_manager", "--email", "jdoe@example.org",
        "--first-name", "Jo", "--last-name", "Doe",
        "--program", "mission", "--program", "back-on-track",
        "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    user = User.objects.get(username="jdoe")
    codes = list(
        StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True)
    )
    assert len(codes) == 10
    assert out.splitlines() == [
        "jdoe: created as Case manager; the password must be changed and an authenticator "
        "enrolled at the first sign-in",
        "backup codes (each signs in once; hand them to the account's owner):",
        *[f"  {code}" for code in codes],
    ]
    assert (user.first_name, user.last_name, user.email) == ("Jo", "Doe", "jdoe@example.org")
    assert (user.is_superuser, user.must_change_password) == (False, True)
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["Case manager"]
    assert sorted(
        ProgramMembership.objects.filter(user=user).values_list("program__slug", flat=True)
    ) == ["back-on-track", "mission"]
    assert TOTPDevice.objects.filter(user=user).count() == 0  # enrolled at first sign-in
    events = list(new_events().order_by("id"))
    assert [(e.action, e.actor_username, e.source) for e in events] == [
        ("staff.created", SYSTEM_USERNAME, "cli"),
        ("staff.programs_changed", SYSTEM_USERNAME, "cli"),
        ("mfa.backup_codes_issued", SYSTEM_USERNAME, "cli"),
    ]
    assert events[1].changes == {"programs": [[], ["back-on-track", "mission"]]}
    for event in events:
        assert PASSWORD not in str(event.changes) + str(event.details)
        assert not any(code in str(event.details) for code in codes)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "case_manager"], "short\n",
         "password: This password is too short. It must contain at least 12 characters."),
        (["--role", "case_manager"], "", "--password-stdin: no password on standard input"),
        (["--role", "case_manager", "--program", "nowhere"], PASSWORD,
         "program: no program 'nowhere'"),
        (["--role", "case_manager", "--email", "not-an-address"], PASSWORD,
         "email: 'not-an-address' is not an email address"),
    ],
)  # fmt: skip
def test_add_refuses_bad_input_and_creates_nothing(
    programs: list[Program], new_events: Any, args: list[str], stdin: str, message: str
) -> None:
    users = User.objects.count()
    assert message in refused("add", "jdoe", *args, "--password-stdin", stdin=stdin)
    assert User.objects.count() == users
    assert ProgramMembership.objects.count() == 0
    assert StaticToken.objects.count() == 0
    assert new_events().count() == 0


def test_add_refuses_a_taken_username_and_an_unknown_role(db: None, new_events: Any) -> None:
    make_user("analyst", "taken")
    assert "username: 'taken' is taken" in refused(
        "add", "taken", "--role", "analyst", "--password-stdin", stdin=PASSWORD
    )
    with pytest.raises(CommandError, match="invalid choice: 'superuser'"):
        staff("add", "x", "--role", "superuser", "--password-stdin", stdin=PASSWORD)
    assert User.objects.get(username="taken").groups.get().name == "Analyst"
    assert new_events().count() == 0


def test_actor_must_name_an_active_account_with_the_permission(
    administrator: User, case_manager: User, new_events: Any
) -> None:
    for actor, message in [
        ("nobody", "--actor: no active user 'nobody'"),
        ("case_manager-user", "case_manager-user lacks accounts.manage_staff"),
    ]:
        assert message in refused(
            "add", "jdoe", "--role", "analyst", "--actor", actor, "--password-stdin", stdin=PASSWORD
        )
    User.objects.filter(pk=administrator.pk).update(is_active=False)
    assert "--actor: no active user 'administrator-user'" in refused(
        "disable", "case_manager-user", "--actor", "administrator-user"
    )
    assert User.objects.get(pk=case_manager.pk).is_active
    assert not User.objects.filter(username="jdoe").exists()
    assert new_events().count() == 0


def test_changes_are_recorded_under_the_actor_given_before_or_after_the_action(
    administrator: User, case_manager: User, new_events: Any
) -> None:
    staff("--actor", "administrator-user", "disable", "case_manager-user")
    staff("enable", "case_manager-user", "--actor", "administrator-user")
    assert [(e.action, e.actor, e.source) for e in new_events().order_by("id")] == [
        ("staff.disabled", administrator, "cli"),
        ("staff.enabled", administrator, "cli"),
    ]


def test_disable_enable_unlock_reset_mfa(case_manager: User, new_events: Any) -> None:
    TOTPDevice.objects.create(user=case_manager, name="authenticator", confirmed=True)
    AccessAttempt.objects.create(
        username="case_manager-user", failures_since_start=5, ip_address="127.0.0.1",
        user_agent="t", get_data="", post_data="", http_accept="", path_info="/",
    )  # fmt: skip
    assert staff("disable", "case_manager-user") == (
        "case_manager-user: disabled; its sessions have ended\n"
    )
    assert staff("enable", "case_manager-user") == "case_manager-user: enabled\n"
    assert staff("unlock", "case_manager-user") == (
        "case_manager-user: unlocked (1 failed-attempt record(s) cleared)\n"
    )
    assert staff("reset-mfa", "case_manager-user") == (
        "case_manager-user: second factor removed; an authenticator is enrolled at the next "
        "sign-in\n"
    )
    assert list(new_events().order_by("id").values_list("action", flat=True)) == [
        "staff.disabled",
        "staff.enabled",
        "staff.unlocked",
        "staff.mfa_reset",
    ]
    assert not TOTPDevice.objects.filter(user=case_manager).exists()
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["disable", "nobody"], "username: no staff account 'nobody'"),
        (["enable", "case_manager-user"], "username: 'case_manager-user' is not disabled"),
        (["unlock", "case_manager-user"], "username: 'case_manager-user' is not locked"),
        (["reset-mfa", SYSTEM_USERNAME], f"username: no staff account '{SYSTEM_USERNAME}'"),
    ],
)
def test_account_actions_refuse_and_change_nothing(
    case_manager: User, new_events: Any, args: list[str], message: str
) -> None:
    before = list(User.objects.values_list("username", "is_active", "row_version").order_by("pk"))
    assert message in refused(*args)
    assert (
        list(User.objects.values_list("username", "is_active", "row_version").order_by("pk"))
        == before
    )
    assert new_events().count() == 0


def test_list_shows_every_managed_account(programs: list[Program], db: None) -> None:
    admin = make_user("administrator", "ada")
    admin.first_name, admin.last_name = "Ada", "Admin"
    admin.last_login = timezone.make_aware(dt.datetime(2026, 3, 4, 5, 6))
    admin.save()
    cm = make_user("case_manager", "carl")
    ProgramMembership.objects.create(user=cm, program=programs[1])
    ProgramMembership.objects.create(user=cm, program=programs[0])
    TOTPDevice.objects.create(user=cm, name="authenticator", confirmed=True)
    AccessAttempt.objects.create(
        username="carl", failures_since_start=5, ip_address="127.0.0.1",
        user_agent="t", get_data="", post_data="", http_accept="", path_info="/",
    )  # fmt: skip
    User.objects.create_user(username="norole", password="x" * 16, is_active=False)
    User.objects.create_superuser(username="root", password="x" * 16)
    lines = staff("list").splitlines()
    last = timezone.localtime(admin.last_login).isoformat(timespec="minutes")
    assert lines == [
        "username\tname\trole\tprograms\tactive\tlast_sign_in\tlocked\tmfa",
        f"ada\tAda Admin\tadministrator\t-\tyes\t{last}\tno\tno",
        "carl\t-\tcase_manager\tback-on-track,mission\tyes\tnever\tyes\tyes",
        "norole\t-\t-\t-\tno\tnever\tno\tno",
    ]


def test_list_is_refused_without_the_permission(case_manager: User) -> None:
    assert "case_manager-user lacks accounts.manage_staff" in refused(
        "list", "--actor", "case_manager-user"
    )


def test_disable_inactive_reports_what_it_disabled(db: None, new_events: Any) -> None:
    make_user("case_manager", "stale")
    make_user("case_manager", "fresh")
    User.objects.filter(username="stale").update(
        last_login=None, date_joined=timezone.now() - dt.timedelta(days=120)
    )
    assert staff("disable-inactive") == "disabled 1 inactive account(s)\n  stale\n"
    assert staff("disable-inactive") == "disabled 0 inactive account(s)\n"
    assert not User.objects.get(username="stale").is_active
    assert User.objects.get(username="fresh").is_active
    event = new_events().get()
    assert (event.action, event.actor_username, event.source) == (
        "staff.disabled_inactive",
        SYSTEM_USERNAME,
        "cli",
    )
    assert AuditEvent.objects.filter(action="staff.disabled_inactive").count() == 1


def test_a_new_account_enrols_keeps_its_codes_and_changes_the_password_first(
    programs: list[Program],
) -> None:
    """The whole first sign-in of an account from ``staff add`` (CJIS IA-2, IA-5(1))."""
    from django.test import Client

    from ontrack.accounts.tests.helpers import current_code

    out = staff("add", "newbie", "--role", "case_manager", "--password-stdin", stdin=PASSWORD)
    printed = [line.strip() for line in out.splitlines()[2:]]
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "newbie", "password": PASSWORD})["Location"]
        == "/"
    )
    assert client.get("/cases/")["Location"] == "/accounts/otp/?next=/cases/"
    assert client.get("/accounts/otp/")["Location"] == "/accounts/enroll/?next=%2F"
    client.get("/accounts/enroll/")
    device = TOTPDevice.objects.get(user__username="newbie", confirmed=False)
    shown = client.post("/accounts/enroll/", {"code": current_code(device)})
    assert all(f"{code}" in shown.content.decode() for code in printed)
    assert client.get("/cases/")["Location"] == "/accounts/password/?next=/cases/"
    new = "a-different-long-phrase-2"
    client.post(
        "/accounts/password/",
        {"current_password": PASSWORD, "new_password": new, "new_password_again": new},
    )
    assert client.get("/cases/").status_code == 200
    codes = StaticToken.objects.filter(device__user__username="newbie")
    assert sorted(codes.values_list("token", flat=True)) == sorted(printed)
