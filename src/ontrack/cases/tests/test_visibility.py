"""The visibility rule, branch by branch (cases/visibility.py; CJIS AC-3/AC-6, ADR 0028)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from ontrack.accounts.models import User
from ontrack.accounts.roles import ROLES
from ontrack.cases.models import Case, Restriction
from ontrack.cases.purpose import StatedPurpose, carry
from ontrack.cases.selectors import visible_cases
from ontrack.cases.services import state_purpose
from ontrack.cases.tests.factories import CaseFactory, program_with
from ontrack.people.selectors import visible_people
from ontrack.people.tests.factories import PersonFactory
from ontrack.programs.models import ProgramMembership

pytestmark = pytest.mark.django_db


def staff(role: str, username: str) -> User:
    user = User.objects.create_user(username=username, password="x" * 16)
    user.groups.add(Group.objects.get(name=ROLES[role].group_name))
    return User.objects.get(pk=user.pk)


def seen(actor: Any) -> set[str]:
    return {str(c.docket_number) for c in visible_cases(actor=actor)}


@pytest.fixture
def team() -> dict[str, Any]:
    ana, ben, cy = (staff("case_manager", n) for n in ("ana", "ben", "cy"))
    closed = program_with(ana, ben, slug="closed")  # colleagues do not see each other's cases
    shared = program_with(ana, cy, slug="shared", colleagues_see_caseloads=True)
    elsewhere = program_with(slug="elsewhere")
    for docket, program, manager in [
        ("ANA-1", closed, ana),
        ("BEN-1", closed, ben),
        ("CLOSED-INTAKE", closed, None),
        ("CY-1", shared, cy),
        ("SHARED-INTAKE", shared, None),
        ("ELSEWHERE-INTAKE", elsewhere, None),
    ]:
        CaseFactory(docket_number=docket, program=program, case_manager=manager)
    CaseFactory(docket_number="NO-PROGRAM")
    return {"ana": ana, "ben": ben, "cy": cy, "closed": closed}


def test_a_case_manager_sees_own_intake_and_shared_caseloads_only(team: dict[str, Any]) -> None:
    # Assigned to her; both programs' intake; Cy's case because "shared" shares caseloads;
    # not Ben's (the closed program does not), not another program's, not an unplaced case.
    assert seen(team["ana"]) == {"ANA-1", "CLOSED-INTAKE", "CY-1", "SHARED-INTAKE"}
    assert seen(team["ben"]) == {"BEN-1", "CLOSED-INTAKE"}
    assert seen(team["cy"]) == {"CY-1", "SHARED-INTAKE"}  # Ana has no case in "shared"


def test_sharing_is_the_programs_decision(team: dict[str, Any]) -> None:
    team["closed"].colleagues_see_caseloads = True
    team["closed"].save()
    assert seen(team["ben"]) == {"ANA-1", "BEN-1", "CLOSED-INTAKE"}


def test_leaving_a_program_ends_access_to_its_cases_even_assigned_ones(
    team: dict[str, Any],
) -> None:
    ProgramMembership.objects.filter(user=team["ana"], program=team["closed"]).delete()
    assert seen(team["ana"]) == {"CY-1", "SHARED-INTAKE"}


def test_every_program_and_unplaced_cases_need_view_all_cases(
    team: dict[str, Any], supervisor: Any, auditor: Any, analyst: Any, administrator: Any
) -> None:
    everything = set(Case.objects.values_list("docket_number", flat=True))
    assert len(everything) == 7
    assert seen(supervisor) == seen(auditor) == everything
    assert seen(analyst) == seen(administrator) == set()


def test_an_inactive_account_sees_nothing(team: dict[str, Any], supervisor: Any) -> None:
    for user in (team["ana"], supervisor):
        user.is_active = False
        assert seen(user) == set()
        assert list(visible_people(actor=user)) == []


def test_view_case_alone_without_view_person_sees_nothing(team: dict[str, Any]) -> None:
    ana = team["ana"]
    group = Group.objects.get(name=ROLES["case_manager"].group_name)
    group.permissions.remove(Permission.objects.get(codename="view_person"))
    assert seen(User.objects.get(pk=ana.pk)) == set()


@pytest.fixture
def sealed(team: dict[str, Any]) -> Case:
    Case.objects.filter(docket_number="ANA-1").update(restriction=Restriction.SEALED)
    return Case.objects.get(docket_number="ANA-1")


def test_a_sealed_case_needs_the_permission_and_a_stated_purpose(
    sealed: Case, supervisor: Any, auditor: Any, team: dict[str, Any]
) -> None:
    assert "ANA-1" not in seen(supervisor)  # the permission alone is not enough
    assert "ANA-1" not in seen(team["ana"])  # nor is being its case manager
    state = state_purpose(actor=supervisor, purpose="Court order 26-0042, motion to seal")
    carry(supervisor, state)
    assert "ANA-1" in seen(supervisor)
    assert "ANA-1" not in seen(auditor)  # a purpose is one person's, not everyone's


def test_a_purpose_without_the_permission_opens_nothing(sealed: Case, team: dict[str, Any]) -> None:
    now = timezone.now()
    carry(team["ana"], StatedPurpose("I want to", now, now + dt.timedelta(minutes=30)))
    assert "ANA-1" not in seen(team["ana"])


def test_an_expired_purpose_opens_nothing(sealed: Case, supervisor: Any) -> None:
    now = timezone.now()
    carry(supervisor, StatedPurpose("old", now - dt.timedelta(hours=1), now))
    assert "ANA-1" not in seen(supervisor)
    carry(supervisor, StatedPurpose("fresh", now, now + dt.timedelta(seconds=60)))
    assert "ANA-1" in seen(supervisor)


def test_the_purpose_lasts_the_configured_time(supervisor: Any, settings: Any) -> None:
    settings.ONTRACK_RESTRICTED_PURPOSE_SECONDS = 600
    stated = state_purpose(actor=supervisor, purpose="  Records request\n 2026-118 ")
    assert stated.text == "Records request 2026-118"
    assert stated.expires_at - stated.stated_at == dt.timedelta(seconds=600)


def test_a_person_is_seen_through_a_visible_case(
    team: dict[str, Any], sealed: Case, supervisor: Any
) -> None:
    ana, ben = team["ana"], team["ben"]
    bens_client = Case.objects.get(docket_number="BEN-1").defendant
    ana_and_ben = Case.objects.get(docket_number="CLOSED-INTAKE").defendant
    CaseFactory(defendant=ana_and_ben, docket_number="BEN-2", program=team["closed"],
                case_manager=ben)  # fmt: skip
    nobody = PersonFactory()  # no case at all
    anas_sealed = sealed.defendant
    people_ana = set(visible_people(actor=ana).values_list("pk", flat=True))
    assert ana_and_ben.pk in people_ana  # one visible case is enough
    assert bens_client.pk not in people_ana
    assert nobody.pk not in people_ana  # a person without a case: view_all_cases only
    assert anas_sealed.pk not in people_ana  # their only case is sealed
    people_supervisor = set(visible_people(actor=supervisor).values_list("pk", flat=True))
    assert {bens_client.pk, ana_and_ben.pk, nobody.pk} <= people_supervisor
    assert anas_sealed.pk not in people_supervisor  # no purpose stated
