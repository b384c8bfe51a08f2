"""Regression tests for issue 7's spelling bug: charge codes as California charging documents
write them (attempts, conspiracies, book after the section, dotted books, subdivisions) import
in their one normalised spelling; a well-formed code that no table knows is unknown, not an
input error; only text that cannot be a statute code refuses the file, and nothing is written.

Before issue 7, ``PC 664/187(a)`` and ``148(a)(1) PC`` were "not a statute code" and the
whole file was refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Arrest, Case, Charge, PriorCountSummary, PriorRecord
from ontrack.imports.services import import_caseload
from ontrack.imports.tests.test_hostile_input import csv_bytes, row, write
from ontrack.ingest.models import ImportBatch
from ontrack.ingest.problems import ImportRejected
from ontrack.people.models import Person, PersonIdentifier

# As written in the file → as stored (worked out by hand from the normal form: book first,
# upper-case book, lower-case subdivisions, the modifier section before the target).
SPELLINGS = [
    ("PC 664/187(a)", "PC 664/187(a)"),  # attempted murder
    ("148(a)(1) PC", "PC 148(a)(1)"),  # book after the section
    ("PC 182(a)(1)/211", "PC 182(a)(1)/211"),  # conspiracy to rob
    ("P.C. 245(a)(1)", "PC 245(a)(1)"),  # dotted book
    ("HS 11352(a)", "HS 11352(a)"),  # a subdivision of a listed section
    ("FS 893.13", "FS 893.13"),  # well-formed, in no California table: unknown, not an error
]

MODELS = (
    Person, PersonIdentifier, Case, Charge, Arrest, PriorRecord, PriorCountSummary, ImportBatch,
    AuditEvent,
)  # fmt: skip


def prior(code: str) -> list[str]:
    return row(
        record_type="prior", prior_record_type="conviction", prior_event_date="2010-03-04",
        prior_level="felony", prior_statute_code=code, prior_jurisdiction="CA",
        prior_source="CA DOJ", docket_number="", count_number="", statute_code="",
        charge_level="",
    )  # fmt: skip


def everything() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table an import writes to (audit rows included)."""
    return {
        model.__name__: sorted(model._default_manager.values_list(), key=repr) for model in MODELS
    }


def test_charging_document_spellings_import_normalised(tmp_path: Path, supervisor: Any) -> None:
    rows = [
        row(count_number=str(count), statute_code=written)
        for count, (written, _) in enumerate(SPELLINGS, start=1)
    ]
    rows.append(prior("664/187 PC"))
    path = write(tmp_path, "spellings.csv", csv_bytes(rows))
    result = import_caseload(actor=supervisor, path=path, profile_name="ontrack")
    assert result.status == "applied"
    assert list(Charge.objects.order_by("count_number").values_list("statute_code", flat=True)) == [
        "PC 664/187(a)",
        "PC 148(a)(1)",
        "PC 182(a)(1)/211",
        "PC 245(a)(1)",
        "HS 11352(a)",
        "FS 893.13",
    ]
    assert list(PriorRecord.objects.values_list("statute_code", flat=True)) == ["PC 664/187"]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("statute_code", "see report"),
        ("statute_code", "12345"),
        ("statute_code", "PC"),
        ("prior_statute_code", "see report"),
    ],
)
def test_text_that_cannot_be_a_code_refuses_the_file_and_writes_nothing(
    tmp_path: Path, supervisor: Any, column: str, value: str
) -> None:
    # Something already in the database, so "nothing written" is checked against real rows.
    earlier = write(tmp_path, "earlier.csv", csv_bytes([row(person_id="9", docket_number="E-9")]))
    import_caseload(actor=supervisor, path=earlier, profile_name="ontrack")
    before = everything()
    assert len(before["Person"]) == 1
    assert len(before["ImportBatch"]) == 1
    bad = row(count_number="3", statute_code=value) if column == "statute_code" else prior(value)
    rows = [row(), row(count_number="2", statute_code="PC 664/187(a)"), bad]
    path = write(tmp_path, "bad.csv", csv_bytes(rows))
    with pytest.raises(ImportRejected) as error:
        import_caseload(actor=supervisor, path=path, profile_name="ontrack")
    assert [(p.row, p.column, p.value, p.reason) for p in error.value.problems] == [
        (3, column, value, "not a statute code (e.g. HS 11351, PC 245(a)(1))")
    ]
    assert everything() == before
