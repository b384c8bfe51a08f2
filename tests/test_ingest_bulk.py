"""Rows written straight from frames read back exactly as the ORM would have stored them;
reserved ids follow the highest ever used, never reusing a deleted one."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ontrack.cases.models import Charge
from ontrack.cases.tests.factories import CaseFactory
from ontrack.ingest.bulk import insert_frame, reserve_ids
from ontrack.people.models import Person
from ontrack.people.tests.factories import PersonFactory


def test_frame_rows_are_stored_as_the_orm_stores_them(db: None) -> None:
    frame = pl.DataFrame(
        {
            "given_name": ["Ana", None],
            "family_name": ["Reyes", "Lee"],
            "date_of_birth": [dt.date(1990, 2, 28), None],
            "sex": ["female", None],
        }
    )
    ids = insert_frame(Person, frame)
    assert ids is not None
    rows = list(
        Person.objects.filter(pk__in=ids.to_list())
        .order_by("pk")
        .values("given_name", "family_name", "date_of_birth", "sex", "row_version", "city")
    )
    assert rows == [
        {"given_name": "Ana", "family_name": "Reyes", "date_of_birth": dt.date(1990, 2, 28),
         "sex": "female", "row_version": 1, "city": ""},
        {"given_name": "", "family_name": "Lee", "date_of_birth": None, "sex": "",
         "row_version": 1, "city": ""},
    ]  # fmt: skip
    stamped = Person.objects.filter(pk__in=ids.to_list()).values_list("created_at", flat=True)
    assert all(isinstance(value, dt.datetime) and value.tzinfo for value in stamped)


def test_booleans_keep_unknown(db: None) -> None:
    case = CaseFactory()
    frame = pl.DataFrame(
        {"case_id": [case.pk] * 3, "count_number": [1, 2, 3],
         "weapon_alleged": [True, False, None]},
        schema_overrides={"weapon_alleged": pl.Boolean},
    )  # fmt: skip
    assert insert_frame(Charge, frame, with_ids=False) is None
    assert list(case.charges.order_by("count_number").values_list("weapon_alleged", flat=True)) == [
        True,
        False,
        None,
    ]


def test_reserved_ids_follow_the_highest_ever_used(db: None) -> None:
    first, second = PersonFactory(), PersonFactory()
    assert second.pk == first.pk + 1
    second.delete()
    assert reserve_ids(Person, 2).to_list() == [first.pk + 2, first.pk + 3]
