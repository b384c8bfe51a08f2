"""Acceptance on real data nobody here wrote: the Broward County two-year cohort."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from ontrack.cases.models import Case, Charge, PriorCountSummary
from ontrack.imports.services import import_caseload
from ontrack.ingest.models import ImportBatch
from ontrack.ingest.problems import ImportRejected
from ontrack.people.models import Person, PersonIdentifier

TABLES = [
    "people_person", "people_personidentifier", "cases_case", "cases_charge",
    "cases_priorcountsummary", "ingest_importbatch", "audit_auditevent",
]  # fmt: skip


def fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every row, per table: 'untouched' means equal to this."""
    result = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 - fixed names
            rows = cursor.fetchall()
            result[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return result


@pytest.fixture
def broward(broward_csv: Path) -> Path:
    return broward_csv


def test_imports_every_person_with_charge_priors_and_recidivism(
    broward: Path, supervisor: Any
) -> None:
    result = import_caseload(actor=supervisor, path=broward, profile_name="broward-compas")
    assert result.status == "applied"
    assert result.rows == 7214
    assert result.counts["person"] == {"created": 7214, "updated": 0, "unchanged": 0}
    assert result.counts["case"] == {"created": 7214 + 3471, "updated": 0, "unchanged": 0}
    assert result.counts["charge"] == {"created": 7214 + 3471, "updated": 0, "unchanged": 0}
    assert result.counts["prior_counts"] == {"created": 7214, "updated": 0, "unchanged": 0}
    assert Person.objects.count() == 7214
    assert (
        PersonIdentifier.objects.filter(id_type="source_record", issuer="broward-compas").count()
        == 7214
    )
    assert Case.objects.filter(source_key__endswith=":recidivism").count() == 3471
    assert PriorCountSummary.objects.count() == 7214

    # Row 2 of the file (id 3): screened 2013-01-27 aged 34, rearrested 2013-07-05.
    person = PersonIdentifier.objects.get(issuer="broward-compas", value="3").person
    assert (person.sex, person.race, person.given_name, person.date_of_birth) == (
        "male",
        "black",
        "",
        None,
    )
    assert (person.birth_date_earliest, person.birth_date_latest) == (
        dt.date(1978, 1, 28),
        dt.date(1979, 1, 27),
    )
    screening = Case.objects.get(source_key="broward-compas:3:screening")
    assert (screening.external_case_number, screening.docket_number, screening.status) == (
        "13001275CF10A",
        None,
        "",
    )
    charge = screening.charges.get()
    assert (charge.description, charge.level, charge.degree, charge.offense_date) == (
        "Felony Battery w/Prior Convict",
        "felony",
        "F",
        dt.date(2013, 1, 26),
    )
    assert charge.weapon_alleged is None  # not in the source: unknown, not "no"
    recid = Case.objects.get(source_key="broward-compas:3:recidivism").charges.get()
    assert (recid.description, recid.level, recid.degree, recid.offense_date) == (
        "Felony Battery (Dom Strang)",
        "felony",
        "F3",
        dt.date(2013, 7, 5),
    )
    counts = PriorCountSummary.objects.get(person=person)
    assert (counts.total, counts.juvenile_felonies, counts.as_of) == (0, 0, dt.date(2013, 1, 27))
    # Ordinance violations ("(MO3)", "(CO3)") keep an unknown level rather than a guess.
    assert Charge.objects.filter(degree__in=["MO3", "CO3"]).exclude(level="").count() == 0
    assert Charge.objects.filter(degree__in=["MO3", "CO3"]).count() == 41


def test_second_import_changes_nothing(broward: Path, supervisor: Any, tmp_path: Path) -> None:
    first = import_caseload(actor=supervisor, path=broward, profile_name="broward-compas")
    before = fingerprint()
    again = import_caseload(actor=supervisor, path=broward, profile_name="broward-compas")
    assert again.status == "already_imported"
    assert again.previous == first.batch
    # The same content with other bytes (other line endings) is compared record by record.
    raw = broward.read_bytes()
    other = raw.replace(b"\r\n", b"\n")
    if other == raw:
        other = raw.replace(b"\n", b"\r\n")
    crlf = tmp_path / "broward-other-line-endings.csv"
    crlf.write_bytes(other)
    same = import_caseload(actor=supervisor, path=crlf, profile_name="broward-compas")
    assert same.status == "unchanged"
    assert same.counts["person"] == {"created": 0, "updated": 0, "unchanged": 7214}
    assert same.counts["charge"] == {"created": 0, "updated": 0, "unchanged": 10685}
    assert fingerprint() == before
    assert ImportBatch.objects.count() == 1


def test_one_bad_date_in_row_5000_rejects_the_file(
    broward: Path, supervisor: Any, tmp_path: Path
) -> None:
    lines = broward.read_text().splitlines(keepends=True)
    cells = lines[5000].split(",")  # lines[0] is the header, so this is data row 5000
    cells[1] = "2013-02-30"
    lines[5000] = ",".join(cells)
    corrupted = tmp_path / "corrupted.csv"
    corrupted.write_text("".join(lines))
    before = fingerprint()
    with pytest.raises(ImportRejected) as rejected:
        import_caseload(actor=supervisor, path=corrupted, profile_name="broward-compas")
    assert [(p.row, p.column, p.value) for p in rejected.value.problems] == [
        (5000, "compas_screening_date", "2013-02-30")
    ]
    assert "row 5000, column 'compas_screening_date', value '2013-02-30'" in rejected.value.report()
    assert fingerprint() == before


def test_imports_page_lists_the_batch(
    broward: Path, supervisor: Any, client: Any, case_manager: Any
) -> None:
    import_caseload(actor=supervisor, path=broward, profile_name="broward-compas")
    client.force_login(supervisor)
    body = client.get("/imports/").content.decode()
    assert "two-year-cohort.csv" in body
    assert "person: 7214 / 0 / 0" in body
    client.force_login(case_manager)
    assert client.get("/imports/").status_code == 403
