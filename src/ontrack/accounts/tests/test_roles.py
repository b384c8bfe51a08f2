"""Roles are groups holding exactly their declared permissions; sign-in works and is required."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group

from ontrack.accounts.models import User
from ontrack.accounts.roles import ROLES
from ontrack.accounts.services import create_staff_user, sync_roles, system_actor
from ontrack.common.errors import ValidationFailed


def perms(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.mark.django_db
def test_migrate_creates_each_role_with_exactly_its_permissions() -> None:
    assert perms("Case manager") == {
        "accounts.access_ontrack",
        "offenses.view_statute",
        "people.view_person",
        "cases.view_case",
        "people.add_person",
        "people.change_person",
        "cases.add_case",
        "cases.change_case",
        "enrollments.view_enrollment",
        "enrollments.move_enrollment",
        "plans.record_event",
        "plans.adjust_requirement",  # plans
        "hearings.schedule_hearing",  # hearings
        "notes.add_note",  # notes
        "notes.add_document",  # notes
        # drugtests + responses (issue 10)
        "drugtests.view_result",
        "drugtests.record_result",
        "responses.record_response",
    }
    assert perms("Supervisor (prosecutor)") == perms("Case manager") | {
        "ingest.run_import",
        "ingest.view_importbatch",
        "eligibility.override_screening",
        "cases.view_all_cases",
        "cases.view_restricted",
        "cases.assign_case",
        "cases.restrict_case",
        "enrollments.decide_sealing",  # enrollments (issue 10): sealing
        "notes.change_note",  # notes: edits anyone's note
    }
    assert perms("Analyst") == {
        "accounts.access_ontrack",
        "offenses.view_statute",
        "queues.view_deidentified_counts",
    }
    assert perms("Auditor") == {
        "accounts.access_ontrack",
        "offenses.view_statute",
        "people.view_person",
        "cases.view_case",
        "enrollments.view_enrollment",
        "cases.view_all_cases",
        "cases.view_restricted",
        "audit.view_auditevent",
        "ingest.view_importbatch",
    }
    assert perms("Administrator") == {
        "accounts.access_ontrack",
        "offenses.view_statute",
        "accounts.manage_staff",
        "audit.view_auditevent",
        "plans.manage_template",  # plans
    }
    assert perms("OnTrack system") == {
        "accounts.manage_staff",
        "ingest.run_import",
        "people.add_person",
        "cases.add_case",
        "cases.change_case",
        "hearings.send_reminders",  # hearings
    }
    assert {g.name for g in Group.objects.all()} == {r.group_name for r in ROLES.values()} | {
        "OnTrack system"
    }


@pytest.mark.django_db
def test_sync_roles_repairs_drift_and_is_then_a_no_op() -> None:
    Group.objects.get(name="Analyst").permissions.clear()
    assert sync_roles(actor=system_actor()) == ["analyst"]
    assert perms("Analyst") == {
        "accounts.access_ontrack",
        "offenses.view_statute",
        "queues.view_deidentified_counts",
    }
    assert sync_roles(actor=system_actor()) == []


@pytest.mark.django_db
def test_system_actor_cannot_sign_in(client: Any) -> None:
    actor = system_actor()
    assert not actor.has_usable_password()
    assert client.login(username=actor.username, password="") is False


def test_create_staff_user_validates_and_audits(administrator: Any, new_events: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create_staff_user(actor=administrator, username="jdoe", password="short", role="wizard")
    assert set(refused.value.problems) == {"role", "password"}
    assert not User.objects.filter(username="jdoe").exists()
    assert new_events().count() == 0
    user = create_staff_user(
        actor=administrator, username="jdoe", password="a-long-passphrase-42", role="analyst"
    )
    assert list(user.groups.values_list("name", flat=True)) == ["Analyst"]
    event = new_events().get()
    assert (event.action, event.changes) == (
        "staff.created",
        {"username": [None, "jdoe"], "role": [None, "analyst"]},
    )
    assert "a-long-passphrase-42" not in str(event.changes) + str(event.details)


def test_sign_in_and_out(client: Any, case_manager: Any) -> None:
    from ontrack.accounts.tests.helpers import current_code, enrolled_device

    response = client.post(
        "/accounts/login/", {"username": "case_manager-user", "password": "x" * 16}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/", follow=False)["Location"] == "/accounts/otp/?next=/"
    code = current_code(enrolled_device(case_manager))
    assert client.post("/accounts/otp/", {"code": code, "next": "/"})["Location"] == "/"
    assert client.get("/", follow=False).status_code == 200  # the start page (ontrack.queues)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")


def test_wrong_password_is_refused(client: Any, case_manager: Any) -> None:
    response = client.post(
        "/accounts/login/", {"username": "case_manager-user", "password": "nope"}
    )
    assert response.status_code == 200
    assert b"did not match" in response.content
    assert "_auth_user_id" not in client.session


def test_roles_without_caseload_get_a_start_page(client: Any, analyst: Any) -> None:
    client.force_login(analyst)
    response = client.get("/")
    assert response.status_code == 200
    assert b"offense catalog" in response.content
    assert client.get("/cases/").status_code == 403
    assert client.get("/audit/").status_code == 403


def test_user_without_any_role_is_refused_everywhere(client: Any, db: None) -> None:
    User.objects.create_user(username="norole", password="x" * 16)
    client.login(username="norole", password="x" * 16)
    for url in ["/", "/cases/", "/offenses/", "/audit/", "/people/1/", "/cases/1/"]:
        assert client.get(url).status_code == 403, url
