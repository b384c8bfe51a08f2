"""The access stream (CJIS AU-2, AU-3, AU-5; ADR 0032): one row per read of a person, case or
screening page, per refusal, per sign-in step; written after the response, outside any
business transaction, even when the request fails; data withheld when it cannot be written."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client

from ontrack.accounts.models import User
from ontrack.audit.access import record_access
from ontrack.audit.context import origin
from ontrack.audit.models import AccessEvent, AppendOnlyError, AuditEvent
from ontrack.eligibility.services import screen_case
from ontrack.eligibility.tests.helpers import POLICY, prepared_case


def rows(new_access: Any, *fields: str) -> list[tuple[Any, ...]]:
    return list(new_access().values_list(*fields))


# --- reads of a person, case or screening page -------------------------------------------------


def test_a_case_page_read_is_one_row_with_who_what_when_where(
    client: Any, case_manager: User, new_access: Any, catalog: None
) -> None:
    case = prepared_case(case_manager=case_manager)  # on their caseload (cases/visibility.py)
    client.force_login(case_manager)
    response = client.get(f"/cases/{case.pk}/?from=search")
    assert response.status_code == 200
    event = new_access().get()
    assert (
        event.actor,
        event.username,
        event.action,
        event.object_type,
        event.object_id,
        event.outcome,
        event.status_code,
        event.row_count,
        event.source,
        event.os_user,
        event.method,
        event.path,  # without the query string: a search's carries names
        event.ip_address,
        event.request_id,
    ) == (
        case_manager,
        "case_manager-user",
        "case.viewed",
        "cases.case",
        str(case.pk),
        "success",
        200,
        None,
        "web",
        None,
        "GET",
        f"/cases/{case.pk}/",
        "127.0.0.1",
        response["X-Request-ID"],
    )


def test_person_and_screening_pages_and_the_screenings_section_are_recorded(
    client: Any, supervisor: User, new_access: Any, catalog: None
) -> None:
    case = prepared_case()
    screening = screen_case(actor=supervisor, case=case, policy=POLICY)
    client.force_login(supervisor)
    for url in (
        f"/people/{case.defendant_id}/",
        f"/eligibility/screenings/{screening.pk}/",
        f"/eligibility/cases/{case.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    assert rows(new_access, "action", "object_type", "object_id", "outcome") == [
        ("person.viewed", "people.person", str(case.defendant_id), "success"),
        ("screening.viewed", "eligibility.screening", str(screening.pk), "success"),
        ("case.screenings_viewed", "cases.case", str(case.pk), "success"),
    ]


def test_lists_and_the_catalog_write_no_access_rows(
    client: Any, case_manager: User, new_access: Any, catalog: None
) -> None:
    prepared_case()
    client.force_login(case_manager)
    assert client.get("/cases/?q=Arriaga").status_code == 200
    assert client.get("/").status_code == 200  # the home page: counts, no record
    assert list(new_access()) == []


# --- refusals ----------------------------------------------------------------------------------


def test_a_missing_case_is_a_denied_read(
    client: Any, case_manager: User, new_access: Any, db: None
) -> None:
    client.force_login(case_manager)
    assert client.get("/cases/999999/").status_code == 404
    assert rows(new_access, "action", "object_id", "outcome", "status_code") == [
        ("case.viewed", "999999", "denied", 404)
    ]


def test_a_page_refused_by_permission_is_recorded_as_denied(
    client: Any, administrator: User, new_access: Any, catalog: None
) -> None:
    """An administrator reads the audit, not case files: the 403 is on the access stream."""
    case = prepared_case()
    client.force_login(administrator)
    assert client.get(f"/cases/{case.pk}/").status_code == 403
    assert client.get("/no/such/page/").status_code == 404
    assert rows(new_access, "actor", "action", "object_type", "object_id", "outcome", "path") == [
        (administrator.pk, "request.denied", "page", "cases:detail", "denied",
         f"/cases/{case.pk}/"),
        (administrator.pk, "request.denied", "page", "", "denied", "/no/such/page/"),
    ]  # fmt: skip


def test_anonymous_refusals_write_nothing(client: Any, new_access: Any, db: None) -> None:
    """Signed out, every page is a redirect to sign in; unknown addresses are 404s."""
    assert client.get("/no/such/page/").status_code == 404
    assert client.get("/cases/1/").status_code == 302
    assert list(new_access()) == []


# --- failures and the audit's own failure (AU-5) ------------------------------------------------


def test_a_failing_page_is_recorded_as_a_failure(
    case_manager: User, new_access: Any, catalog: None, monkeypatch: Any
) -> None:
    from ontrack.accounts.tests.helpers import VerifiedClient
    from ontrack.cases import selectors

    case = prepared_case()

    def broken(**_: Any) -> Any:
        raise RuntimeError("the case file could not be read")

    monkeypatch.setattr(selectors, "get_case_file", broken)
    client = VerifiedClient(raise_request_exception=False)
    client.force_login(case_manager)
    assert client.get(f"/cases/{case.pk}/").status_code == 500
    assert rows(new_access, "action", "object_id", "outcome", "status_code") == [
        ("case.viewed", str(case.pk), "failure", 500)
    ]


def test_data_is_withheld_when_its_access_cannot_be_recorded(
    client: Any,
    case_manager: User,
    catalog: None,
    access_store_down: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """CJIS AU-5, failing closed: no row, no data; the administrators' log says so."""
    case = prepared_case()
    client.force_login(case_manager)
    before = AccessEvent.objects.count()
    with caplog.at_level(logging.CRITICAL, logger="ontrack.audit"):
        response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "Not shown: the access could not be recorded" in body
    for secret in ("Arriaga", "Lupe", case.docket_number):
        assert secret not in body
    assert response["Cache-Control"] == "no-store"
    assert AccessEvent.objects.count() == before
    assert [r.getMessage() for r in caplog.records] == [
        f"access record not written; response withheld (GET /cases/{case.pk}/, 1 rows)"
    ]


def test_a_sign_in_whose_row_cannot_be_written_does_not_sign_in(
    case_manager: User, access_store_down: None
) -> None:
    """AU-5 for sign-in: the step fails (500) and the session is not saved."""
    client = Client(raise_request_exception=False)
    response = client.post(
        "/accounts/login/", {"username": case_manager.username, "password": "x" * 16}
    )
    assert response.status_code == 500
    assert "_auth_user_id" not in client.session
    assert client.get("/cases/")["Location"] == "/accounts/login/?next=/cases/"


def test_pages_without_access_rows_are_served_while_the_store_is_down(
    client: Any, case_manager: User, catalog: None, access_store_down: None
) -> None:
    """Only what must be recorded is withheld: the caseload list writes no row."""
    prepared_case()
    client.force_login(case_manager)
    assert client.get("/cases/").status_code == 200


def test_access_rows_are_never_written_inside_a_business_transaction(
    case_manager: User,
) -> None:
    before = AccessEvent.objects.count()
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        record_access(actor=case_manager, action="case.viewed", outcome="success")
    assert AccessEvent.objects.count() == before


def test_an_unknown_outcome_is_refused(case_manager: User) -> None:
    with pytest.raises(ValueError, match="outcome must be one of success, failure, denied"):
        record_access(actor=case_manager, action="case.viewed", outcome="ok")


# --- sign-in steps -----------------------------------------------------------------------------


def test_a_failed_sign_in_for_an_unknown_name_has_no_actor(new_access: Any, db: None) -> None:
    Client().post("/accounts/login/", {"username": "nobody-here", "password": "y" * 12})
    assert rows(new_access, "actor", "username", "action", "outcome", "object_id") == [
        (None, "nobody-here", "signin.failed", "failure", "")
    ]


def test_sign_out_and_a_backup_code_are_recorded(case_manager: User, new_access: Any) -> None:
    from ontrack.accounts.mfa import issue_devices

    _device, codes = issue_devices(actor=case_manager, user=case_manager)
    client = Client()
    client.post("/accounts/login/", {"username": case_manager.username, "password": "x" * 16})
    client.post("/accounts/otp/", {"code": codes[0], "next": "/cases/"})
    client.post("/accounts/logout/")
    client.post("/accounts/logout/")  # already signed out: nothing more
    assert rows(new_access, "actor", "action", "outcome", "details") == [
        (case_manager.pk, "signin.password_accepted", "success", {}),
        (case_manager.pk, "signin.backup_code_used", "success", {"device": "backup code"}),
        (case_manager.pk, "signin.signed_out", "success", {}),
    ]


# --- append-only, like the change stream (AU-9) --------------------------------------------------


def test_the_model_refuses_to_change_or_delete_an_access_row(case_manager: User) -> None:
    event = record_access(actor=case_manager, action="case.viewed", outcome="success")
    event.action = "tampered"
    with pytest.raises(AppendOnlyError, match="access events cannot be changed"):
        event.save()
    with pytest.raises(AppendOnlyError, match="access events cannot be deleted"):
        event.delete()


def test_the_database_refuses_update_and_delete_of_access_rows(case_manager: User) -> None:
    record_access(actor=case_manager, action="case.viewed", outcome="success")
    count = AccessEvent.objects.count()
    for statement in (
        "UPDATE audit_accessevent SET action = 'tampered'",
        "DELETE FROM audit_accessevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessEvent.objects.filter(action="case.viewed").update(action="tampered")
    assert AccessEvent.objects.count() == count
    assert not AccessEvent.objects.filter(action="tampered").exists()


def test_the_triggers_survive_the_migrations(db: None) -> None:
    """Adding ``os_user`` to the change stream must not re-make its table (SQLite drops a
    re-made table's triggers): both tables still have exactly their triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name LIKE 'audit_%' ORDER BY tbl_name, name"
            )
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c"
                " ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relname LIKE 'audit_%%'"
                " ORDER BY 1, 2"
            )
        found = cursor.fetchall()
    if connection.vendor == "sqlite":
        assert found == [
            ("audit_accessevent", "audit_accessevent_no_delete"),
            ("audit_accessevent", "audit_accessevent_no_update"),
            ("audit_auditevent", "audit_auditevent_no_delete"),
            ("audit_auditevent", "audit_auditevent_no_update"),
        ]
    else:
        assert found == [
            ("audit_accessevent", "audit_accessevent_no_change"),
            ("audit_accessevent", "audit_accessevent_no_truncate"),
            ("audit_auditevent", "audit_auditevent_no_change"),
            ("audit_auditevent", "audit_auditevent_no_truncate"),
        ]


def test_the_change_stream_records_the_os_user_of_a_command(case_manager: User) -> None:
    from ontrack.people.services import create_person

    with origin("cli", os_user="jdoe"), transaction.atomic():
        person = create_person(actor=case_manager, given_name="Ana", family_name="Reyes")
    event = AuditEvent.objects.get(action="person.created", object_id=str(person.pk))
    assert (event.source, event.os_user) == ("cli", "jdoe")
