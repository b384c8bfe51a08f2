"""Assigning cases, restricting them and stating a purpose: audited services whose refusals
change nothing, and the purpose page (CJIS AC-3/AC-6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group

from ontrack.accounts.models import User
from ontrack.accounts.roles import ROLES
from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case, Restriction
from ontrack.cases.purpose import SESSION_KEY, carry, current_purpose
from ontrack.cases.services import assign_case, set_restriction, state_purpose
from ontrack.cases.tests.factories import CaseFactory, program_with
from ontrack.common.errors import ConcurrentEdit, NotFound, ValidationFailed
from ontrack.common.services import Forbidden

pytestmark = pytest.mark.django_db


def case_state(case: Case) -> tuple[Any, ...]:
    case = Case.objects.get(pk=case.pk)
    return (case.program_id, case.case_manager_id, case.restriction, case.row_version)


def test_assigning_places_the_case_and_is_audited(supervisor: Any, case_manager: Any) -> None:
    program = program_with(case_manager)
    case = CaseFactory()
    assign_case(actor=supervisor, case=case, expected_version=1, program=program, case_manager=None)
    assign_case(
        actor=supervisor, case=case, expected_version=2, program=program,
        case_manager=case_manager,
    )  # fmt: skip
    assert case_state(case) == (program.pk, case_manager.pk, "", 3)
    events = AuditEvent.objects.filter(action="case.assigned").order_by("id")
    assert [(e.changes, e.details) for e in events] == [
        (
            {"program": [None, program.pk]},
            {"version": 2, "program": program.slug, "case_manager": None},
        ),
        (
            {"case_manager": [None, case_manager.pk]},
            {"version": 3, "program": program.slug, "case_manager": case_manager.username},
        ),
    ]
    # The same assignment again changes nothing and writes nothing.
    assign_case(
        actor=supervisor, case=case, expected_version=3, program=program,
        case_manager=case_manager,
    )  # fmt: skip
    assert (case_state(case), events.count()) == ((program.pk, case_manager.pk, "", 3), 2)


def other_case_manager(username: str) -> User:
    user = User.objects.create_user(username=username, password="x" * 16)
    user.groups.add(Group.objects.get(name=ROLES["case_manager"].group_name))
    return user


@pytest.mark.parametrize(
    ("situation", "problem"),
    [
        ("not a member", "outsider is not an active member of Back On Track"),
        ("inactive", "outsider is not an active member of Back On Track"),
        ("no program", "a case manager is assigned within a program: name it"),
        ("cannot see cases", "outsider may not see cases (cases.view_case)"),
    ],
)
def test_an_assignment_the_rule_would_not_honour_is_refused(
    supervisor: Any, new_events: Any, situation: str, problem: str
) -> None:
    outsider = other_case_manager("outsider")
    program = program_with()
    if situation == "inactive":
        program_with(outsider)
        outsider.is_active = False
        outsider.save()
    if situation == "cannot see cases":
        program_with(outsider)
        outsider.groups.clear()
        outsider = User.objects.get(pk=outsider.pk)
    case = CaseFactory()
    with pytest.raises(ValidationFailed) as refused:
        assign_case(
            actor=supervisor, case=case, expected_version=1,
            program=None if situation == "no program" else program, case_manager=outsider,
        )  # fmt: skip
    assert refused.value.problems == {"case_manager": problem}
    assert case_state(case) == (None, None, "", 1)
    assert new_events().count() == 0


def test_assigning_is_refused_without_the_permission_or_sight(
    supervisor: Any, case_manager: Any, new_events: Any
) -> None:
    program = program_with(case_manager)
    mine = CaseFactory(case_manager=case_manager)  # visible to the case manager
    with pytest.raises(Forbidden):
        assign_case(
            actor=case_manager, case=mine, expected_version=1, program=program,
            case_manager=None,
        )  # fmt: skip
    sealed = CaseFactory(restriction=Restriction.SEALED)
    with pytest.raises(NotFound):  # a supervisor, but no purpose stated
        assign_case(
            actor=supervisor, case=sealed, expected_version=1, program=program,
            case_manager=None,
        )  # fmt: skip
    with pytest.raises(ConcurrentEdit):
        assign_case(
            actor=supervisor, case=mine, expected_version=7, program=program, case_manager=None
        )
    assert case_state(mine) == (program.pk, case_manager.pk, "", 1)
    assert case_state(sealed) == (None, None, "sealed", 1)
    assert new_events().count() == 0


def test_sealing_and_lifting_need_a_reason_and_sight(supervisor: Any, new_events: Any) -> None:
    case = CaseFactory()
    with pytest.raises(ValidationFailed) as refused:
        set_restriction(
            actor=supervisor, case=case, expected_version=1, restriction="secret", reason=" "
        )
    assert set(refused.value.problems) == {"restriction", "reason"}
    with pytest.raises(ValidationFailed, match="at most 2000 characters"):
        set_restriction(
            actor=supervisor, case=case, expected_version=1, restriction="sealed",
            reason="x" * 2001,
        )  # fmt: skip
    assert (case_state(case), new_events().count()) == ((None, None, "", 1), 0)
    set_restriction(
        actor=supervisor, case=case, expected_version=1, restriction="sealed",
        reason="PC 1000.4: dismissed after completion",
    )  # fmt: skip
    assert case_state(case) == (None, None, "sealed", 2)
    with pytest.raises(NotFound):  # lifting a seal means seeing the sealed case: a purpose
        set_restriction(
            actor=supervisor, case=case, expected_version=2, restriction="", reason="error"
        )
    carry(supervisor, state_purpose(actor=supervisor, purpose="Sealed in error, ticket 77"))
    set_restriction(actor=supervisor, case=case, expected_version=2, restriction="", reason="error")
    assert case_state(case) == (None, None, "", 3)
    events = list(new_events().order_by("id"))
    assert set(events[1].details) == {"purpose", "expires_at"}
    events[1].details.pop("expires_at")
    assert [(e.action, e.changes, e.details) for e in events] == [
        (
            "case.restriction_set",
            {"restriction": ["", "sealed"]},
            {"reason": "PC 1000.4: dismissed after completion", "version": 2},
        ),
        (
            "restricted.purpose_stated",
            {},
            {"purpose": "Sealed in error, ticket 77"},
        ),
        (
            "case.restriction_set",
            {"restriction": ["sealed", ""]},
            {"reason": "error", "version": 3},
        ),
    ]


def test_a_case_manager_may_not_restrict_or_state_a_purpose(
    case_manager: Any, new_events: Any
) -> None:
    case = CaseFactory(case_manager=case_manager)
    with pytest.raises(Forbidden):
        set_restriction(
            actor=case_manager, case=case, expected_version=1, restriction="sealed", reason="r"
        )
    with pytest.raises(Forbidden):
        state_purpose(actor=case_manager, purpose="curious")
    assert (case_state(case)[2:], new_events().count()) == (("", 1), 0)


@pytest.mark.parametrize(
    ("purpose", "problem"),
    [
        ("   \n ", "say why you need restricted records"),
        ("x" * 501, "a purpose is at most 500 characters (this one has 501)"),
    ],
)
def test_a_blank_or_overlong_purpose_is_refused(
    supervisor: Any, new_events: Any, purpose: str, problem: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        state_purpose(actor=supervisor, purpose=purpose)
    assert refused.value.problems == {"purpose": problem}
    assert new_events().count() == 0


def test_the_purpose_page_states_and_keeps_it(
    client: Any, supervisor: Any, new_events: Any
) -> None:
    sealed = CaseFactory(restriction=Restriction.SEALED)
    client.force_login(supervisor)
    assert client.get(f"/cases/{sealed.pk}/").status_code == 404
    page = client.get("/cases/purpose/", {"next": f"/cases/{sealed.pk}/"})
    assert page.status_code == 200
    assert f'value="/cases/{sealed.pk}/"' in page.content.decode()
    refused = client.post("/cases/purpose/", {"purpose": "  ", "next": "/"})
    assert refused.status_code == 400
    assert "say why you need restricted records" in refused.content.decode()
    assert (new_events().count(), SESSION_KEY in client.session) == (0, False)
    stated = client.post(
        "/cases/purpose/", {"purpose": "Court order 26-0042", "next": f"/cases/{sealed.pk}/"}
    )
    assert (stated.status_code, stated["Location"]) == (302, f"/cases/{sealed.pk}/")
    [event] = new_events()
    assert (event.action, event.object_id, event.details["purpose"]) == (
        "restricted.purpose_stated",
        str(supervisor.pk),
        "Court order 26-0042",
    )
    assert client.get(f"/cases/{sealed.pk}/").status_code == 200
    assert "Restricted: Sealed." in client.get(f"/cases/{sealed.pk}/").content.decode()


def test_an_expired_purpose_in_the_session_is_dropped(client: Any, supervisor: Any) -> None:
    sealed = CaseFactory(restriction=Restriction.SEALED)
    client.force_login(supervisor)
    client.post("/cases/purpose/", {"purpose": "Court order 26-0042"})
    assert client.get(f"/cases/{sealed.pk}/").status_code == 200
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "expires_at": "2020-01-01T00:00:00+00:00"}
    session.save()
    assert client.get(f"/cases/{sealed.pk}/").status_code == 404
    assert SESSION_KEY not in client.session


def test_the_purpose_page_sends_only_to_this_site(client: Any, supervisor: Any) -> None:
    client.force_login(supervisor)
    stated = client.post(
        "/cases/purpose/", {"purpose": "Audit 2026-3", "next": "https://evil.example/"}
    )
    assert stated["Location"] == "/cases/"


def test_only_holders_of_view_restricted_reach_the_purpose_page(
    client: Any, case_manager: Any, analyst: Any, administrator: Any, auditor: Any
) -> None:
    statuses = {}
    for user in (case_manager, analyst, administrator, auditor):
        client.force_login(user)
        statuses[user.username] = client.get("/cases/purpose/").status_code
    assert statuses == {
        "case_manager-user": 403,
        "analyst-user": 403,
        "administrator-user": 403,
        "auditor-user": 200,
    }


def test_the_purpose_is_not_carried_by_another_account(supervisor: Any, auditor: Any) -> None:
    carry(supervisor, state_purpose(actor=supervisor, purpose="Court order 26-0042"))
    assert current_purpose(supervisor) is not None
    assert current_purpose(auditor) is None


def test_a_supervisor_assigns_from_the_case_page(
    client: Any, supervisor: Any, case_manager: Any, new_events: Any
) -> None:
    program = program_with(case_manager)
    case = CaseFactory()
    client.force_login(supervisor)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/assign/"' in page
    assert f'<option value="{case_manager.pk}">case_manager-user</option>' in page
    stale = client.post(
        f"/cases/{case.pk}/assign/",
        {"program": program.pk, "case_manager": case_manager.pk, "expected_version": 9},
    )
    assert stale.status_code == 409  # a stale form is a conflict (common/submit.py)
    assert "changed by someone else since version 9" in stale.content.decode()
    no_program = client.post(
        f"/cases/{case.pk}/assign/",
        {"program": "", "case_manager": case_manager.pk, "expected_version": 1},
    )
    assert no_program.status_code == 400
    assert "a case manager is assigned within a program: name it" in no_program.content.decode()
    assert (case_state(case), new_events().count()) == ((None, None, "", 1), 0)
    done = client.post(
        f"/cases/{case.pk}/assign/",
        {"program": program.pk, "case_manager": case_manager.pk, "expected_version": 1},
    )
    assert (done.status_code, done["Location"]) == (302, f"/cases/{case.pk}/")
    assert case_state(case) == (program.pk, case_manager.pk, "", 2)
    assert [e.action for e in new_events()] == ["case.assigned"]
    shown = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Back On Track · case manager case_manager-user" in shown


def test_the_case_manager_gets_no_assignment_form(client: Any, case_manager: Any) -> None:
    case = CaseFactory(case_manager=case_manager)
    client.force_login(case_manager)
    assert "/assign/" not in client.get(f"/cases/{case.pk}/").content.decode()
    refused = client.post(
        f"/cases/{case.pk}/assign/", {"program": "", "case_manager": "", "expected_version": 1}
    )
    assert refused.status_code == 403
    assert case_state(case)[1:] == (case_manager.pk, "", 1)
