"""The audit trail: written in the same transaction as the change, and never rewritten."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from ontrack.audit.models import AppendOnlyError, AuditEvent
from ontrack.audit.services import record_event
from ontrack.people.models import Person
from ontrack.people.services import create_person


def test_change_rolls_back_when_its_audit_row_fails(
    case_manager: Any, audit_store_down: None
) -> None:
    people_before = Person.objects.count()
    events_before = AuditEvent.objects.count()
    with pytest.raises(DatabaseError, match="audit store unavailable"):
        create_person(actor=case_manager, given_name="Ana", family_name="Reyes")
    assert Person.objects.count() == people_before
    assert not Person.objects.filter(family_name="Reyes").exists()
    assert AuditEvent.objects.count() == events_before


def test_service_writes_its_audit_row(case_manager: Any) -> None:
    person = create_person(
        actor=case_manager, given_name="Ana", family_name="Reyes", city="Oakland"
    )
    event = AuditEvent.objects.get(action="person.created")
    assert event.actor == case_manager
    assert event.actor_username == "case_manager-user"
    assert (event.object_type, event.object_id) == ("people.person", str(person.pk))
    assert event.changes == {
        "given_name": [None, "Ana"],
        "family_name": [None, "Reyes"],
        "city": [None, "Oakland"],
    }
    assert event.source == "system"


@pytest.mark.django_db(transaction=True)
def test_record_event_outside_transaction_is_refused() -> None:
    from ontrack.accounts.services import system_actor

    actor = system_actor()
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        record_event(actor=actor, action="x.y", object_type="t", object_id=1)
    assert AuditEvent.objects.count() == before


def test_model_refuses_update_and_delete(case_manager: Any) -> None:
    create_person(actor=case_manager, given_name="Ana", family_name="Reyes")
    event = AuditEvent.objects.get(action="person.created")
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "person.created"


@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_auditevent SET action = 'tampered'", "DELETE FROM audit_auditevent"],
)
def test_database_refuses_update_and_delete(case_manager: Any, sql: str) -> None:
    create_person(actor=case_manager, given_name="Ana", family_name="Reyes")
    count = AuditEvent.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.count() == count
    assert AuditEvent.objects.filter(action="tampered").count() == 0


def test_bulk_queryset_update_is_refused_by_the_database(case_manager: Any) -> None:
    create_person(actor=case_manager, given_name="Ana", family_name="Reyes")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().update(action="tampered")
    assert AuditEvent.objects.filter(action="tampered").count() == 0


def test_web_requests_record_request_id_and_address(client: Any, case_manager: Any) -> None:
    from ontrack.audit.context import origin

    with origin("web", request_id="req-123", ip_address="127.0.0.9"):
        create_person(actor=case_manager, given_name="Ana", family_name="Reyes")
    event = AuditEvent.objects.get(action="person.created")
    assert (event.request_id, event.ip_address, event.source) == ("req-123", "127.0.0.9", "web")
    client.force_login(case_manager)
    response = client.get("/cases/")
    assert len(response["X-Request-ID"]) == 32
