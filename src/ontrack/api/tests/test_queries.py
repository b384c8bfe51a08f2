"""Every API list runs a constant number of queries (issue 9, speed): measured at 10 and
1,000 rows, a full page each time."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ontrack.api.tests.helpers import Api, token_for
from ontrack.cases.models import Case, Charge, PriorCountSummary, PriorRecord
from ontrack.people.models import Person, PersonAlias, PersonIdentifier

pytestmark = pytest.mark.django_db


def _rows(n: int, start: int) -> None:
    people = Person.objects.bulk_create(
        Person(given_name=f"Given{i}", family_name=f"Family{i}") for i in range(start, start + n)
    )
    PersonIdentifier.objects.bulk_create(
        PersonIdentifier(person=p, id_type="local_id", issuer="SFSO", value=f"L{p.pk}")
        for p in people
    )
    PersonAlias.objects.bulk_create(PersonAlias(person=p, family_name="Alias") for p in people)
    cases = Case.objects.bulk_create(
        Case(defendant=p, docket_number=f"CRI-{p.pk:07d}", court="SF") for p in people
    )
    Charge.objects.bulk_create(
        Charge(case=c, count_number=1, statute_code="HS 11351", level="felony") for c in cases
    )


def _queries(api: Api, path: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path, **params)
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(response.json()["count"], 25)
    return len(queries)


# What each list costs, counted by hand: the token (1), the lockout check (1), the token's
# last use (1, at most once a minute: a new token here), the user's permissions (2: own and
# through groups), the access row (3: savepoint, insert, release), and the list's own: a
# count, a page and one per prefetched relation (people: identifiers and aliases; cases:
# charges); search: the selector's people and cases.
AUTH_AND_ACCESS = 1 + 1 + 1 + 2 + 3
EXPECTED = {
    "people": AUTH_AND_ACCESS + 4,
    "cases": AUTH_AND_ACCESS + 3,
    "search": AUTH_AND_ACCESS + 2,
}


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_a_list_costs_the_same_at_10_and_1000_rows(supervisor: Any, path: str) -> None:
    params = {"q": "Family1"} if path == "search" else {}
    _rows(10, 0)
    small = _queries(Api(token_for(supervisor)), path, **params)
    _rows(990, 10)
    large = _queries(Api(token_for(supervisor)), path, **params)
    assert (small, large) == (EXPECTED[path], EXPECTED[path])


def _history(person: Person, n: int, start: int) -> None:
    PriorRecord.objects.bulk_create(
        PriorRecord(person=person, record_type="arrest", jurisdiction="SF", source=f"s{i}")
        for i in range(start, start + n)
    )
    PriorCountSummary.objects.bulk_create(
        PriorCountSummary(person=person, source=f"s{i}", total=1) for i in range(start, start + n)
    )


# One person's history: the person with identifiers and aliases (3, ``get_person``), then
# the rows (1), paged in Python (no count query).
HISTORY = {"prior-records": AUTH_AND_ACCESS + 4, "history-checks": AUTH_AND_ACCESS + 4}


@pytest.mark.parametrize("kind", sorted(HISTORY))
def test_a_persons_history_costs_the_same_at_10_and_1000_rows(supervisor: Any, kind: str) -> None:
    person = Person.objects.create(given_name="Ana", family_name="Ruiz")
    _history(person, 10, 0)
    small = _queries(Api(token_for(supervisor)), f"people/{person.pk}/{kind}")
    _history(person, 990, 10)
    large = _queries(Api(token_for(supervisor)), f"people/{person.pk}/{kind}")
    assert (small, large) == (HISTORY[kind], HISTORY[kind])
