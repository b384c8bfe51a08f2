"""The search page, the header box and the person page's possible duplicates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import make_user

from ontrack.audit.models import AccessEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Any) -> Any:
    client.force_login(make_user("supervisor", "sup"))
    return client


def test_the_page_lists_hits_in_words_with_the_total(signed_in: Any) -> None:
    eric = PersonFactory(given_name="Eric", family_name="García", date_of_birth=dt.date(1991, 3, 7))
    case = CaseFactory(defendant=eric, docket_number="CRI-2025-000123")
    AccessEvent.objects.all().delete()
    response = signed_in.get("/search/", {"q": "eric garsia"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 found, best match first." in html
    assert f'<a href="/people/{eric.pk}/">García, Eric (born 1991-03-07)</a>' in html
    event = AccessEvent.objects.get(action="search")
    assert (event.object_type, event.row_count) == ("search", 1)
    html = signed_in.get("/search/", {"q": "CRI2025000123"}).content.decode()
    assert f'<a href="/cases/{case.pk}/">CRI-2025-000123: García, Eric</a>' in html
    assert "Nothing found for “zzqx”." in signed_in.get("/search/", {"q": "zzqx"}).content.decode()


def test_the_page_pages(signed_in: Any) -> None:
    for _ in range(30):
        PersonFactory(given_name="Kim", family_name="Nguyen")
    first = signed_in.get("/search/", {"q": "nguyen"}).content.decode()
    assert "30 found; showing 1 to 25, page 1 of 2, best match first." in first
    assert 'href="?q=nguyen&amp;page=2">Next page' in first
    second = signed_in.get("/search/", {"q": "nguyen", "page": "2"}).content.decode()
    assert "showing 26 to 30, page 2 of 2" in second
    assert "Previous page" in second
    assert "Next page" not in second


@pytest.mark.parametrize("page", ["0", "-1", "two", ""])
def test_a_bad_page_number_is_refused_by_name(signed_in: Any, page: str) -> None:
    response = signed_in.get("/search/", {"q": "x", "page": page})
    assert response.status_code == 400
    assert "Page: a whole number from 1." in response.content.decode()


def test_the_header_has_a_search_box_for_who_may_view_cases(client: Any) -> None:
    box = 'aria-label="Search people and cases"'
    client.force_login(make_user("case_manager", "cm"))
    assert box in client.get("/cases/").content.decode()
    client.force_login(make_user("analyst", "an"))
    assert box not in client.get("/offenses/").content.decode()
    assert client.get("/search/", {"q": "x"}).status_code == 403


def test_the_person_page_shows_possible_duplicates_with_reasons(signed_in: Any) -> None:
    born = dt.date(1991, 3, 7)
    eric = PersonFactory(given_name="Eric", family_name="Garcia", date_of_birth=born)
    erik = PersonFactory(given_name="Erik", family_name="Garcia", date_of_birth=born)
    html = signed_in.get(f"/people/{eric.pk}/").content.decode()
    assert "Possible duplicates" in html
    assert (
        f'<a href="/people/{erik.pk}/">Erik Garcia</a>, born 1991-03-07: same family name, '
        "similar given name, same date of birth" in html
    )
    alone = PersonFactory(given_name="Zed", family_name="Quill", date_of_birth=born)
    assert "None found" in signed_in.get(f"/people/{alone.pk}/").content.decode()
