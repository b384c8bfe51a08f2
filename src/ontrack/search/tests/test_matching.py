"""Possible matches (referral intake) and possible duplicates (the person page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import make_user

from ontrack.people.tests.factories import PersonFactory
from ontrack.search.matching import birth_closeness
from ontrack.search.selectors import possible_duplicates, possible_matches

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def supervisor() -> Any:
    return make_user("supervisor", "sup")


@pytest.fixture
def eric() -> Any:
    return PersonFactory(given_name="Eric", family_name="García", date_of_birth=D(1991, 3, 7))


CASES = [
    # (given, family, birth date, reasons in words)
    (
        "Eric",
        "Garcia",
        D(1991, 3, 7),
        ["same family name", "same given name", "same date of birth"],
    ),
    (
        "eric",
        "garsia",
        D(1991, 3, 7),
        ["similar family name", "same given name", "same date of birth"],
    ),
    (
        "Garcia",
        "Eric",
        D(1991, 3, 7),
        [
            "same family name",
            "same given name",
            "given and family names swapped",
            "same date of birth",
        ],
    ),
    (
        "Eric",
        "Garcia",
        D(1991, 3, 8),
        ["same family name", "same given name", "date of birth one digit different"],
    ),
    (
        "Eric",
        "Garcia",
        D(1991, 7, 3),
        ["same family name", "same given name", "date of birth with day and month swapped"],
    ),
    (
        "Eric",
        "Garcia",
        D(1919, 3, 7),
        ["same family name", "same given name", "date of birth with two digits transposed"],
    ),
    ("Eric", "Garcia", None, ["same family name", "same given name", "date of birth not known"]),
    (
        "Eric",
        "Lopez-Garcia",
        D(1991, 3, 7),
        ["similar family name", "same given name", "same date of birth"],
    ),
]


@pytest.mark.parametrize(("given", "family", "born", "reasons"), CASES)
def test_the_person_is_offered_with_reasons_in_words(
    supervisor: Any, eric: Any, given: str, family: str, born: dt.date | None, reasons: list[str]
) -> None:
    found = possible_matches(
        actor=supervisor, given_name=given, family_name=family, date_of_birth=born
    )
    assert [(m.person.pk, m.reasons) for m in found] == [(eric.pk, reasons)]


def test_the_same_birth_date_ranks_above_a_near_one(supervisor: Any, eric: Any) -> None:
    near = PersonFactory(given_name="Eric", family_name="Garcia", date_of_birth=D(1991, 3, 8))
    other = PersonFactory(given_name="Eric", family_name="Garcia", date_of_birth=D(1970, 1, 1))
    found = possible_matches(
        actor=supervisor, given_name="Eric", family_name="Garcia", date_of_birth=D(1991, 3, 7)
    )
    # 0.6 x names (1.0) + 0.4 x birth: same 1.0, near 0.7, different 0.
    assert [(m.person.pk, m.score) for m in found] == [
        (eric.pk, 1.0),
        (near.pk, 0.88),
        (other.pk, 0.6),
    ]


def test_a_stranger_with_the_same_birthday_is_not_offered(supervisor: Any, eric: Any) -> None:
    PersonFactory(given_name="Zoe", family_name="Abernathy", date_of_birth=D(1991, 3, 7))
    found = possible_matches(
        actor=supervisor, given_name="Eric", family_name="Garcia", date_of_birth=D(1991, 3, 7)
    )
    assert [m.person.pk for m in found] == [eric.pk]


def test_possible_duplicates_need_the_same_birth_date_and_a_similar_name(
    supervisor: Any, eric: Any
) -> None:
    twin = PersonFactory(given_name="Erik", family_name="Garcia", date_of_birth=D(1991, 3, 7))
    PersonFactory(given_name="Eric", family_name="Garcia", date_of_birth=D(1991, 3, 8))
    PersonFactory(given_name="Eric", family_name="Gomez", date_of_birth=D(1991, 3, 7))
    found = possible_duplicates(actor=supervisor, person=eric)
    assert [(m.person.pk, m.reasons) for m in found] == [
        (twin.pk, ["same family name", "similar given name", "same date of birth"])
    ]
    assert [m.person.pk for m in possible_duplicates(actor=supervisor, person=twin)] == [eric.pk]
    unknown = PersonFactory(given_name="Eric", family_name="Garcia", date_of_birth=None)
    assert possible_duplicates(actor=supervisor, person=unknown) == []


@pytest.mark.parametrize(
    ("asked", "stored", "closeness"),
    [
        (D(1991, 3, 7), D(1991, 3, 7), "same"),
        (D(1991, 3, 7), D(1991, 7, 3), "near"),
        (D(1991, 3, 7), D(1991, 3, 9), "near"),
        (D(1991, 3, 7), D(1919, 3, 7), "near"),
        (D(1991, 3, 7), D(1992, 4, 7), "different"),
        (None, D(1991, 3, 7), "unknown"),
    ],
)
def test_birth_closeness(asked: dt.date | None, stored: dt.date, closeness: str) -> None:
    assert birth_closeness(asked, stored)[0] == closeness
