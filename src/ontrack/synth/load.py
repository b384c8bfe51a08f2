"""Loading a generated synthetic caseload into the database in bulk.

The frames come from ``synth.generate`` (columnar, fast); here they become rows with
``bulk_create`` in batches, in one transaction, with one audit event for the whole load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import polars as pl
from django.db import models, transaction

from ontrack.audit.services import record_event
from ontrack.cases.models import Arrest, Case, Charge, PriorCountSummary, PriorRecord
from ontrack.common.errors import ServiceError
from ontrack.common.services import ensure_permission
from ontrack.imports.plan import PRIOR_FIELDS
from ontrack.people.models import Person, PersonAlias, PersonIdentifier
from ontrack.people.search_keys import code_key_column, person_keys, write_person_keys
from ontrack.synth.shared import HISTORY_SOURCE, history_totals

BATCH = 2_000
M = TypeVar("M", bound=models.Model)
Progress = Callable[[str, int], None]


class CaseloadNotEmpty(ServiceError):
    """Synthetic data goes only into an empty caseload, never mixed with real records."""


def _batches(frame: pl.DataFrame, columns: list[str]) -> Iterator[list[dict[str, Any]]]:
    for chunk in frame.select(columns).iter_slices(BATCH):
        yield chunk.to_dicts()


def _insert(
    model: type[M],
    frame: pl.DataFrame,
    columns: list[str],
    build: Callable[[dict[str, Any]], M],
    progress: Progress | None,
    stage: str,
) -> list[M]:
    created: list[M] = []
    for rows in _batches(frame, columns):
        created.extend(model._default_manager.bulk_create([build(r) for r in rows]))
        if progress:
            progress(f"load {stage}", len(rows))
    return created


PERSON_FIELDS = [
    "given_name", "middle_name", "family_name", "suffix", "date_of_birth", "sex", "race",
    "phone", "email", "street_address", "city", "state", "postal_code",
]  # fmt: skip


@transaction.atomic
def load_caseload(
    *, actor: Any, frames: dict[str, pl.DataFrame], seed: int, progress: Progress | None = None
) -> dict[str, int]:
    """Insert every frame; keys in the frames become database ids. Returns row counts."""
    ensure_permission(actor, "people.add_person")
    ensure_permission(actor, "cases.add_case")
    existing = Person.objects.count()
    if existing:
        raise CaseloadNotEmpty(
            f"the database already holds {existing} people; synthetic data is loaded only "
            "into an empty caseload"
        )
    people = frames["people"]
    persons = _insert(Person, people, PERSON_FIELDS, lambda r: Person(**r), progress, "people")
    person_id = dict(zip(people["person_key"].to_list(), (p.pk for p in persons), strict=True))
    _insert(
        PersonAlias,
        frames["aliases"],
        ["person_key", "given_name", "family_name", "kind"],
        lambda r: PersonAlias(person_id=person_id[r.pop("person_key")], **r),
        progress,
        "aliases",
    )
    _insert(
        PersonIdentifier,
        frames["identifiers"],
        ["person_key", "id_type", "issuer", "value"],
        lambda r: PersonIdentifier(person_id=person_id[r.pop("person_key")], **r),
        progress,
        "identifiers",
    )
    # Search keys (ADR 0044), computed over the frames: the person keys joined to their ids.
    ids = pl.DataFrame(
        {"person_key": list(person_id), "person_id": list(person_id.values())},
        schema={"person_key": people.schema["person_key"], "person_id": pl.Int64},
    )
    write_person_keys(
        person_keys(
            people.join(ids, on="person_key"),
            frames["aliases"].join(ids, on="person_key"),
            frames["identifiers"].join(ids, on="person_key"),
        )
    )
    cases_frame = frames["cases"].with_columns(
        code_key_column(pl.col("docket_number")).alias("docket_key")
    )
    cases = _insert(
        Case,
        cases_frame,
        ["person_key", "docket_number", "docket_key", "court", "filing_date", "status"],
        lambda r: Case(defendant_id=person_id[r.pop("person_key")], **r),
        progress,
        "cases",
    )
    case_id = dict(zip(cases_frame["case_key"].to_list(), (c.pk for c in cases), strict=True))
    _insert(
        Arrest,
        frames["arrests"],
        ["case_key", "person_key", "arrest_date", "agency", "booking_number"],
        lambda r: Arrest(
            case_id=case_id[r.pop("case_key")], person_id=person_id[r.pop("person_key")], **r
        ),
        progress,
        "arrests",
    )
    _insert(
        Charge,
        frames["charges"],
        [
            "case_key",
            "count_number",
            "statute_code",
            "description",
            "level",
            "offense_date",
            "weapon_alleged",
            "gang_alleged",
            "near_school_alleged",
            "disposition",
        ],
        lambda r: Charge(case_id=case_id[r.pop("case_key")], **r),
        progress,
        "charges",
    )
    _insert(
        PriorRecord,
        frames["priors"],
        ["person_key", *PRIOR_FIELDS],
        lambda r: PriorRecord(person_id=person_id[r.pop("person_key")], **r),
        progress,
        "priors",
    )
    summary = history_totals(frames)
    _insert(
        PriorCountSummary,
        summary,
        ["person_key", "total"],
        lambda r: PriorCountSummary(
            person_id=person_id[r["person_key"]], source=HISTORY_SOURCE, total=r["total"]
        ),
        progress,
        "prior counts",
    )
    counts = {name: frame.height for name, frame in frames.items()}
    record_event(
        actor=actor,
        action="synthetic_caseload.loaded",
        object_type="synth.caseload",
        object_id=f"seed-{seed}",
        details={"seed": seed, **counts},
    )
    return counts
