"""``ontrack program``: add, sharing, list (CJIS AC-2, AC-3: programs decide who sees cases).
Refusals exit 2 and change nothing, audit rows included."""

from __future__ import annotations

from io import StringIO

import pytest
from conftest import make_user
from django.core.management import call_command
from django.core.management.base import CommandError

from ontrack.audit.models import AuditEvent
from ontrack.programs.models import Program, ProgramMembership

pytestmark = pytest.mark.django_db


def program(*args: str) -> str:
    out = StringIO()
    call_command("program", *args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    programs, events = list(Program.objects.values_list()), AuditEvent.objects.count()
    with pytest.raises(CommandError) as caught:
        program(*args)
    assert caught.value.returncode == 2
    assert list(Program.objects.values_list()) == programs
    assert AuditEvent.objects.count() == events
    return str(caught.value)


def test_add_sharing_and_list() -> None:
    assert program("add", "bot-sf", "--name", "Back on Track SF") == (
        "bot-sf: created (each case manager sees their own caseload and the program's intake)\n"
    )
    created = Program.objects.get(slug="bot-sf")
    assert (created.name, created.colleagues_see_caseloads, created.row_version) == (
        "Back on Track SF",
        False,
        1,
    )
    assert program("sharing", "bot-sf", "on") == "bot-sf: colleagues see each other's caseloads\n"
    shared = Program.objects.get(slug="bot-sf")
    assert (shared.colleagues_see_caseloads, shared.row_version) == (True, 2)
    program("add", "aaa", "--name", "Another", "--colleagues-see-caseloads")
    ProgramMembership.objects.create(program=shared, user=make_user("case_manager", "cm-1"))
    assert program("list") == (
        "slug\tname\tcolleagues_see_caseloads\tmembers\n"
        "aaa\tAnother\tyes\t0\n"
        "bot-sf\tBack on Track SF\tyes\t1\n"
    )
    events = AuditEvent.objects.filter(object_type="programs.program").order_by("id")
    assert [(e.action, e.actor_username, e.object_id, e.changes) for e in events] == [
        (
            "program.created",
            "ontrack-system",
            str(created.pk),
            {
                "slug": [None, "bot-sf"],
                "name": [None, "Back on Track SF"],
                "colleagues_see_caseloads": [None, False],
            },
        ),
        (
            "program.caseload_sharing_changed",
            "ontrack-system",
            str(created.pk),
            {"colleagues_see_caseloads": [False, True]},
        ),
        (
            "program.created",
            "ontrack-system",
            str(Program.objects.get(slug="aaa").pk),
            {
                "slug": [None, "aaa"],
                "name": [None, "Another"],
                "colleagues_see_caseloads": [None, True],
            },
        ),
    ]


def test_bad_input_is_refused_and_changes_nothing() -> None:
    program("add", "bot-sf", "--name", "Back on Track SF")
    assert refused("add", "bot-sf", "--name", "Again") == (
        "slug: a program 'bot-sf' already exists"
    )
    assert refused("add", "not a slug", "--name", "X") == (
        "slug: letters, digits, '-' and '_' only, at most 50 characters"
    )
    assert refused("add", "x" * 51, "--name", "X") == (
        "slug: letters, digits, '-' and '_' only, at most 50 characters"
    )
    assert refused("add", "ok", "--name", " ") == "name: required"
    assert refused("add", "ok", "--name", "n" * 201) == "name: at most 200 characters"
    assert refused("sharing", "bot-sf", "off") == (
        "colleagues_see_caseloads: Back on Track SF already does not share caseloads"
    )
    assert refused("sharing", "nope", "on") == "program: no program 'nope'"


def test_only_account_managers_manage_programs() -> None:
    make_user("supervisor", "sup")
    assert refused("add", "bot-sf", "--name", "X", "--actor", "sup") == (
        "sup lacks accounts.manage_staff"
    )
    assert refused("list", "--actor", "sup") == "sup lacks accounts.manage_staff"


def test_capacity_is_set_unset_and_audited() -> None:
    program("add", "bot-cap", "--name", "Back on Track Cap")
    assert program("capacity", "bot-cap", "12") == "bot-cap: 12 places\n"
    assert Program.objects.get(slug="bot-cap").capacity == 12
    assert program("capacity", "bot-cap", "unset") == "bot-cap: number of places not set\n"
    assert Program.objects.get(slug="bot-cap").capacity is None
    audits = AuditEvent.objects.filter(action="program.capacity_set").order_by("pk")
    assert [a.changes for a in audits] == [{"capacity": [None, 12]}, {"capacity": [12, None]}]


def test_bad_capacity_is_refused_and_changes_nothing() -> None:
    program("add", "bot-cap", "--name", "Back on Track Cap")
    assert "give a number of places, or 'unset'" in refused("capacity", "bot-cap", "many")
    assert "between 1 and 10000" in refused("capacity", "bot-cap", "0")
    assert "already has that number of places" in refused("capacity", "bot-cap", "unset")
    assert "no program 'nope'" in refused("capacity", "nope", "3")
