"""The caseload and case pages: what they show, who may see them, and constant query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ontrack.cases.tests.factories import (
    ArrestFactory,
    CaseFactory,
    ChargeFactory,
    PriorRecordFactory,
)
from ontrack.people.tests.factories import (
    PersonAliasFactory,
    PersonFactory,
    PersonIdentifierFactory,
)


def make_cases(n: int, case_manager: Any) -> None:
    for i in range(n):
        case = CaseFactory(case_manager=case_manager, docket_number=f"CRI-2025-{i:06d}")
        ChargeFactory(case=case, count_number=1)
        ChargeFactory(case=case, count_number=2, statute_code="PC 148(a)(1)", level="misdemeanor")
        PriorRecordFactory(person=case.defendant)


def query_count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# The search matches every docket made here, so both requests fetch rows: an empty result
# skips the charge prefetch and would make the comparison depend on random names.
@pytest.mark.parametrize("url", ["/cases/", "/cases/?q=CRI-202", "/offenses/"])
def test_list_pages_run_a_constant_number_of_queries(
    client: Any, case_manager: Any, catalog: None, url: str
) -> None:
    client.force_login(case_manager)
    make_cases(2, case_manager)
    few = query_count(client, url)
    for i in range(20):
        case = CaseFactory(case_manager=case_manager, docket_number=f"CRI-2026-{i:06d}")
        ChargeFactory(case=case, count_number=1)
    assert query_count(client, url) == few


def test_case_page_runs_a_constant_number_of_queries(
    client: Any, case_manager: Any, catalog: None
) -> None:
    client.force_login(case_manager)
    small = CaseFactory(case_manager=case_manager)
    ChargeFactory(case=small, count_number=1)
    big = CaseFactory(case_manager=case_manager)
    for n in range(1, 6):
        ChargeFactory(case=big, count_number=n)
    for _ in range(5):
        PriorRecordFactory(person=big.defendant)
        PersonIdentifierFactory(person=big.defendant)
        PersonAliasFactory(person=big.defendant)
    assert query_count(client, f"/cases/{small.pk}/") == query_count(client, f"/cases/{big.pk}/")


def test_search_finds_by_name_alias_identifier_and_docket(client: Any, case_manager: Any) -> None:
    client.force_login(case_manager)
    person = PersonFactory(given_name="Marisol", family_name="Quintero")
    PersonAliasFactory(person=person, given_name="Mari", family_name="Q-Alias")
    PersonIdentifierFactory(person=person, value="A77777777")
    case = CaseFactory(case_manager=case_manager, defendant=person, docket_number="CRI-2024-424242")
    CaseFactory(case_manager=case_manager, docket_number="CRI-2024-000001")
    for q in ["quintero", "MARISOL quin", "q-alias", "A77777777", "424242"]:
        response = client.get("/cases/", {"q": q})
        assert [c.pk for c in response.context["cases"]] == [case.pk], q
    assert list(client.get("/cases/", {"q": "nobody-by-this-name"}).context["cases"]) == []


def test_htmx_search_returns_only_the_results_table(client: Any, case_manager: Any) -> None:
    client.force_login(case_manager)
    CaseFactory(case_manager=case_manager, docket_number="CRI-2024-000007")
    response = client.get("/cases/", {"q": "000007"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith("<table>")
    assert "CRI-2024-000007" in body
    assert "<html" not in body


def test_case_page_shows_charges_categories_and_unknowns(
    client: Any, case_manager: Any, catalog: None
) -> None:
    client.force_login(case_manager)
    person = PersonFactory(given_name="Dario", family_name="Mendes", date_of_birth=None)
    case = CaseFactory(case_manager=case_manager, defendant=person, docket_number="CRI-2025-111111")
    ChargeFactory(case=case, count_number=1, statute_code="HS 11351", weapon_alleged=None)
    ChargeFactory(case=case, count_number=2, statute_code="PC 211", description="Robbery")
    ChargeFactory(case=case, count_number=3, statute_code="XX 1", description="Out-of-state charge")
    ArrestFactory(case=case, booking_number="25123456", arrest_date=dt.date(2025, 3, 1))
    PriorRecordFactory(person=person, event_date=None, statute_code="PC 484")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Dario Mendes" in body
    assert "date of birth not known" in body
    assert "weapon: not recorded" in body
    assert "PC 667.5(c)(9)" in body  # robbery is violent, with its legal basis
    assert "not in the catalog" in body  # the unknown code is shown as unknown, not blank
    assert "SFPD booking 25123456" in body


def test_missing_and_forbidden_cases_look_the_same(
    client: Any, case_manager: Any, analyst: Any
) -> None:
    case = CaseFactory()
    client.force_login(case_manager)
    assert client.get(f"/cases/{case.pk + 999}/").status_code == 404
    assert client.get(f"/people/{case.defendant_id + 999}/").status_code == 404
    client.force_login(analyst)
    # The analyst lacks the page permission itself: refused before any lookup, for any id.
    assert (
        client.get(f"/cases/{case.pk}/").status_code
        == client.get(f"/cases/{case.pk + 999}/").status_code
        == 403
    )


def test_person_page(client: Any, auditor: Any) -> None:
    client.force_login(auditor)
    case = CaseFactory(docket_number="CRI-2025-222222")
    PriorRecordFactory(person=case.defendant, description="Petty theft")
    body = client.get(f"/people/{case.defendant_id}/").content.decode()
    assert "CRI-2025-222222" in body
    assert "Petty theft" in body


def test_free_text_charges_show_the_classifier_and_its_rules(
    client: Any, case_manager: Any, catalog: None
) -> None:
    client.force_login(case_manager)
    case = CaseFactory(
        case_manager=case_manager,
        docket_number=None,
        source_key="feed:1",
        external_case_number="13001275CF10A",
    )
    ChargeFactory(
        case=case, count_number=1, statute_code="", description="Poss Cocaine/Intent To Del/Sel"
    )
    ChargeFactory(case=case, count_number=2, statute_code="", description="arrest case no charge")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "(no case number: feed:1)" in body
    assert "source case number 13001275CF10A" in body
    assert "Drug possession for sale<br><small>from the description (rules: " in body
    assert "description not classified" in body


def test_case_page_shows_codes_in_words_with_their_paragraphs(
    client: Any, case_manager: Any, catalog: None
) -> None:
    client.force_login(case_manager)
    case = CaseFactory(case_manager=case_manager, docket_number="CRI-2025-333333")
    ChargeFactory(case=case, count_number=1, statute_code="PC 664/187(a)", description="")
    ChargeFactory(case=case, count_number=2, statute_code="PC 459", description="")
    ChargeFactory(case=case, count_number=3, statute_code="PC 148(a)(1)", description="")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "attempt — PC 187(a) murder" in body
    assert "Violent felony (PC 667.5(c)) <small>(PC 667.5(c)(12))</small>" in body
    assert "Serious felony (PC 1192.7(c)) <small>(PC 1192.7(c)(39))</small>" in body
    # Burglary without a degree: serious is possible, and the page says why.
    assert (
        "Serious felony (PC 1192.7(c)) <small>(PC 1192.7(c)(18); possible: only burglary of"
        " the first degree" in body
    )
    assert "none of the catalog's categories" in body  # PC 148(a)(1): a definite no
