"""Records carry the import batch that created them; a replaced prior record is audited
with what it said and what replaced it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ontrack.cases.models import Arrest, Case, Charge, PriorCountSummary, PriorRecord
from ontrack.imports.services import import_caseload
from ontrack.imports.tests.test_hostile_input import csv_bytes, row, write
from ontrack.people.models import Person, PersonIdentifier
from ontrack.people.tests.factories import PersonFactory


def prior(statute: str) -> list[str]:
    return row(
        record_type="prior", prior_record_type="conviction", prior_event_date="2010-03-04",
        prior_level="felony", prior_statute_code=statute, prior_jurisdiction="CA",
        prior_source="CA DOJ", docket_number="", count_number="", statute_code="",
        charge_level="",
    )  # fmt: skip


def test_created_records_carry_their_batch(tmp_path: Path, supervisor: Any) -> None:
    staff_entered = PersonFactory()
    rows = [
        row(booking_number="B-1", arrest_agency="SFPD", arrest_date="2024-01-02",
            history_source="CA DOJ", history_total="1"),
        prior("PC 459"),
    ]  # fmt: skip
    result = import_caseload(
        actor=supervisor, path=write(tmp_path, "a.csv", csv_bytes(rows)), profile_name="ontrack"
    )
    batch = result.batch
    assert batch is not None
    for model in (Person, PersonIdentifier, Case, Charge, Arrest, PriorRecord, PriorCountSummary):
        assert list(model._default_manager.values_list("import_batch", flat=True).distinct()) in (
            [batch.pk],
            [None, batch.pk],
        ), model
    assert Person.objects.get(pk=staff_entered.pk).import_batch_id is None
    assert Person.objects.filter(import_batch=batch).count() == 1
    assert PersonIdentifier.objects.filter(import_batch=batch).count() == 1  # source record
    assert Charge.objects.get().import_batch_id == batch.pk


def test_replaced_prior_records_are_audited(
    tmp_path: Path, supervisor: Any, new_events: Any
) -> None:
    first = write(tmp_path, "first.csv", csv_bytes([row(), prior("PC 459")]))
    import_caseload(actor=supervisor, path=first, profile_name="ontrack")
    person = Person.objects.get()
    second = write(tmp_path, "second.csv", csv_bytes([row(), prior("PC 211")]))
    result = import_caseload(actor=supervisor, path=second, profile_name="ontrack")
    assert result.batch is not None
    assert list(PriorRecord.objects.values_list("statute_code", "import_batch")) == [
        ("PC 211", result.batch.pk)
    ]
    events = new_events().filter(action="prior_records.replaced_by_import")
    assert events.count() == 1
    event = events.get()
    assert (event.object_type, event.object_id) == ("people.person", str(person.pk))
    record = {
        "record_type": "conviction", "event_date": "2010-03-04", "level": "felony",
        "description": "", "category": "", "jurisdiction": "CA", "source": "CA DOJ",
    }  # fmt: skip
    assert event.details == {
        "import_batch": result.batch.pk,
        "source": "CA DOJ",
        "replaced": [{**record, "statute_code": "PC 459"}],
        "by": [{**record, "statute_code": "PC 211"}],
    }
