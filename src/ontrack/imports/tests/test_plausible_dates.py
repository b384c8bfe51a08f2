"""Dates that cannot be true refuse the whole file at import, naming row, column and value;
nothing is written (records and audit alike)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ontrack.imports.services import import_caseload
from ontrack.imports.tests.test_hostile_input import csv_bytes, row, write
from ontrack.ingest.problems import ImportRejected
from ontrack.people.models import Person

FUTURE = "2099-01-01"  # after any day these tests run, and inside the 1900-2100 range


def refused(path: Path, actor: Any, new_events: Any, profile: str = "ontrack") -> list[Any]:
    with pytest.raises(ImportRejected) as error:
        import_caseload(actor=actor, path=path, profile_name=profile)
    assert Person.objects.count() == 0
    assert not new_events().exists()
    return [(p.row, p.column, p.value, p.reason) for p in error.value.problems]


def test_dates_after_today_are_refused(tmp_path: Path, supervisor: Any, new_events: Any) -> None:
    rows = [
        row(offense_date=FUTURE),
        row(person_id="2", docket_number="CRI-2", filing_date=FUTURE),
        row(person_id="3", docket_number="CRI-3", date_of_birth=FUTURE),
    ]
    path = write(tmp_path, "future.csv", csv_bytes(rows))
    assert refused(path, supervisor, new_events) == [
        (1, "offense_date", FUTURE, "offense date after today"),
        (2, "filing_date", FUTURE, "filing date after today"),
        (3, "date_of_birth", FUTURE, "birth date after today"),
    ]


def test_ages_under_10_or_over_110_on_the_offense_date_are_refused(
    tmp_path: Path, supervisor: Any, new_events: Any
) -> None:
    rows = [
        # 9 years and 364 days old: one day short of 10.
        row(date_of_birth="2010-05-02", offense_date="2020-05-01"),
        # 111 on the offense date.
        row(person_id="2", docket_number="CRI-2", date_of_birth="1900-01-01",
            offense_date="2011-01-01"),
        # Exactly 10 and exactly 110 are possible ages: not refused.
        row(person_id="3", docket_number="CRI-3", date_of_birth="2010-05-01",
            offense_date="2020-05-01"),
        row(person_id="4", docket_number="CRI-4", date_of_birth="1901-01-01",
            offense_date="2011-12-31"),
    ]  # fmt: skip
    path = write(tmp_path, "ages.csv", csv_bytes(rows))
    assert refused(path, supervisor, new_events) == [
        (1, "date_of_birth", "2010-05-02", "under 10 on the offense date (offense_date)"),
        (2, "date_of_birth", "1900-01-01", "over 110 on the offense date (offense_date)"),
    ]


SITE_PROFILE = """\
kind: caseload
name: county-ages
feed: county-ages
columns:
  id: {type: text, required: true}
  age: {type: integer, required: true}
  seen: {type: date, required: true}
  case: {type: text, required: true}
  offense: {type: date}
records:
  person:
    key: {id_type: {const: source_record}, issuer: {const: county}, value: id}
    fields:
      birth_date_earliest: {derive: birth_date_earliest_from_age, age: age, date: seen}
      birth_date_latest: {derive: birth_date_latest_from_age, age: age, date: seen}
  cases:
    - fields: {docket_number: case, court: {const: County Court}}
      charges:
        - fields: {count_number: {const: 1}, offense_date: offense}
"""


def test_with_only_a_birth_date_range_every_possible_age_must_be_out_of_range(
    tmp_path: Path, supervisor: Any, new_events: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The profile comes from a site directory, as a county would add one.
    (tmp_path / "site" / "profiles").mkdir(parents=True)
    (tmp_path / "site" / "profiles" / "county-ages.yaml").write_text(SITE_PROFILE)
    monkeypatch.setenv("ONTRACK_SITE_DIR", str(tmp_path / "site"))
    header = ["id", "age", "seen", "case", "offense"]
    rows = [
        # 9 on 2013-01-01: born 2003-01-02 .. 2004-01-01, so 8 or 9 on the offense date.
        ["1", "9", "2013-01-01", "C-1", "2013-01-01"],
        # 10 on 2013-01-01: born 2002-01-02 .. 2003-01-01, so 9 or 10 on 2012-06-01; one of
        # the possible ages is plausible, so the row stands.
        ["2", "10", "2013-01-01", "C-2", "2012-06-01"],
        # 111 on 2013-01-01: born 1901-01-02 .. 1902-01-01, 111 at the youngest on the day.
        ["3", "111", "2013-01-01", "C-3", "2013-01-01"],
    ]
    path = write(tmp_path, "ages.csv", csv_bytes(rows, header=header))
    assert refused(path, supervisor, new_events, profile="county-ages") == [
        (1, "age", "9", "under 10 on the offense date (offense)"),
        (3, "age", "111", "over 110 on the offense date (offense)"),
    ]
