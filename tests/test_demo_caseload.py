"""``make demo``: after ``create_demo_users``, ``demo_caseload`` gives the demo case manager a
caseload, through audited services run as the demo accounts (cases/visibility.py)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ontrack.accounts.models import User
from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case
from ontrack.cases.selectors import count_caseload
from ontrack.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("demo_caseload", *args, stdout=out)
    return out.getvalue()


def test_the_demo_case_manager_gets_a_caseload() -> None:
    call_command("create_demo_users", stdout=io.StringIO())
    for n in range(12):
        CaseFactory(docket_number=f"CRI-2025-{n:06d}")
    said = run("--cases", "10", "--assigned", "4")
    assert said.startswith(
        "Demo program Back on Track (demo): 10 cases, 4 assigned to demo-case-manager, the rest "
        "its intake; case CRI-2025-000009 is sealed."
    )
    totals = {
        name: count_caseload(actor=User.objects.get(username=name))["cases"]
        for name in ("demo-case-manager", "demo-supervisor", "demo-auditor", "demo-analyst")
    }
    # The case manager: 10 in the program minus the sealed one; the supervisor and auditor:
    # all 12 but the sealed one (no purpose stated); the analyst: none.
    assert totals == {
        "demo-case-manager": 9,
        "demo-supervisor": 11,
        "demo-auditor": 11,
        "demo-analyst": 0,
    }
    mine = Case.objects.filter(case_manager__username="demo-case-manager").count()
    assert mine == 4
    actions = AuditEvent.objects.filter(
        action__in=["program.created", "staff.programs_changed", "case.assigned",
                    "case.restriction_set"]
    ).values_list("action", "actor_username")  # fmt: skip
    assert sorted(set(actions)) == [
        ("case.assigned", "demo-supervisor"),
        ("case.restriction_set", "demo-supervisor"),
        ("program.created", "demo-administrator"),
        ("staff.programs_changed", "demo-administrator"),
    ]
    events = AuditEvent.objects.count()
    assert run() == "The demo program Back on Track (demo) already has its cases.\n"
    assert AuditEvent.objects.count() == events


def test_the_demo_caseload_needs_the_demo_accounts() -> None:
    CaseFactory()
    with pytest.raises(CommandError) as refused:
        run()
    assert refused.value.returncode == 2
    assert str(refused.value) == (
        "no active demo account demo-administrator, demo-supervisor, demo-case-manager: run "
        "ontrack create_demo_users"
    )
    assert AuditEvent.objects.filter(action="case.assigned").count() == 0


def test_the_demo_caseload_is_refused_in_production(settings: object) -> None:
    settings.PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="never made in production"):
        run()
