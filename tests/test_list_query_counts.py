"""Every list page runs a constant number of queries (issue 9, "Speed"): the caseload, the
supervisor's review queue and the audit page, each at 10 and at 1,000 rows.

One row of each is made through the real services (so it is what the product writes); the
other rows are bulk copies of it, because 1,000 service calls per test would take minutes.
The pages must show the larger number too, so that the second count really read 1,000 rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ontrack.accounts.models import User
from ontrack.audit.models import AccessEvent, AuditEvent
from ontrack.cases.models import Case, Charge
from ontrack.cases.tests.factories import CaseFactory, ChargeFactory
from ontrack.eligibility.models import Screening, ScreeningOverride
from ontrack.eligibility.services import override_screening, record_case_fact, screen_case
from ontrack.eligibility.tests.helpers import POLICY, prepared_case
from ontrack.people.models import Person
from ontrack.people.services import create_person

pytestmark = pytest.mark.slow


def queries(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def people(n: int, start: int) -> list[Person]:
    return Person.objects.bulk_create(
        Person(given_name=f"Bulk{start + i}", family_name="Copy") for i in range(n)
    )


def more_cases(template: Case, n: int, start: int) -> None:
    """``n`` copies of a case on the same caseload, each with its own defendant and charge."""
    copies = Case.objects.bulk_create(
        Case(
            defendant=person,
            docket_number=f"CRI-2026-{start + i:06d}",
            court=template.court,
            filing_date=template.filing_date,
            status=template.status,
            program=template.program,
            case_manager=template.case_manager,
        )
        for i, person in enumerate(people(n, start))
    )
    Charge.objects.bulk_create(
        Charge(case=case, count_number=1, statute_code="HS 11350", level="felony")
        for case in copies
    )


def test_the_caseload_runs_the_same_queries_at_10_and_1000_cases(
    client: Any, case_manager: User
) -> None:
    template = CaseFactory(case_manager=case_manager)
    ChargeFactory(case=template, count_number=1)
    client.force_login(case_manager)
    more_cases(template, 9, 0)
    few, body = queries(client, "/cases/")
    assert "<p>10 cases · 10 people</p>" in body
    more_cases(template, 990, 9)
    many, body = queries(client, "/cases/")
    assert "<p>1000 cases · 1000 people</p>" in body
    assert many == few


def _conflicted(case: Case, case_manager: User, supervisor: User) -> None:
    """Overridden to eligible, then re-screened ineligible: on the review queue."""
    first = screen_case(actor=case_manager, case=case, policy=POLICY)
    override_screening(actor=supervisor, screening=first, result="eligible", reason="Permit seen")
    record_case_fact(actor=case_manager, case=case, fact="work_authorization",
                     value="not_authorized", method="I-9 reviewed")  # fmt: skip
    screen_case(actor=case_manager, case=case, policy=POLICY)


def more_conflicts(template: Case, n: int, start: int) -> None:
    """``n`` cases whose screenings and override copy the template's: each on the queue."""
    first, again = template.screenings.order_by("created_at", "pk")
    override = first.overrides.get()
    copies = Case.objects.bulk_create(
        Case(defendant=template.defendant, docket_number=f"CRI-2026-{start + i:06d}",
             court=template.court, filing_date=template.filing_date, status=template.status,
             program=template.program, case_manager=template.case_manager)
        for i in range(n)
    )  # fmt: skip

    def copy(screening: Screening, case: Case) -> Screening:
        fields = {f.attname: getattr(screening, f.attname) for f in Screening._meta.concrete_fields}
        fields.pop("id")
        return Screening(**{**fields, "case_id": case.pk})

    # Older screenings first: the queue takes the latest per case by time, then id.
    firsts = Screening.objects.bulk_create(copy(first, case) for case in copies)
    Screening.objects.bulk_create(copy(again, case) for case in copies)
    ScreeningOverride.objects.bulk_create(
        ScreeningOverride(screening=s, result=override.result, reason=override.reason,
                          actor_id=override.actor_id)
        for s in firsts
    )  # fmt: skip


def test_the_review_queue_runs_the_same_queries_at_10_and_1000_cases(
    client: Any, case_manager: User, supervisor: User
) -> None:
    template = prepared_case("CRI-2025-700001", case_manager=case_manager)
    _conflicted(template, case_manager, supervisor)
    client.force_login(supervisor)
    more_conflicts(template, 9, 0)
    few, body = queries(client, "/eligibility/review/")
    assert "oldest override first: 10" in body
    more_conflicts(template, 990, 9)
    many, body = queries(client, "/eligibility/review/")
    assert "oldest override first: 1000" in body
    assert many == few


def more_audit_rows(template: AuditEvent, access: AccessEvent, n: int, start: int) -> None:
    """``n`` copies of a person's creation and of a read of it, each about another person, a
    second apart, so that every page holds rows of both streams (each stream's rows are one
    query per page)."""
    skip = {"id", "object_id", "occurred_at"}
    audit = {f.attname: getattr(template, f.attname) for f in AuditEvent._meta.concrete_fields}
    read = {f.attname: getattr(access, f.attname) for f in AccessEvent._meta.concrete_fields}
    created = people(n, start)

    def when(i: int) -> dt.datetime:
        return template.occurred_at + dt.timedelta(seconds=start + i + 1)

    AuditEvent.objects.bulk_create(
        AuditEvent(**{k: v for k, v in audit.items() if k not in skip}, object_id=str(p.pk),
                   occurred_at=when(i))
        for i, p in enumerate(created)
    )  # fmt: skip
    AccessEvent.objects.bulk_create(
        AccessEvent(**{k: v for k, v in read.items() if k not in skip}, object_id=str(p.pk),
                    occurred_at=when(i))
        for i, p in enumerate(created)
    )  # fmt: skip


def test_the_audit_page_runs_the_same_queries_at_10_and_1000_rows(
    client: Any, case_manager: User, auditor: User
) -> None:
    from ontrack.audit.access import record_access

    person = create_person(actor=case_manager, given_name="Ana", family_name="Reyes")
    record_access(actor=case_manager, action="person.viewed", outcome="success",
                  object_type="people.person", object_id=str(person.pk))  # fmt: skip
    template = AuditEvent.objects.get(action="person.created")
    access = AccessEvent.objects.get(action="person.viewed")
    client.force_login(auditor)
    url = f"/audit/?actor={case_manager.username}"
    more_audit_rows(template, access, 4, 0)  # 5 + 5 rows
    few, body = queries(client, url)
    assert "10 entries, newest first · page 1 of 1" in body
    more_audit_rows(template, access, 495, 4)  # 500 + 500 rows: 20 pages of 50
    many, body = queries(client, url)
    assert "1000 entries, newest first · page 1 of 20" in body
    assert many == few
