"""Staff account services (CJIS AC-2, AC-2(3), AC-6): roles, disable and enable with their
sessions, second-factor resets, the 90-day inactivity rule, and what administrators and the
system account may not do."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from conftest import make_user
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ontrack.accounts import mfa, staff
from ontrack.accounts.models import User
from ontrack.accounts.services import (
    SYSTEM_USERNAME,
    create_staff_user,
    reset_password,
    system_actor,
)
from ontrack.accounts.tests.helpers import VerifiedClient, current_code, enrolled_device
from ontrack.audit.models import AuditEvent
from ontrack.common.errors import ConcurrentEdit, ValidationFailed
from ontrack.common.services import Forbidden

CM = "case_manager-user"
PASSWORD = "x" * 16
NEW = "a-new-long-passphrase-7"


def state(username: str) -> tuple[Any, ...]:
    """Everything a refused change must leave as it was."""
    user = User.objects.get(username=username)
    return (
        user.is_active,
        user.row_version,
        user.session_generation,
        user.password,
        sorted(user.groups.values_list("name", flat=True)),
        TOTPDevice.objects.filter(user=user).count(),
        StaticDevice.objects.filter(user=user).count(),
    )


def signed_in(user: User) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    assert client.get("/cases/").status_code == 200
    return client


# --- roles -------------------------------------------------------------------------------------


def test_change_role_puts_the_account_in_exactly_one_group(
    case_manager: User, administrator: User, new_events: Any
) -> None:
    staff.change_role(actor=administrator, username=CM, role="auditor", expected_version=1)
    case_manager.refresh_from_db()
    assert list(case_manager.groups.values_list("name", flat=True)) == ["Auditor"]
    assert case_manager.row_version == 2
    event = new_events().get()
    assert (event.action, event.actor, event.object_id, event.changes) == (
        "staff.role_changed",
        administrator,
        str(case_manager.pk),
        {"role": ["case_manager", "auditor"]},
    )


@pytest.mark.parametrize(
    ("role", "expected_version", "problem"),
    [
        ("superuser", 1, {"role": "unknown role 'superuser'; choose one of case_manager, "
                          "supervisor, analyst, auditor, administrator"}),
        ("system", 1, {"role": "unknown role 'system'; choose one of case_manager, "
                       "supervisor, analyst, auditor, administrator"}),
        ("case_manager", 1, {"role": "'case_manager-user' already has the role 'case_manager'"}),
    ],
)  # fmt: skip
def test_change_role_refuses_unknown_system_and_unchanged_roles(
    case_manager: User,
    administrator: User,
    new_events: Any,
    role: str,
    expected_version: int,
    problem: dict[str, str],
) -> None:
    before = state(CM)
    with pytest.raises(ValidationFailed) as refused:
        staff.change_role(
            actor=administrator, username=CM, role=role, expected_version=expected_version
        )
    assert refused.value.problems == problem
    assert state(CM) == before
    assert not User.objects.get(username=CM).is_superuser
    assert new_events().count() == 0


def test_a_stale_form_cannot_overwrite_a_newer_change(
    case_manager: User, administrator: User, new_events: Any
) -> None:
    other = make_user("administrator", "second-admin")
    staff.change_role(actor=other, username=CM, role="supervisor", expected_version=1)
    after_first = state(CM)
    with pytest.raises(ConcurrentEdit, match=r"since you opened it \(version 1, now 2\)"):
        staff.change_role(actor=administrator, username=CM, role="analyst", expected_version=1)
    with pytest.raises(ConcurrentEdit):
        staff.disable_account(actor=administrator, username=CM, expected_version=1)
    assert state(CM) == after_first
    assert list(new_events().values_list("action", flat=True)) == ["staff.role_changed"]


def test_administrators_change_nothing_of_their_own(administrator: User, new_events: Any) -> None:
    """CJIS AC-6: no administrator gives themselves a case-reading role, disables or resets
    their own account (which could also leave the office with no administrator)."""
    username = administrator.username
    before = state(username)
    calls = [
        lambda: staff.change_role(actor=administrator, username=username, role="supervisor"),
        lambda: staff.disable_account(actor=administrator, username=username),
        lambda: staff.reset_mfa(actor=administrator, username=username),
        lambda: reset_password(actor=administrator, username=username, new_password=NEW),
    ]
    problems = []
    for call in calls:
        with pytest.raises(ValidationFailed) as refused:
            call()
        problems.append(refused.value.problems)
    assert problems == [
        {"username": "you cannot change the role of your own account; another administrator can"},
        {"username": "you cannot disable your own account; another administrator can"},
        {
            "username": "you cannot reset the second factor of your own account; another "
            "administrator can"
        },
        {"username": "change your own password on the password page"},
    ]
    assert state(username) == before
    assert not administrator.has_perm("cases.view_case")
    assert new_events().count() == 0


def test_superusers_and_the_system_account_are_not_managed(
    administrator: User, new_events: Any
) -> None:
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    system_actor()
    for username in ("root", SYSTEM_USERNAME):
        before = state(username)
        for call in (
            lambda u: staff.change_role(actor=administrator, username=u, role="analyst"),
            lambda u: staff.disable_account(actor=administrator, username=u),
            lambda u: reset_password(actor=administrator, username=u, new_password=NEW),
        ):
            with pytest.raises(ValidationFailed) as refused:
                call(username)
            assert refused.value.problems == {"username": f"no staff account {username!r}"}
        assert state(username) == before
    assert root.is_superuser
    assert new_events().count() == 0


def test_without_manage_staff_nothing_is_changed(
    case_manager: User, supervisor: User, new_events: Any
) -> None:
    before = state(CM)
    for call in (
        lambda: staff.change_role(actor=supervisor, username=CM, role="administrator"),
        lambda: staff.disable_account(actor=supervisor, username=CM),
        lambda: staff.enable_account(actor=supervisor, username=CM),
        lambda: staff.reset_mfa(actor=supervisor, username=CM),
        lambda: staff.disable_inactive_accounts(actor=supervisor),
        lambda: create_staff_user(
            actor=supervisor, username="x1", password=NEW, role="administrator"
        ),
    ):
        with pytest.raises(Forbidden, match=r"supervisor-user lacks accounts\.manage_staff"):
            call()
    assert state(CM) == before
    assert not User.objects.filter(username="x1").exists()
    assert new_events().count() == 0


def test_a_disabled_administrator_can_no_longer_manage(
    case_manager: User, administrator: User
) -> None:
    make_user("administrator", "second-admin")
    staff.disable_account(
        actor=User.objects.get(username="second-admin"), username="administrator-user"
    )
    administrator.refresh_from_db()
    with pytest.raises(Forbidden):
        staff.disable_account(actor=administrator, username=CM)
    assert User.objects.get(username=CM).is_active


# --- disable ends every session; enable revives none (CJIS AC-2) -------------------------------


def test_disabling_signs_the_account_out_at_its_next_request_and_enabling_revives_nothing(
    case_manager: User, administrator: User, new_events: Any
) -> None:
    client = signed_in(case_manager)
    other_browser = signed_in(case_manager)
    staff.disable_account(actor=administrator, username=CM, expected_version=1)
    for browser in (client, other_browser):
        response = browser.get("/cases/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/cases/"
    staff.enable_account(actor=administrator, username=CM, expected_version=2)
    for browser in (client, other_browser):
        assert browser.get("/cases/")["Location"] == "/accounts/login/?next=/cases/"
        assert "_auth_user_id" not in browser.session
    case_manager.refresh_from_db()
    assert (case_manager.is_active, case_manager.session_generation, case_manager.row_version) == (
        True,
        1,
        3,
    )
    assert [(e.action, e.changes) for e in new_events().order_by("id")] == [
        ("staff.disabled", {"is_active": [True, False]}),
        ("staff.enabled", {"is_active": [False, True]}),
    ]
    # A fresh sign-in works again.
    assert signed_in(User.objects.get(username=CM)).get("/cases/").status_code == 200


def test_disable_and_enable_refuse_an_account_already_in_that_state(
    case_manager: User, administrator: User, new_events: Any
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        staff.enable_account(actor=administrator, username=CM)
    assert refused.value.problems == {"username": "'case_manager-user' is not disabled"}
    staff.disable_account(actor=administrator, username=CM)
    before = state(CM)
    with pytest.raises(ValidationFailed) as again:
        staff.disable_account(actor=administrator, username=CM)
    assert again.value.problems == {"username": "'case_manager-user' is already disabled"}
    assert state(CM) == before
    assert new_events().count() == 1


def test_a_password_reset_by_an_administrator_ends_the_sessions(
    case_manager: User, administrator: User
) -> None:
    client = signed_in(case_manager)
    reset_password(actor=administrator, username=CM, new_password=NEW)
    assert client.get("/cases/")["Location"] == "/accounts/login/?next=/cases/"


def test_an_mfa_reset_removes_the_devices_and_ends_the_sessions(
    case_manager: User, administrator: User, new_events: Any
) -> None:
    client = signed_in(case_manager)
    mfa.issue_backup_codes(actor=administrator, user=case_manager)
    staff.reset_mfa(actor=administrator, username=CM, expected_version=1)
    assert client.get("/cases/")["Location"] == "/accounts/login/?next=/cases/"
    assert TOTPDevice.objects.filter(user=case_manager).count() == 0
    assert StaticDevice.objects.filter(user=case_manager).count() == 0
    event = new_events().get(action="staff.mfa_reset")
    assert event.details == {"authenticators_removed": 1, "backup_code_sets_removed": 1}
    # The next sign-in enrols a new authenticator before any page.
    fresh = Client()
    fresh.post("/accounts/login/", {"username": CM, "password": PASSWORD})
    assert fresh.get("/accounts/otp/")["Location"] == "/accounts/enroll/?next=%2F"


def test_backup_codes_issued_with_a_new_account_survive_enrolment(
    case_manager: User, administrator: User
) -> None:
    codes = mfa.issue_backup_codes(actor=administrator, user=case_manager)
    assert len(codes) == 10
    device = mfa.start_enrollment(actor=case_manager)
    _, shown = mfa.confirm_enrollment(actor=case_manager, code=current_code(device))
    assert shown == codes


# --- CJIS AC-2(3): 90 days without a sign-in ----------------------------------------------------


def _aged(username: str, *, last_login: dt.datetime | None, joined: dt.datetime) -> None:
    User.objects.filter(username=username).update(last_login=last_login, date_joined=joined)


def test_the_scheduled_task_disables_exactly_the_accounts_unused_for_90_days(
    administrator: User, new_events: Any
) -> None:
    now = timezone.now()
    for name in ("stale", "fresh", "never-old", "never-new", "reenabled", "gone"):
        make_user("case_manager", name)
    day = dt.timedelta(days=1)
    _aged("stale", last_login=now - 91 * day, joined=now - 400 * day)
    _aged("fresh", last_login=now - 89 * day, joined=now - 400 * day)
    _aged("never-old", last_login=None, joined=now - 91 * day)
    _aged("never-new", last_login=None, joined=now - 10 * day)
    _aged("reenabled", last_login=now - 200 * day, joined=now - 400 * day)
    User.objects.filter(username="reenabled").update(enabled_at=now - 5 * day)
    _aged("gone", last_login=now - 300 * day, joined=now - 400 * day)
    User.objects.filter(username="gone").update(is_active=False)
    _aged(administrator.username, last_login=now - 1 * day, joined=now - 400 * day)

    assert staff.disable_inactive_accounts(actor=administrator, now=now) == ["never-old", "stale"]
    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {
        "never-old",
        "stale",
        "gone",
    }
    events = list(new_events().order_by("id"))
    assert [(e.action, e.object_id, e.changes, e.details["trigger"]) for e in events] == [
        (
            "staff.disabled_inactive",
            str(User.objects.get(username=n).pk),
            {"is_active": [True, False]},
            "scheduled",
        )
        for n in ("never-old", "stale")
    ]
    assert events[1].details["last_activity"] == (now - 91 * day).isoformat()
    assert User.objects.get(username="stale").session_generation == 1
    # Safe to repeat: nothing more to do, nothing more written.
    assert staff.disable_inactive_accounts(actor=administrator, now=now) == []
    assert new_events().count() == 2


def test_the_system_account_is_never_disabled_for_inactivity(administrator: User) -> None:
    system = system_actor()
    User.objects.filter(pk=system.pk).update(date_joined=timezone.now() - dt.timedelta(days=999))
    assert staff.disable_inactive_accounts(actor=administrator) == []
    assert User.objects.get(pk=system.pk).is_active


def test_an_unused_account_is_disabled_at_sign_in_even_without_the_scheduler(
    case_manager: User, new_events: Any
) -> None:
    day = dt.timedelta(days=1)
    _aged(CM, last_login=timezone.now() - 95 * day, joined=timezone.now() - 400 * day)
    client = Client()
    refused = client.post("/accounts/login/", {"username": CM, "password": PASSWORD})
    assert refused.status_code == 200  # the form again: the right password is not admitted
    assert "_auth_user_id" not in client.session
    case_manager.refresh_from_db()
    assert case_manager.is_active is False
    event = new_events().get(action="staff.disabled_inactive")
    assert (event.actor_username, event.details["trigger"]) == (SYSTEM_USERNAME, "sign-in")
    # A wrong password disables nothing and says nothing about the account.
    other = make_user("analyst", "stale-analyst")
    _aged(other.username, last_login=None, joined=timezone.now() - 95 * day)
    client.post("/accounts/login/", {"username": other.username, "password": "wrong"})
    assert User.objects.get(pk=other.pk).is_active is True


def test_an_account_used_within_90_days_signs_in(case_manager: User, new_events: Any) -> None:
    day = dt.timedelta(days=1)
    _aged(CM, last_login=timezone.now() - 89 * day, joined=timezone.now() - 400 * day)
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": CM, "password": PASSWORD})["Location"] == "/"
    )
    assert User.objects.get(username=CM).is_active
    assert not new_events().filter(action="staff.disabled_inactive").exists()


def test_re_enabling_restarts_the_inactivity_clock(case_manager: User, administrator: User) -> None:
    _aged(
        CM,
        last_login=timezone.now() - dt.timedelta(days=200),
        joined=timezone.now() - dt.timedelta(days=400),
    )
    staff.disable_inactive_accounts(actor=administrator)
    staff.enable_account(actor=administrator, username=CM)
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": CM, "password": PASSWORD})["Location"] == "/"
    )
    code = current_code(enrolled_device(case_manager))
    client.post("/accounts/otp/", {"code": code})
    assert client.get("/cases/").status_code == 200


# --- CJIS AC-6: the system account and Django's own account commands ---------------------------


def test_the_system_account_holds_only_its_commands_permissions(db: None) -> None:
    system = system_actor()
    assert (system.is_superuser, system.is_staff, system.has_usable_password()) == (
        False,
        False,
        False,
    )
    assert list(system.groups.values_list("name", flat=True)) == ["OnTrack system"]
    assert system.get_all_permissions() == {
        "accounts.manage_staff",
        "ingest.run_import",
        "people.add_person",
        "cases.add_case",
        "cases.change_case",
        "hearings.send_reminders",  # hearings: the worker
    }
    for reading in ("cases.view_case", "people.view_person", "audit.view_auditevent"):
        assert not system.has_perm(reading), reading


def test_a_database_whose_system_account_was_a_superuser_is_repaired(db: None) -> None:
    """Migration 0003's data step and the role sync after migrate: the old superuser system
    account loses superuser and gets exactly the system role."""
    import importlib

    from django.apps import apps

    from ontrack.accounts.services import sync_roles

    migration = importlib.import_module(
        "ontrack.accounts.migrations.0003_session_generation_row_version"
    )
    system = system_actor()
    User.objects.filter(pk=system.pk).update(is_superuser=True, is_staff=True)
    system.groups.clear()
    migration.system_account_is_no_superuser(apps, None)
    assert sync_roles(actor=system_actor()) == ["system"]
    system = User.objects.get(pk=system.pk)
    assert (system.is_superuser, system.is_staff) == (False, False)
    assert list(system.groups.values_list("name", flat=True)) == ["OnTrack system"]


@pytest.mark.parametrize("command", ["createsuperuser", "changepassword"])
def test_django_account_commands_are_refused_outside_development(
    settings: Any, command: str, case_manager: User
) -> None:
    settings.PRODUCTION = True
    events = AuditEvent.objects.count()
    password = User.objects.get(username=CM).password
    args = ["--username", "root", "--email", "r@example.org", "--noinput"]
    with pytest.raises(CommandError) as refused:
        call_command(command, *(args if command == "createsuperuser" else [CM]), stdout=StringIO())
    assert refused.value.returncode == 2
    assert f"{command} is refused outside development" in str(refused.value)
    assert not User.objects.filter(is_superuser=True).exists()
    assert User.objects.get(username=CM).password == password
    assert AuditEvent.objects.count() == events


def test_createsuperuser_still_works_in_development(settings: Any, db: None) -> None:
    settings.PRODUCTION = False
    call_command(
        "createsuperuser", "--username", "dev", "--email", "d@example.org", "--noinput",
        stdout=StringIO(),
    )  # fmt: skip
    assert User.objects.get(username="dev").is_superuser


def test_new_staff_never_become_superusers(administrator: User) -> None:
    user = create_staff_user(
        actor=administrator, username="newbie", password=NEW, role="administrator",
        must_change_password=True,
    )  # fmt: skip
    assert (user.is_superuser, user.is_staff, user.must_change_password) == (False, False, True)
    assert list(user.groups.values_list("name", flat=True)) == ["Administrator"]
    assert (
        Group.objects.get(name="Administrator")
        .permissions.filter(codename__in=["view_case", "view_person"])
        .count()
        == 0
    )
