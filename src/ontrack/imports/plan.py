"""Working out what an import would change: match by natural keys, compare, count.

Reading only: every lookup is a set query over the file's keys, and the result is a plan
of creates and updates per record type. Conflicts (an identifier or case number that
OnTrack already gives to someone else) are problems, found before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import models

from ontrack.cases.models import Arrest, Case, Charge, PriorCountSummary, PriorRecord
from ontrack.imports.mapping import Canonical, _dtype
from ontrack.ingest.problems import Problem
from ontrack.imports.profiles import CaseloadProfile, Template
from ontrack.ingest.validate import ROW
from ontrack.people.models import Person, PersonIdentifier

CHUNK = 5_000
NULLABLE_TEXT = {"docket_number"}  # text fields whose unknown is NULL rather than ""


@dataclass
class Changes:
    """Per record type: rows to create, (id, new values, old values) to update, unchanged count.

    The rows to create stay a Polars frame (canonical columns): a million records as Python
    dicts would cost gigabytes; ``apply`` turns them into model objects a batch at a time.
    """

    create: pl.DataFrame = field(default_factory=pl.DataFrame)
    update: list[tuple[int, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "created": self.create.height,
            "updated": len(self.update),
            "unchanged": self.unchanged,
        }


@dataclass
class Plan:
    person: Changes = field(default_factory=Changes)
    identifier: Changes = field(default_factory=Changes)
    case: Changes = field(default_factory=Changes)
    charge: Changes = field(default_factory=Changes)
    arrest: Changes = field(default_factory=Changes)
    prior: Changes = field(default_factory=Changes)
    prior_counts: Changes = field(default_factory=Changes)
    replace_priors: list[tuple[int, str]] = field(default_factory=list)  # (person id, source)
    # Existing records the file's keys resolved to (None: to be created).
    person_ids: dict[str, int | None] = field(default_factory=dict)
    case_ids: dict[str, int | None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        names = ("person", "identifier", "case", "charge", "arrest", "prior", "prior_counts")
        return {name: getattr(self, name).counts() for name in names}

    @property
    def changes_anything(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts().values())


def chunks(values: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def clean(name: str, value: Any) -> Any:
    """A canonical value as the database stores it: unknown text is "" (NULL where nullable)."""
    if value is None and name not in NULLABLE_TEXT and _dtype(name) == pl.String():
        return ""
    return value


KEYS = {ROW, "pkey", "ckey", "chkey", "pckey"}


def rows(frame: pl.DataFrame) -> Iterator[dict[str, Any]]:
    """Frame rows as dicts of database-ready values (keys and row numbers untouched), made a
    chunk at a time."""
    for part in frame.iter_slices(CHUNK):
        for r in part.to_dicts():
            yield {k: v if k in KEYS else clean(k, v) for k, v in r.items()}


def _where(frame: pl.DataFrame, keep: list[bool]) -> pl.DataFrame:
    """The rows of ``frame`` whose flag is set (one flag per row, in order)."""
    return frame.filter(pl.Series(keep, dtype=pl.Boolean))


def _compare(
    changes: Changes, existing: dict[str, Any], wanted: dict[str, Any], fields: list[str], pk: int
) -> None:
    new = {f: wanted[f] for f in fields if existing.get(f) != wanted[f]}
    if new:
        changes.update.append((pk, new, {f: existing.get(f) for f in new}))
    else:
        changes.unchanged += 1


def _mapped(template: Template) -> list[str]:
    return sorted(template.fields)


def _existing(
    model: type[models.Model], lookup: str, keys: list[Any], fields: list[str]
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for part in chunks(keys):
        found.extend(model._default_manager.filter(**{f"{lookup}__in": part}).values("id", *fields))
    return found


def make_plan(profile: CaseloadProfile, data: Canonical) -> Plan:
    plan = Plan()
    person_ids = plan.person_ids = _plan_people(profile, data, plan)
    case_ids = plan.case_ids = _plan_cases(profile, data, plan, person_ids)
    _plan_charges(profile, data, plan, case_ids)
    _plan_arrests(data, plan, person_ids, case_ids)
    _plan_priors(data, plan, person_ids)
    _plan_prior_counts(data, plan, person_ids)
    return plan


def _plan_people(profile: CaseloadProfile, data: Canonical, plan: Plan) -> dict[str, int | None]:
    ids = data.identifiers
    wanted = {
        (r["id_type"], r["issuer"], str(r["value"])): (r["pkey"], r[ROW])
        for r in ids.iter_rows(named=True)
    }
    owners: dict[tuple[str, str, str], int] = {}
    for part in chunks(sorted({v for _, _, v in wanted})):
        for row in PersonIdentifier.objects.filter(value__in=part).values(
            "id_type", "issuer", "value", "person_id"
        ):
            key = (row["id_type"], row["issuer"], row["value"])
            if key in wanted:
                owners[key] = row["person_id"]
    matched: dict[str, set[int]] = defaultdict(set)
    for key, (pkey, _) in wanted.items():
        if key in owners:
            matched[pkey].add(owners[key])
    person_ids: dict[str, int | None] = {}
    claimed: dict[int, str] = {}
    first_row = dict(zip(data.persons["pkey"], data.persons[ROW], strict=True))
    for pkey in data.persons["pkey"]:
        found = matched.get(pkey, set())
        if len(found) > 1:
            plan.problems.append(
                Problem(
                    first_row[pkey],
                    "identifier",
                    pkey.split("|")[-1],
                    "identifiers of this person belong to different people in OnTrack "
                    f"({sorted(found)})",
                )
            )
            continue
        pid = next(iter(found), None)
        if pid is not None and pid in claimed:
            plan.problems.append(
                Problem(
                    first_row[pkey],
                    "identifier",
                    pkey.split("|")[-1],
                    f"matches the same OnTrack person as row {first_row[claimed[pid]]}",
                )
            )
            continue
        if pid is not None:
            claimed[pid] = pkey
        person_ids[pkey] = pid
    fields = _mapped(profile.person)
    existing = {
        r["id"]: r for r in _existing(Person, "id", [p for p in person_ids.values() if p], fields)
    }
    create: list[bool] = []
    for wanted_row in rows(data.persons):
        pid = person_ids.get(wanted_row["pkey"], -1)
        create.append(pid is None)
        if pid is not None and pid != -1:  # -1: a problem was recorded above
            _compare(plan.person, existing[pid], wanted_row, fields, pid)
    plan.person.create = _where(data.persons, create)
    new_ids: dict[str, list[str]] = {"pkey": [], "id_type": [], "issuer": [], "value": []}
    for key, (pkey, _) in wanted.items():
        if key in owners:
            plan.identifier.unchanged += 1
        elif pkey in person_ids:
            for column, value in zip(new_ids, (pkey, *key), strict=True):
                new_ids[column].append(value)
    plan.identifier.create = pl.DataFrame(new_ids, schema=dict.fromkeys(new_ids, pl.String))
    return person_ids


def _plan_cases(
    profile: CaseloadProfile, data: Canonical, plan: Plan, person_ids: dict[str, int | None]
) -> dict[str, int | None]:
    fields = sorted({f for t in profile.cases for f in t.fields})
    dockets = [k.removeprefix("docket:") for k in data.cases["ckey"] if k.startswith("docket:")]
    sources = [k.removeprefix("source:") for k in data.cases["ckey"] if k.startswith("source:")]
    found: dict[str, dict[str, Any]] = {}
    for r in _existing(
        Case, "docket_number", dockets, ["defendant_id", "docket_number", "source_key", *fields]
    ):
        found["docket:" + r["docket_number"]] = r
    for r in _existing(
        Case, "source_key", sources, ["defendant_id", "docket_number", "source_key", *fields]
    ):
        found["source:" + r["source_key"]] = r
    case_ids: dict[str, int | None] = {}
    create: list[bool] = []
    for wanted_row in rows(data.cases):
        ckey, pkey = wanted_row["ckey"], wanted_row["pkey"]
        current = found.get(ckey)
        create.append(pkey in person_ids and current is None)
        if pkey not in person_ids:
            continue
        if current is None:
            case_ids[ckey] = None
            continue
        if current["defendant_id"] != person_ids[pkey]:
            plan.problems.append(
                Problem(
                    wanted_row[ROW],
                    "docket_number",
                    ckey.split(":", 1)[1],
                    "this case belongs to another person in OnTrack",
                )
            )
            continue
        case_ids[ckey] = current["id"]
        _compare(plan.case, current, wanted_row, fields, current["id"])
    plan.case.create = _where(data.cases, create)
    return case_ids


def _plan_charges(
    profile: CaseloadProfile, data: Canonical, plan: Plan, case_ids: dict[str, int | None]
) -> None:
    fields = sorted(
        {f for t in profile.cases for c in t.children.get("charge", ()) for f in c.fields}
        - {"count_number"}
    )
    known = [cid for cid in case_ids.values() if cid]
    existing = {
        (r["case_id"], r["count_number"]): r
        for r in _existing(Charge, "case_id", known, ["case_id", "count_number", *fields])
    }
    create: list[bool] = []
    for wanted_row in rows(data.charges):
        create.append(False)
        if wanted_row["ckey"] not in case_ids:
            continue
        if wanted_row["count_number"] is None:
            plan.problems.append(
                Problem(wanted_row[ROW], "count_number", "", "a charge needs its count number")
            )
            continue
        cid = case_ids[wanted_row["ckey"]]
        current = existing.get((cid, wanted_row["count_number"])) if cid else None
        if current is None:
            create[-1] = True
        else:
            _compare(plan.charge, current, wanted_row, fields, current["id"])
    plan.charge.create = _where(data.charges, create)


def _plan_arrests(
    data: Canonical, plan: Plan, person_ids: dict[str, int | None], case_ids: dict[str, int | None]
) -> None:
    fields = ["arrest_date"]
    bookings = data.arrests["booking_number"].to_list()
    existing = {
        (r["agency"], r["booking_number"]): r
        for r in _existing(
            Arrest,
            "booking_number",
            bookings,
            ["agency", "booking_number", "person_id", "case_id", *fields],
        )
    }
    create: list[bool] = []
    for wanted_row in rows(data.arrests):
        create.append(False)
        if wanted_row["pkey"] not in person_ids or wanted_row["ckey"] not in case_ids:
            continue
        if not wanted_row["agency"] or wanted_row["arrest_date"] is None:
            plan.problems.append(
                Problem(
                    wanted_row[ROW],
                    "booking_number",
                    wanted_row["booking_number"],
                    "an arrest needs its agency and date",
                )
            )
            continue
        current = existing.get((wanted_row["agency"], wanted_row["booking_number"]))
        if current is None:
            create[-1] = True
        elif current["person_id"] != person_ids[wanted_row["pkey"]]:
            plan.problems.append(
                Problem(
                    wanted_row[ROW],
                    "booking_number",
                    wanted_row["booking_number"],
                    "this booking belongs to another person in OnTrack",
                )
            )
        else:
            _compare(plan.arrest, current, wanted_row, fields, current["id"])
    plan.arrest.create = _where(data.arrests, create)


PRIOR_FIELDS = [
    "record_type",
    "event_date",
    "level",
    "statute_code",
    "description",
    "category",
    "jurisdiction",
    "source",
]


def _plan_priors(data: Canonical, plan: Plan, person_ids: dict[str, int | None]) -> None:
    """A source's prior record is a set: replaced whole when it differs, like a new rap sheet."""
    wanted: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    sets: list[tuple[str, str] | None] = []  # each row's (person, source), None: not planned
    for r in rows(data.priors):
        sets.append((r["pkey"], r["source"]) if r["pkey"] in person_ids else None)
        if r["pkey"] in person_ids:
            wanted[(r["pkey"], r["source"])].append(tuple(r[f] for f in PRIOR_FIELDS))
    known = [pid for pid in person_ids.values() if pid]
    have: dict[tuple[int, str], list[tuple[Any, ...]]] = defaultdict(list)
    for r in _existing(PriorRecord, "person_id", known, ["person_id", *PRIOR_FIELDS]):
        have[(r["person_id"], r["source"])].append(tuple(r[f] for f in PRIOR_FIELDS))
    replaced: set[tuple[str, str]] = set()
    for (pkey, source), records in wanted.items():
        pid = person_ids[pkey]
        new = sorted(records, key=repr)
        old = sorted(have.get((pid, source), []), key=repr) if pid else []
        if pid and new == old:
            plan.prior.unchanged += len(records)
            continue
        if pid and old:
            plan.replace_priors.append((pid, source))
            plan.prior.update.append((pid, {"records": len(new)}, {"records": len(old)}))
        replaced.add((pkey, source))
    plan.prior.create = _where(data.priors, [s is not None and s in replaced for s in sets])


def _plan_prior_counts(data: Canonical, plan: Plan, person_ids: dict[str, int | None]) -> None:
    fields = ["as_of", "total", "juvenile_felonies", "juvenile_misdemeanors", "juvenile_other"]
    known = [pid for pid in person_ids.values() if pid]
    existing = {
        (r["person_id"], r["source"]): r
        for r in _existing(PriorCountSummary, "person_id", known, ["person_id", "source", *fields])
    }
    create: list[bool] = []
    for r in rows(data.prior_counts):
        create.append(False)
        if r["pkey"] not in person_ids:
            continue
        pid = person_ids[r["pkey"]]
        current = existing.get((pid, r["source"])) if pid else None
        if current is None:
            create[-1] = True
        else:
            _compare(plan.prior_counts, current, r, fields, current["id"])
    plan.prior_counts.create = _where(data.prior_counts, create)
