"""The enrollments' panels: the participant's Status (a form per allowed move, refusals
shown and nothing saved) and the program's census, places and waitlist (constant queries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.models import Enrollment
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.enrollments.tests.helpers import everything
from ontrack.people.models import Person
from ontrack.programs.models import Program

pytestmark = pytest.mark.django_db


def test_the_status_panel_offers_the_allowed_moves(client: Any, case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager),
                                   state=State.TRIAL_PERIOD)  # fmt: skip
    client.force_login(case_manager)
    body = client.get(f"/participants/{enrollment.pk}/").content.decode()
    values = [v for v in State.values if f'name="to_state" value="{v}"' in body]
    assert values == ["plea_entered", "terminated", "withdrawn", "absconded"]
    assert "Immigration consequences" in body
    assert "PC 1016.5" in body


def test_a_move_from_the_page(client: Any, case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    client.force_login(case_manager)
    body = {"to_state": "absconded", "on": "2025-07-01", "reason": "Missed three hearings"}
    response = client.post(f"/enrollments/{enrollment.pk}/moves/", body)
    assert (response.status_code, response["Location"]) == (302, f"/participants/{enrollment.pk}/")
    assert Enrollment.objects.get(pk=enrollment.pk).state == "absconded"


def test_a_refused_plea_shows_what_is_missing_and_saves_nothing(
    client: Any, case_manager: Any
) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager),
                                   state=State.TRIAL_PERIOD)  # fmt: skip
    client.force_login(case_manager)
    before = everything()
    response = client.post(f"/enrollments/{enrollment.pk}/moves/", {
        "to_state": "plea_entered", "on": "2025-07-01", "court": "Dept. 12", "judge": "Ortiz",
        "defense_attorney": "PD Lee", "advisement_immigration_consequences": "Ortiz"})  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert "the plea needs these advisements first: Waiver of the privilege against" in body
    assert "Nothing was saved." in body
    assert everything() == before


def _waitlisted(program: Program, n: int, start: int) -> None:
    people = Person.objects.bulk_create(
        Person(given_name=f"Wait{start + i}", family_name="Listed") for i in range(n)
    )
    cases = Case.objects.bulk_create(
        Case(defendant=p, docket_number=f"CRI-2026-{start + i:06d}", court="SF", program=program)
        for i, p in enumerate(people)
    )  # fmt: skip
    since = timezone.make_aware(dt.datetime(2025, 6, 2, 9, 0))
    Enrollment.objects.bulk_create(
        Enrollment(case=c, program=program, state=State.WAITLISTED, state_since=since)
        for c in cases
    )


def _queries(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.slow
def test_the_program_panel_runs_the_same_queries_at_10_and_1000(
    client: Any, supervisor: Any
) -> None:
    program = Program.objects.create(slug="bot-wait", name="BOT Wait", capacity=3)
    client.force_login(supervisor)
    _waitlisted(program, 10, 0)
    few, body = _queries(client, f"/participants/programs/{program.pk}/")
    assert "<td>On the waitlist</td><td>—</td><td>10</td>" in body
    assert "Wait9 Listed" in body
    _waitlisted(program, 990, 10)
    many, body = _queries(client, f"/participants/programs/{program.pk}/")
    assert "<td>On the waitlist</td><td>—</td><td>1000</td>" in body
    assert "Wait999 Listed" in body
    assert many == few
