"""``ontrack demo_program``: the demo's participants, played as the demo accounts."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.models import Enrollment

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("demo_program", *args, stdout=out)
    return out.getvalue()


def test_the_demo_program_gets_participants_once() -> None:
    call_command("create_demo_users", stdout=io.StringIO())
    for n in range(8):
        CaseFactory(docket_number=f"CRI-2025-{n:06d}")
    call_command("demo_caseload", "--cases", "8", "--assigned", "6", stdout=io.StringIO())
    said = _run("--participants", "5")
    assert said.startswith(
        "Demo program: 5 participants (2 active, 1 graduated, 1 terminated, 1 trial period); "
    )
    assert Enrollment.objects.count() == 5
    assert set(AuditEvent.objects.filter(action="enrollment.moved")
               .values_list("actor_username", flat=True)) == {"demo-case-manager"}  # fmt: skip
    events = AuditEvent.objects.count()
    assert _run() == "The demo program already has its participants.\n"
    assert AuditEvent.objects.count() == events


def test_the_demo_program_needs_the_demo_accounts() -> None:
    with pytest.raises(CommandError) as refused:
        _run()
    assert str(refused.value) == (
        "no active demo account demo-administrator, demo-supervisor, demo-case-manager: run "
        "ontrack create_demo_users"
    )
