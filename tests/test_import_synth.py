"""OnTrack's own format end to end: synthetic caseload → CSV → import → same records."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Arrest, Case, Charge, PriorCountSummary, PriorRecord
from ontrack.imports.services import import_caseload
from ontrack.people.models import Person, PersonIdentifier
from ontrack.synth.export import write_caseload_csv
from ontrack.synth.generate import generate


@pytest.fixture
def synthetic_csv(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    frames = generate(400, 5)
    path = tmp_path / "caseload.csv"
    write_caseload_csv(frames, 5, path)
    return path, frames


def test_round_trip_creates_every_record(synthetic_csv: tuple[Path, Any], supervisor: Any) -> None:
    path, frames = synthetic_csv
    result = import_caseload(actor=supervisor, path=path, profile_name="ontrack")
    assert Person.objects.count() == frames["people"].height == 400
    assert Case.objects.count() == frames["cases"].height
    assert Charge.objects.count() == frames["charges"].height
    assert Arrest.objects.count() == frames["arrests"].height
    assert PriorRecord.objects.count() == frames["priors"].height
    # Each person's identifiers plus one source-record number per person.
    assert PersonIdentifier.objects.count() == frames["identifiers"].height + 400
    assert result.counts["person"] == {"created": 400, "updated": 0, "unchanged": 0}
    # Each person's criminal-history check travels too: same totals as the database loader.
    # Counted here from the prior records themselves, not by the helper the export uses.
    priors_of = Counter(frames["priors"]["person_key"].to_list())
    expected = {key: priors_of[key] for key in frames["people"]["person_key"].to_list()}
    summaries = PriorCountSummary.objects.select_related("person").all()
    assert len(summaries) == 400
    assert {s.source for s in summaries} == {"synthetic rap sheet"}
    by_key = {
        i.person_id: int(i.value) for i in PersonIdentifier.objects.filter(id_type="source_record")
    }
    assert {by_key[s.person_id]: s.total for s in summaries} == expected
    assert sum(expected.values()) == frames["priors"].height > 0
    assert (
        Person.objects.filter(date_of_birth__isnull=True).count()
        == frames["people"]["date_of_birth"].null_count()
    )
    assert (
        Charge.objects.filter(weapon_alleged__isnull=True).count()
        == frames["charges"]["weapon_alleged"].null_count()
    )


def test_corrected_file_updates_by_natural_keys(
    synthetic_csv: tuple[Path, Any], supervisor: Any, tmp_path: Path
) -> None:
    path, _ = synthetic_csv
    import_caseload(actor=supervisor, path=path, profile_name="ontrack")
    rows = list(csv.DictReader(path.open()))
    first = rows[0]
    person_rows = [r for r in rows if r["person_id"] == first["person_id"]]
    for r in person_rows:
        r["city"] = "Vallejo"
    charge_row = next(
        r for r in rows if r["record_type"] == "charge" and r["disposition"] == "pending"
    )
    charge_row["disposition"] = "dismissed"
    corrected = tmp_path / "corrected.csv"
    with corrected.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(first))
        writer.writeheader()
        writer.writerows(rows)
    before_people = Person.objects.count()
    result = import_caseload(actor=supervisor, path=corrected, profile_name="ontrack")
    assert result.status == "applied"
    assert result.counts["person"] == {"created": 0, "updated": 1, "unchanged": 399}
    assert result.counts["charge"]["updated"] == 1
    assert (
        Charge.objects.get(
            case__docket_number=charge_row["docket_number"],
            count_number=int(charge_row["count_number"]),
        ).disposition
        == "dismissed"
    )
    assert Person.objects.count() == before_people
    person = PersonIdentifier.objects.get(id_type="source_record", value=first["person_id"]).person
    assert person.city == "Vallejo"
    event = AuditEvent.objects.get(action="person.updated_by_import")
    assert event.changes["city"][1] == "Vallejo"
    assert event.details == {"import_batch": result.batch.pk if result.batch else None}


def test_dry_run_counts_but_writes_nothing(
    synthetic_csv: tuple[Path, Any], supervisor: Any, new_events: Any
) -> None:
    path, _ = synthetic_csv
    result = import_caseload(actor=supervisor, path=path, profile_name="ontrack", dry_run=True)
    assert result.status == "dry_run"
    assert result.counts["person"]["created"] == 400
    assert Person.objects.count() == 0
    assert new_events().count() == 0
