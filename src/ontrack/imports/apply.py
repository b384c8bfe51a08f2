"""Carrying out a plan: bulk inserts and updates inside the caller's transaction."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import polars as pl
from django.db import models

from ontrack.audit.services import jsonable, record_event
from ontrack.cases.models import Arrest, Case, Charge, PriorCountSummary, PriorRecord
from ontrack.imports.plan import PRIOR_FIELDS, Changes, Plan, chunks, rows
from ontrack.people.models import Person, PersonIdentifier

BATCH = 2_000


M = TypeVar("M", bound=models.Model)


Progress = Callable[[str, int, int], None]
_progress: list[Progress] = []  # set for the duration of apply_plan


def _create(
    model: type[M],
    frame: pl.DataFrame,
    build: Callable[[dict[str, Any]], M],
    *,
    as_stored: bool = True,
) -> list[int]:
    """Insert in batches, building model objects one batch at a time (a million rows of
    Django objects at once would cost gigabytes); returns the new primary keys in order.
    ``as_stored``: blank text becomes what the database stores for it (see ``plan.clean``)."""
    keys: list[int] = []
    for part in frame.iter_slices(BATCH):
        records = rows(part) if as_stored else iter(part.to_dicts())
        keys.extend(obj.pk for obj in model._default_manager.bulk_create(map(build, records)))
        for report in _progress:
            report(f"writing {model._meta.verbose_name_plural}", len(keys), frame.height)
    return keys


def _update(
    model: type[models.Model], changes: Changes, actor: Any, batch_id: int, action: str
) -> None:
    by_fields: dict[tuple[str, ...], list[models.Model]] = {}
    for pk, new, old in changes.update:
        obj = model(pk=pk, **new)
        by_fields.setdefault(tuple(sorted(new)), []).append(obj)
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


def apply_plan(plan: Plan, *, actor: Any, batch_id: int, progress: Progress | None = None) -> None:
    _progress[:] = [progress] if progress else []
    try:
        _apply(plan, actor, batch_id)
    finally:
        _progress.clear()


def _apply(plan: Plan, actor: Any, batch_id: int) -> None:
    new_people = _create(Person, plan.person.create, lambda r: Person(**_fields(r, Person)))
    person_ids: dict[str, int] = dict(
        zip(_column(plan.person.create, "pkey"), new_people, strict=True)
    )
    _update(Person, plan.person, actor, batch_id, "person.updated_by_import")

    # Existing people and cases were resolved while planning (by any of their identifiers);
    # new ones get their ids from the inserts. No lookup per row.
    person_ids.update({k: v for k, v in plan.person_ids.items() if v is not None})

    def pid(pkey: str) -> int:
        return person_ids[pkey]

    _create(
        PersonIdentifier,
        plan.identifier.create,
        lambda r: PersonIdentifier(
            person_id=pid(r["pkey"]), id_type=r["id_type"], issuer=r["issuer"], value=r["value"]
        ),
        as_stored=False,  # the identifier's own values, as matched while planning
    )
    new_cases = _create(
        Case, plan.case.create, lambda r: Case(defendant_id=pid(r["pkey"]), **_fields(r, Case))
    )
    case_ids: dict[str, int] = dict(zip(_column(plan.case.create, "ckey"), new_cases, strict=True))
    _update(Case, plan.case, actor, batch_id, "case.updated_by_import")

    case_ids.update({k: v for k, v in plan.case_ids.items() if v is not None})

    def cid(ckey: str) -> int:
        return case_ids[ckey]

    _create(
        Charge, plan.charge.create, lambda r: Charge(case_id=cid(r["ckey"]), **_fields(r, Charge))
    )
    _update(Charge, plan.charge, actor, batch_id, "charge.updated_by_import")
    _create(
        Arrest,
        plan.arrest.create,
        lambda r: Arrest(case_id=cid(r["ckey"]), person_id=pid(r["pkey"]), **_fields(r, Arrest)),
    )
    _update(Arrest, plan.arrest, actor, batch_id, "arrest.updated_by_import")
    for person_id, source in plan.replace_priors:
        PriorRecord.objects.filter(person_id=person_id, source=source).delete()
    _create(
        PriorRecord,
        plan.prior.create,
        lambda r: PriorRecord(person_id=pid(r["pkey"]), **{f: r[f] for f in PRIOR_FIELDS}),
    )
    _create(
        PriorCountSummary,
        plan.prior_counts.create,
        lambda r: PriorCountSummary(person_id=pid(r["pkey"]), **_fields(r, PriorCountSummary)),
    )
    _update(PriorCountSummary, plan.prior_counts, actor, batch_id, "prior_counts.updated_by_import")


def _column(frame: pl.DataFrame, name: str) -> list[Any]:
    return frame.get_column(name).to_list() if frame.height else []


@functools.cache
def _field_names(model: type[models.Model]) -> frozenset[str]:
    return frozenset(f.name for f in model._meta.concrete_fields) - {"id"}


def _fields(row: dict[str, Any], model: type[models.Model]) -> dict[str, Any]:
    names = _field_names(model)
    return {k: v for k, v in row.items() if k in names}
