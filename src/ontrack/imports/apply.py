"""Carrying out a plan inside the caller's transaction: new records written straight from
the plan's frames (``ingest.bulk``: executemany on SQLite, COPY on PostgreSQL), each
carrying the batch that created it; updates through the ORM, one audit event each;
replaced prior records audited with what was replaced and by what.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from django.db import models

from ontrack.audit.services import jsonable, record_event
from ontrack.cases.models import Arrest, Case, Charge, PriorCountSummary, PriorRecord
from ontrack.imports.plan import Changes, Plan, chunks
from ontrack.ingest.bulk import insert_frame
from ontrack.people.models import Person, PersonIdentifier
from ontrack.people.search_keys import (
    code_key_column,
    person_keys,
    refresh_person_keys,
    write_person_keys,
)

BATCH = 2_000

Progress = Callable[[str, int, int], None]


def _create(
    model: type[models.Model],
    frame: pl.DataFrame,
    batch_id: int,
    progress: Progress,
    *,
    with_ids: bool = False,
) -> pl.Series:
    """Insert the frame's rows (columns named by field attname); the new ids, in order,
    when asked for (people and cases: the records after them refer to them)."""
    stage = f"writing {model._meta.verbose_name_plural}"
    ids = insert_frame(
        model,
        frame.with_columns(pl.lit(batch_id, dtype=pl.Int64).alias("import_batch_id")),
        with_ids=with_ids,
        progress=lambda done, total: progress(stage, done, total),
    )
    return pl.Series("id", [], dtype=pl.Int64) if ids is None else ids


def _update(
    model: type[models.Model], changes: Changes, actor: Any, batch_id: int, action: str
) -> None:
    by_fields: dict[tuple[str, ...], list[models.Model]] = {}
    for pk, new, old in changes.update:
        stored = dict(new)
        if model is Case and {"docket_number", "external_case_number"} & set(new):
            # The search keys follow the numbers (as ``Case.save`` does for one case).
            stored.update(_case_keys(model, pk, new))
        obj = model(pk=pk, **stored)
        by_fields.setdefault(tuple(sorted(stored)), []).append(obj)
        # Updates are what an auditor asks about ("who changed this date?"): one event each.
        record_event(
            actor=actor,
            action=action,
            object_type=model._meta.label_lower,
            object_id=pk,
            changes={f: [jsonable(old[f]), jsonable(new[f])] for f in new},
            details={"import_batch": batch_id},
        )
    for fields, objects in by_fields.items():
        for part in chunks(objects, BATCH):
            model._default_manager.bulk_update(part, list(fields))


def _case_keys(model: type[models.Model], pk: int, new: dict[str, Any]) -> dict[str, str]:
    current = model._default_manager.values("docket_number", "external_case_number").get(pk=pk)
    numbers = pl.DataFrame([{**current, **new}]).select(
        code_key_column(pl.col("docket_number")).alias("docket_key"),
        code_key_column(pl.col("external_case_number")).alias("external_key"),
    )
    return dict(numbers.row(0, named=True))


def _ids(keys: pl.Series, ids: pl.Series, known: dict[str, int | None], name: str) -> pl.DataFrame:
    """Key → database id, for new records (from the insert) and existing ones (planned)."""
    existing = {k: v for k, v in known.items() if v is not None}
    key = keys.name
    return pl.concat(
        [
            pl.DataFrame({key: keys, name: ids}, schema={key: pl.String, name: pl.Int64}),
            pl.DataFrame(
                {key: list(existing), name: list(existing.values())},
                schema={key: pl.String, name: pl.Int64},
            ),
        ]
    )


def apply_plan(plan: Plan, *, actor: Any, batch_id: int, progress: Progress | None = None) -> None:
    report: Progress = progress or (lambda *_: None)
    people = plan.person.create
    new_people = _create(Person, people, batch_id, report, with_ids=True)
    _update(Person, plan.person, actor, batch_id, "person.updated_by_import")
    # Existing people and cases were resolved while planning (by any of their identifiers);
    # new ones get their ids from the insert. Joined as frames: no lookup per row.
    person_ids = _ids(people.get_column("pkey"), new_people, plan.person_ids, "person_id")

    def with_person(frame: pl.DataFrame, name: str = "person_id") -> pl.DataFrame:
        return frame.join(person_ids.rename({"person_id": name}), on="pkey", how="left")

    identifiers = with_person(plan.identifier.create)
    _create(PersonIdentifier, identifiers, batch_id, report)
    # Search keys (ADR 0044): new people's from the frames in hand, in Polars; people who
    # existed and changed or gained an identifier, recomputed from what is stored.
    new_ids = people.select(pl.lit(new_people).alias("person_id"), pl.all())
    write_person_keys(
        person_keys(
            new_ids, None, identifiers.filter(pl.col("person_id").is_in(new_people.implode()))
        )
    )
    touched = {pk for pk, _, _ in plan.person.update}
    touched |= set(
        identifiers.filter(~pl.col("person_id").is_in(new_people.implode()))["person_id"]
    )
    refresh_person_keys(touched)
    cases = plan.case.create.with_columns(
        code_key_column(pl.col("docket_number")).alias("docket_key"),
        code_key_column(pl.col("external_case_number")).alias("external_key"),
    )
    new_cases = _create(Case, with_person(cases, "defendant_id"), batch_id, report, with_ids=True)
    _update(Case, plan.case, actor, batch_id, "case.updated_by_import")
    case_ids = _ids(cases.get_column("ckey"), new_cases, plan.case_ids, "case_id")

    def with_case(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(case_ids, on="ckey", how="left")

    _create(Charge, with_case(plan.charge.create), batch_id, report)
    _update(Charge, plan.charge, actor, batch_id, "charge.updated_by_import")
    _create(Arrest, with_person(with_case(plan.arrest.create)), batch_id, report)
    _update(Arrest, plan.arrest, actor, batch_id, "arrest.updated_by_import")
    for replaced in plan.replace_priors:
        PriorRecord.objects.filter(person_id=replaced.person_id, source=replaced.source).delete()
        # A new rap sheet replaces the old one whole; the old one is not lost: what it said
        # and what replaced it are both in the audit trail.
        record_event(
            actor=actor,
            action="prior_records.replaced_by_import",
            object_type=Person._meta.label_lower,
            object_id=replaced.person_id,
            details={
                "import_batch": batch_id,
                "source": replaced.source,
                "replaced": [jsonable_record(r) for r in replaced.old],
                "by": [jsonable_record(r) for r in replaced.new],
            },
        )
    _create(PriorRecord, with_person(plan.prior.create), batch_id, report)
    _create(PriorCountSummary, with_person(plan.prior_counts.create), batch_id, report)
    _update(PriorCountSummary, plan.prior_counts, actor, batch_id, "prior_counts.updated_by_import")


def jsonable_record(record: dict[str, Any]) -> dict[str, Any]:
    return {k: jsonable(v) for k, v in record.items()}
