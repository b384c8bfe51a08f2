"""Carrying out a plan: bulk inserts and updates inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from ontrack.audit.services import jsonable, record_event
from ontrack.cases.models import Arrest, Case, Charge, PriorCountSummary, PriorRecord
from ontrack.imports.plan import PRIOR_FIELDS, Changes, Plan, chunks
from ontrack.people.models import Person, PersonIdentifier

BATCH = 2_000


def _create(model: type[models.Model], objects: list[models.Model]) -> list[models.Model]:
    created: list[models.Model] = []
    for part in chunks(objects, BATCH):
        created.extend(model._default_manager.bulk_create(part))
    return created


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


def apply_plan(plan: Plan, *, actor: Any, batch_id: int) -> None:
    people = _create(Person, [Person(**_fields(r, Person)) for r in plan.person.create])
    person_ids: dict[str, int] = {
        r["pkey"]: p.pk for r, p in zip(plan.person.create, people, strict=True)
    }
    _update(Person, plan.person, actor, batch_id, "person.updated_by_import")

    def pid(pkey: str) -> int:
        found = person_ids.get(pkey)
        if found is None:
            found = PersonIdentifier.objects.get(
                id_type=pkey.split("|")[0], issuer=pkey.split("|")[1], value=pkey.split("|", 2)[2]
            ).person_id
            person_ids[pkey] = found
        return found

    # Identifiers of new people first, so that ``pid`` can look up existing ones.
    _create(
        PersonIdentifier,
        [
            PersonIdentifier(
                person_id=pid(r["pkey"]) if r["pkey"] not in person_ids else person_ids[r["pkey"]],
                id_type=r["id_type"],
                issuer=r["issuer"],
                value=r["value"],
            )
            for r in plan.identifier.create
        ],
    )
    cases = _create(
        Case, [Case(defendant_id=pid(r["pkey"]), **_fields(r, Case)) for r in plan.case.create]
    )
    case_ids: dict[str, int] = {
        r["ckey"]: c.pk for r, c in zip(plan.case.create, cases, strict=True)
    }
    _update(Case, plan.case, actor, batch_id, "case.updated_by_import")

    def cid(ckey: str) -> int:
        found = case_ids.get(ckey)
        if found is None:
            kind, value = ckey.split(":", 1)
            lookup = {"docket_number": value} if kind == "docket" else {"source_key": value}
            found = case_ids[ckey] = Case.objects.only("id").get(**lookup).pk
        return found

    _create(
        Charge, [Charge(case_id=cid(r["ckey"]), **_fields(r, Charge)) for r in plan.charge.create]
    )
    _update(Charge, plan.charge, actor, batch_id, "charge.updated_by_import")
    _create(
        Arrest,
        [
            Arrest(case_id=cid(r["ckey"]), person_id=pid(r["pkey"]), **_fields(r, Arrest))
            for r in plan.arrest.create
        ],
    )
    _update(Arrest, plan.arrest, actor, batch_id, "arrest.updated_by_import")
    for person_id, source in plan.replace_priors:
        PriorRecord.objects.filter(person_id=person_id, source=source).delete()
    _create(
        PriorRecord,
        [
            PriorRecord(person_id=pid(r["pkey"]), **{f: r[f] for f in PRIOR_FIELDS})
            for r in plan.prior.create
        ],
    )
    _create(
        PriorCountSummary,
        [
            PriorCountSummary(person_id=pid(r["pkey"]), **_fields(r, PriorCountSummary))
            for r in plan.prior_counts.create
        ],
    )
    _update(PriorCountSummary, plan.prior_counts, actor, batch_id, "prior_counts.updated_by_import")


def _fields(row: dict[str, Any], model: type[models.Model]) -> dict[str, Any]:
    names = {f.name for f in model._meta.concrete_fields} - {"id"}
    return {k: v for k, v in row.items() if k in names}
