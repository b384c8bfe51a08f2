""" "Assign selected": one ``assign_case`` per case in one transaction, all or none."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_user

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory, program_with

pytestmark = pytest.mark.django_db


def _state() -> list[tuple[Any, ...]]:
    return list(
        Case.objects.order_by("pk").values_list("pk", "program", "case_manager", "row_version")
    )


@pytest.fixture
def intake(supervisor: Any) -> Any:
    cm = make_user("case_manager", "cm-bulk")
    program = program_with(cm, slug="intake-program")
    cases = [CaseFactory(docket_number=f"CRI-BULK-{i}") for i in range(3)]
    return cm, program, cases


def test_a_supervisor_assigns_the_ticked_cases(client: Any, supervisor: Any, intake: Any) -> None:
    cm, program, cases = intake
    client.force_login(supervisor)
    page = client.get("/queues/awaiting-screening/")
    assert 'name="selected"' in page.content.decode()
    before = AuditEvent.objects.count()
    response = client.post(
        "/queues/assign/",
        {
            "back": "awaiting-screening",
            "selected": [f"{cases[0].pk}:1", f"{cases[2].pk}:1"],
            "program": str(program.pk),
            "case_manager": str(cm.pk),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/queues/awaiting-screening/?assigned=2"
    assert _state() == [
        (cases[0].pk, program.pk, cm.pk, 2),
        (cases[1].pk, None, None, 1),
        (cases[2].pk, program.pk, cm.pk, 2),
    ]
    new = AuditEvent.objects.filter(pk__gt=0).order_by("pk")[before:]
    assert [(e.action, e.object_id) for e in new] == [
        ("case.assigned", str(cases[0].pk)),
        ("case.assigned", str(cases[2].pk)),
        ("cases.assigned_in_bulk", "selected"),
    ]
    shown = client.get(response["Location"]).content.decode()
    assert "Assigned 2 cases." in shown


def test_one_stale_case_assigns_none(client: Any, supervisor: Any, intake: Any) -> None:
    cm, program, cases = intake
    Case.objects.filter(pk=cases[1].pk).update(row_version=2)  # someone else changed it
    client.force_login(supervisor)
    before = (_state(), AuditEvent.objects.count())
    response = client.post(
        "/queues/assign/",
        {
            "back": "awaiting-screening",
            "selected": [f"{cases[0].pk}:1", f"{cases[1].pk}:1"],
            "program": str(program.pk),
            "case_manager": str(cm.pk),
        },
    )
    assert response.status_code == 409
    assert "nothing was assigned" in response.content.decode()
    assert (_state(), AuditEvent.objects.count()) == before


def test_a_refused_assignment_is_named_and_assigns_none(
    client: Any, supervisor: Any, intake: Any
) -> None:
    cm, _program, cases = intake
    other = program_with(slug="other-program")  # cm is not a member
    client.force_login(supervisor)
    before = (_state(), AuditEvent.objects.count())
    response = client.post(
        "/queues/assign/",
        {
            "back": "awaiting-screening",
            "selected": [f"{cases[0].pk}:1"],
            "program": str(other.pk),
            "case_manager": str(cm.pk),
        },
    )
    assert response.status_code == 400
    body = " ".join(response.content.decode().split())
    assert "Case manager: cm-bulk is not an active member of" in body
    nothing = client.post("/queues/assign/", {"back": "awaiting-screening", "program": ""})
    assert "Cases: tick at least one case to assign" in " ".join(nothing.content.decode().split())
    assert (_state(), AuditEvent.objects.count()) == before


def test_a_case_manager_may_not_assign(client: Any, case_manager: Any, intake: Any) -> None:
    _cm, program, cases = intake
    client.force_login(case_manager)
    before = (_state(), AuditEvent.objects.count())
    response = client.post(
        "/queues/assign/",
        {"back": "caseload", "selected": [f"{cases[0].pk}:1"], "program": str(program.pk)},
    )
    assert response.status_code == 403
    assert (_state(), AuditEvent.objects.count()) == before
