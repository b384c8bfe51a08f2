"""The queues and the one list mechanism: exact parts on hand-built cases, filters, sort,
paging, exports (read back), their access rows, refusals, and query counts."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import fastexcel
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ontrack.audit.models import AccessEvent, AuditEvent
from ontrack.cases.models import Case
from ontrack.cases.tests.factories import CaseFactory, program_with
from ontrack.people.models import Person
from ontrack.people.tests.factories import PersonFactory
from ontrack.queues import selectors
from ontrack.queues.tests.world import build

pytestmark = pytest.mark.django_db


def _dockets(rows: Any) -> list[str]:
    return [c.docket_number for c in rows]


@pytest.fixture
def cases(case_manager: Any, supervisor: Any, catalog: None) -> Any:
    return build(case_manager, supervisor)


def test_each_case_is_in_exactly_its_part(case_manager: Any, supervisor: Any, cases: Any) -> None:
    cm = case_manager
    assert _dockets(selectors.awaiting_screening(actor=cm)) == ["CRI-2026-900000"]
    assert _dockets(selectors.needs_information(actor=cm)) == ["CRI-2026-900001"]
    assert _dockets(selectors.awaiting_decision(actor=cm)) == ["CRI-2026-900002"]
    assert sorted(_dockets(selectors.overrides_in_force(actor=cm))) == [
        "CRI-2026-900003",
        "CRI-2026-900004",
    ]
    assert _dockets(selectors.rescreen_conflicts(actor=cm)) == ["CRI-2026-900004"]
    expected = {
        "cases": 5,
        "awaiting_screening": 1,
        "needs_information": 1,
        "awaiting_decision": 1,
        "overrides_in_force": 2,
        "rescreen_conflicts": 1,
    }
    assert selectors.queue_counts(actor=cm) == expected
    assert selectors.queue_counts(actor=supervisor) == expected
    totals = selectors.program_totals(actor=supervisor)
    assert [(t.program, t.cases, t.awaiting_screening, t.needs_information) for t in totals] == [
        ("Back On Track", 5, 1, 1)
    ]
    assert [(t.awaiting_decision, t.overrides_in_force) for t in totals] == [(1, 2)]


def test_a_colleague_sees_no_part_of_another_caseload(cases: Any, db: None) -> None:
    from conftest import make_user

    other = make_user("case_manager", "cm-other")
    program_with(other)  # same program, which does not share caseloads
    assert selectors.queue_counts(actor=other) == {
        "cases": 0,
        "awaiting_screening": 0,
        "needs_information": 0,
        "awaiting_decision": 0,
        "overrides_in_force": 0,
        "rescreen_conflicts": 0,
    }


def _body(response: Any) -> str:
    return " ".join(response.content.decode().split())


def test_the_needs_information_list_names_the_missing_facts_in_words(
    client: Any, case_manager: Any, cases: Any, new_access: Any
) -> None:
    client.force_login(case_manager)
    response = client.get("/queues/needs-information/")
    assert response.status_code == 200
    body = _body(response)
    assert "Needs information: 1 case" in body
    assert "Legal authorization to work in the United States" in body
    assert "work_authorization" not in body  # never the fact's name
    assert "Baca, Lupe" in body
    assert [(e.action, e.object_id, e.row_count) for e in new_access()] == [
        ("list.viewed", "needs-information", 1)
    ]


def test_lists_filter_sort_and_page(client: Any, case_manager: Any, cases: Any) -> None:
    client.force_login(case_manager)
    listed = client.get("/queues/caseload/", {"sort": "defendant"}).context["list"]
    assert [row[1][0] for row in listed.rows] == [
        "Abara, Lupe",
        "Baca, Lupe",
        "Cota, Lupe",
        "Duran, Lupe",
        "Estrada, Lupe",
    ]
    assert listed.total == 5
    backwards = client.get("/queues/caseload/", {"sort": "-defendant"}).context["list"]
    assert [row[1][0] for row in backwards.rows][:2] == ["Estrada, Lupe", "Duran, Lupe"]
    decided = client.get("/queues/caseload/", {"sort": "decision", "q": "Cota"}).context["list"]
    assert [[text for text, _ in row] for row in decided.rows] == [
        [
            "CRI-2026-900002",
            "Cota, Lupe",
            "Back On Track",
            "case_manager-user",
            "2025-03-04",
            "Open",
            "Eligible",
        ]
    ]
    other = program_with(slug="other-program")
    assert client.get("/queues/caseload/", {"program": other.slug}).context["list"].total == 0


def test_paging_shows_fifty_and_the_total(client: Any, case_manager: Any, db: None) -> None:
    for _ in range(53):
        CaseFactory(case_manager=case_manager)
    client.force_login(case_manager)
    first = client.get("/queues/awaiting-screening/", {"sort": "docket"}).context["list"]
    last = client.get("/queues/awaiting-screening/", {"sort": "docket", "page": "2"}).context[
        "list"
    ]
    assert (first.total, len(first.rows), len(last.rows)) == (53, 50, 3)
    shown = {row[0][0] for row in first.rows} | {row[0][0] for row in last.rows}
    assert len(shown) == 53  # no case on two pages, none left out


def test_a_bad_sort_or_filter_is_named_and_lists_nothing(
    client: Any, case_manager: Any, cases: Any
) -> None:
    client.force_login(case_manager)
    for params, words in (
        ({"sort": "defendant__date_of_birth"}, "Sort by: a list can be sorted by Docket,"),
        ({"program": "nowhere"}, "Program: choose one of the programs listed"),
    ):
        response = client.get("/queues/caseload/", params)
        assert response.status_code == 400
        assert words in _body(response)
        assert "Lupe" not in _body(response)
        export = client.get("/queues/caseload/export.csv", params)
        assert export.status_code == 400
        assert words in export.content.decode()


def test_supervisor_lists_are_refused_to_a_case_manager(
    client: Any, case_manager: Any, cases: Any
) -> None:
    client.force_login(case_manager)
    before = (AuditEvent.objects.count(), AccessEvent.objects.filter(action="list.viewed").count())
    assert client.get("/queues/conflicts/").status_code == 403
    assert client.get("/queues/overrides/export.xlsx").status_code == 403
    assert client.get("/queues/nonsense/").status_code == 404
    after = (AuditEvent.objects.count(), AccessEvent.objects.filter(action="list.viewed").count())
    assert after == before


HOSTILE = '=HYPERLINK("http://x.test","click")'


def test_exports_neutralise_formulas_and_are_audited_with_their_row_count(
    client: Any, supervisor: Any, cases: Any, new_access: Any
) -> None:
    Person.objects.filter(pk=cases.conflict.defendant_id).update(family_name=HOSTILE)
    client.force_login(supervisor)
    response = client.get("/queues/conflicts/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines == [
        [
            "Docket",
            "Defendant",
            "Program",
            "Case manager",
            "Filed",
            "Screened on",
            "Latest screening",
            "Override in force",
            "Screening",
        ],
        [
            "CRI-2026-900004",
            "'" + HOSTILE + ", Lupe",
            "Back On Track",
            "case_manager-user",
            "2025-03-04",
            timezone.localdate().isoformat(),  # screened today, the office's day
            "Eligible",
            "Ineligible",
            "open",
        ],
    ]
    sheet = client.get("/queues/conflicts/export.xlsx")
    assert sheet.status_code == 200
    book = sheet.content
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no cell is a formula
    frame = fastexcel.read_excel(book).load_sheet(0, header_row=None).to_polars()
    assert frame.row(0)[:2] == ("Docket", "Defendant")
    assert frame.row(1)[:2] == ("CRI-2026-900004", "'" + HOSTILE + ", Lupe")
    assert [(e.action, e.object_id, e.row_count, e.details["format"]) for e in new_access()] == [
        ("list.exported", "conflicts", 1, "csv"),
        ("list.exported", "conflicts", 1, "xlsx"),
    ]


def _many(case_manager: Any, n: int) -> None:
    program = program_with(case_manager)
    people = Person.objects.bulk_create(
        [Person(given_name="Ana", family_name=f"Many{i:04d}") for i in range(n)]
    )
    Case.objects.bulk_create(
        [
            Case(
                defendant=p,
                docket_number=f"CRI-MANY-{i:05d}",
                court="SF",
                program=program,
                case_manager=case_manager,
            )
            for i, p in enumerate(people)
        ]
    )


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/queues/caseload/",
        "/queues/caseload/export.csv",
        "/queues/awaiting-screening/export.xlsx",
        "/",
    ],
)
def test_a_constant_number_of_queries_at_10_and_1000_rows(
    client: Any, case_manager: Any, db: None, url: str
) -> None:
    client.force_login(case_manager)
    _many(case_manager, 10)
    small = _queries(client, url)
    _many_more = Person.objects.count()
    assert _many_more == 10
    Case.objects.all().delete()
    Person.objects.all().delete()
    _many(case_manager, 1000)
    assert _queries(client, url) == small


def test_the_queues_exist_only_for_visible_cases(client: Any, cases: Any, db: None) -> None:
    """Never placed in a program: only roles that see every program list it."""
    Case.objects.create(defendant=PersonFactory(), docket_number="CRI-NOWHERE", court="SF")
    from conftest import make_user

    supervisor = make_user("supervisor", "sup-2")
    assert "CRI-NOWHERE" in _dockets(selectors.awaiting_screening(actor=supervisor))
    cm = Case.objects.get(pk=cases.never.pk).case_manager
    assert "CRI-NOWHERE" not in _dockets(selectors.awaiting_screening(actor=cm))
