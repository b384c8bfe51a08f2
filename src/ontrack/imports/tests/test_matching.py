"""Re-imports find people and cases by natural keys, whichever identifier matches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ontrack.cases.models import Case
from ontrack.imports.services import import_caseload
from ontrack.imports.tests.test_hostile_input import csv_bytes, row
from ontrack.ingest.problems import ImportRejected
from ontrack.people.models import Person, PersonIdentifier
from ontrack.people.tests.factories import PersonFactory, PersonIdentifierFactory


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_person_known_by_another_identifier_is_matched_not_duplicated(
    tmp_path: Path, supervisor: Any, new_events: Any
) -> None:
    existing = PersonFactory(given_name="Ana", family_name="Reyes")
    PersonIdentifierFactory(person=existing, id_type="state_id", issuer="CA", value="A11111111")
    data = csv_bytes(
        [
            row(
                person_source="new-feed",
                person_id="77",
                state_id="A11111111",
                given_name="Ana",
                family_name="Reyes",
                docket_number="CRI-9",
            )
        ]
    )
    result = import_caseload(
        actor=supervisor, path=write(tmp_path, "f.csv", data), profile_name="ontrack"
    )
    assert result.counts["person"]["created"] == 0
    assert Person.objects.count() == 1
    assert Case.objects.get(docket_number="CRI-9").defendant == existing
    assert set(existing.identifiers.values_list("id_type", "issuer", "value")) == {
        ("state_id", "CA", "A11111111"), ("source_record", "new-feed", "77"),
    }  # fmt: skip


def test_identifiers_pointing_at_two_people_are_refused(tmp_path: Path, supervisor: Any) -> None:
    first, second = PersonFactory(), PersonFactory()
    PersonIdentifierFactory(person=first, id_type="state_id", issuer="CA", value="A1")
    PersonIdentifierFactory(person=second, id_type="fbi", issuer="FBI", value="F2")
    data = csv_bytes([row(state_id="A1", fbi_number="F2")])
    with pytest.raises(ImportRejected, match="belong to different people in OnTrack"):
        import_caseload(
            actor=supervisor, path=write(tmp_path, "f.csv", data), profile_name="ontrack"
        )
    assert Person.objects.count() == 2
    assert PersonIdentifier.objects.count() == 2
    assert Case.objects.count() == 0


def test_a_docket_owned_by_someone_else_is_refused(tmp_path: Path, supervisor: Any) -> None:
    from ontrack.cases.tests.factories import CaseFactory

    CaseFactory(docket_number="CRI-1")
    with pytest.raises(ImportRejected, match="this case belongs to another person in OnTrack"):
        import_caseload(
            actor=supervisor,
            path=write(tmp_path, "f.csv", csv_bytes([row()])),
            profile_name="ontrack",
        )
    assert Person.objects.count() == 1
