"""Loading generated frames into the database: every row lands, keys become ids, one audit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ontrack.cases.models import Arrest, Case, Charge, PriorRecord
from ontrack.people.models import Person, PersonAlias, PersonIdentifier
from ontrack.people.tests.factories import PersonFactory
from ontrack.synth.generate import generate
from ontrack.synth.load import CaseloadNotEmpty, load_caseload

TODAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def frames() -> dict[str, pl.DataFrame]:
    return generate(300, 7, today=TODAY)


def test_every_frame_row_is_loaded(
    system: Any, frames: dict[str, pl.DataFrame], new_events: Any
) -> None:
    counts = load_caseload(actor=system, frames=frames, seed=7)
    assert counts == {name: frame.height for name, frame in frames.items()}
    assert Person.objects.count() == frames["people"].height == 300
    assert PersonAlias.objects.count() == frames["aliases"].height
    assert PersonIdentifier.objects.count() == frames["identifiers"].height
    assert Case.objects.count() == frames["cases"].height
    assert Arrest.objects.count() == frames["arrests"].height
    assert Charge.objects.count() == frames["charges"].height
    assert PriorRecord.objects.count() == frames["priors"].height
    event = new_events().get()
    assert (event.action, event.object_id, event.details["people"]) == (
        "synthetic_caseload.loaded",
        "seed-7",
        300,
    )


def test_relationships_survive_the_key_to_id_mapping(
    system: Any, frames: dict[str, pl.DataFrame]
) -> None:
    load_caseload(actor=system, frames=frames, seed=7)
    # The first case in the frame belongs to the person the frame says, with its charges.
    first_case = frames["cases"].row(0, named=True)
    person_row = (
        frames["people"].filter(pl.col("person_key") == first_case["person_key"]).row(0, named=True)
    )
    case = Case.objects.select_related("defendant").get(docket_number=first_case["docket_number"])
    assert (
        case.defendant.given_name,
        case.defendant.family_name,
        case.defendant.date_of_birth,
    ) == (person_row["given_name"], person_row["family_name"], person_row["date_of_birth"])
    expected_codes = (
        frames["charges"]
        .filter(pl.col("case_key") == first_case["case_key"])
        .sort("count_number")["statute_code"]
        .to_list()
    )
    assert (
        list(case.charges.order_by("count_number").values_list("statute_code", flat=True))
        == expected_codes
    )
    # Unknowns stay unknown through the load.
    unknown_dob = frames["people"]["date_of_birth"].null_count()
    assert Person.objects.filter(date_of_birth__isnull=True).count() == unknown_dob


def test_refuses_a_caseload_that_is_not_empty(
    system: Any, frames: dict[str, pl.DataFrame], new_events: Any
) -> None:
    PersonFactory()
    with pytest.raises(CaseloadNotEmpty, match="already holds 1 people"):
        load_caseload(actor=system, frames=frames, seed=7)
    assert Person.objects.count() == 1
    assert Case.objects.count() == 0
    assert new_events().count() == 0


def test_command_into_database_then_skip(system: Any, catalog: None) -> None:
    call_command("synth", "--people", "50", "--seed", "3", verbosity=0)
    assert Person.objects.count() == 50
    call_command("synth", "--people", "50", "--seed", "3", "--skip-if-loaded", verbosity=0)
    assert Person.objects.count() == 50
    with pytest.raises(CommandError, match="already holds 50 people") as refused:
        call_command("synth", "--people", "50", "--seed", "3", verbosity=0)
    assert refused.value.returncode == 2


def test_command_writes_parquet(tmp_path: Path, db: None) -> None:
    call_command("synth", "--people", "40", "--seed", "5", "--out", str(tmp_path), verbosity=0)
    people = pl.read_parquet(tmp_path / "people.parquet")
    assert people.height == 40
    assert people.equals(generate(40, 5, today=TODAY)["people"])
    assert Person.objects.count() == 0
