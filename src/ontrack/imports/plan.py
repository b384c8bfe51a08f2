"""Working out what an import would change: match by natural keys, compare, count.

Reading only: every lookup is a set query over the file's keys, and the result is a plan
of creates and updates per record type. Records whose keys match nothing in the database
are selected as frames (no Python per row); only matched records are compared in Python.
Conflicts (an identifier or case number that OnTrack already gives to someone else) are
problems, found before anything is written.
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
from ontrack.imports.profiles import CaseloadProfile, Template
from ontrack.ingest.problems import Problem
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


@dataclass(frozen=True)
class PriorReplacement:
    """A person's prior record from one source, replaced whole by the file's (audited)."""

    person_id: int
    source: str
    old: list[dict[str, Any]]
    new: list[dict[str, Any]]


@dataclass
class Plan:
    person: Changes = field(default_factory=Changes)
    identifier: Changes = field(default_factory=Changes)
    case: Changes = field(default_factory=Changes)
    charge: Changes = field(default_factory=Changes)
    arrest: Changes = field(default_factory=Changes)
    prior: Changes = field(default_factory=Changes)
    prior_counts: Changes = field(default_factory=Changes)
    replace_priors: list[PriorReplacement] = field(default_factory=list)
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
    if keys and not model._default_manager.exists():
        # Nothing to match against (a first load): skip preparing every key for the query.
        return found
    for part in chunks(keys):
        found.extend(model._default_manager.filter(**{f"{lookup}__in": part}).values("id", *fields))
    return found


def make_plan(profile: CaseloadProfile, data: Canonical) -> Plan:
    """The plan; consumes ``data``: each canonical frame is let go once its records are
    planned, so the file's records are not held twice (they are most of the peak memory)."""
    plan = Plan()
    person_ids = plan.person_ids = _plan_people(profile, data, plan)
    data.persons = data.identifiers = pl.DataFrame()
    case_ids = plan.case_ids = _plan_cases(profile, data, plan, person_ids)
    data.cases = pl.DataFrame()
    _plan_charges(profile, data, plan, case_ids)
    data.charges = pl.DataFrame()
    _plan_arrests(data, plan, person_ids, case_ids)
    data.arrests = pl.DataFrame()
    _plan_priors(data, plan, person_ids)
    data.priors = pl.DataFrame()
    _plan_prior_counts(data, plan, person_ids)
    data.prior_counts = pl.DataFrame()
    return plan


def _in(name: str, keys: Any) -> pl.Expr:
    return pl.col(name).is_in(pl.Series(list(keys), dtype=pl.String).implode())


ID_SCHEMA = {"id_type": pl.String, "issuer": pl.String, "value": pl.String}


def _plan_people(profile: CaseloadProfile, data: Canonical, plan: Plan) -> dict[str, int | None]:
    ids = data.identifiers.with_columns(pl.col("value").cast(pl.String))
    found: list[tuple[str, str, str, int]] = []
    values = ids.get_column("value").unique().sort().to_list()
    for part in chunks(values if PersonIdentifier.objects.exists() else []):
        found.extend(
            PersonIdentifier.objects.filter(value__in=part).values_list(
                "id_type", "issuer", "value", "person_id"
            )
        )
    owners = pl.DataFrame(found, schema={**ID_SCHEMA, "person_id": pl.Int64}, orient="row")
    hits = ids.join(owners, on=list(ID_SCHEMA), how="inner")
    matched: dict[str, set[int]] = defaultdict(set)
    for pkey, pid in hits.select("pkey", "person_id").iter_rows():
        matched[pkey].add(pid)
    person_ids: dict[str, int | None] = dict.fromkeys(data.persons.get_column("pkey").to_list())
    claimed: dict[int, str] = {}
    first_row = {}
    for pkey, row in data.persons.filter(_in("pkey", matched)).select("pkey", ROW).iter_rows():
        first_row[pkey] = row
        found_ids = matched[pkey]
        if len(found_ids) > 1:
            del person_ids[pkey]
            plan.problems.append(
                Problem(
                    row,
                    "identifier",
                    pkey.split("|")[-1],
                    "identifiers of this person belong to different people in OnTrack "
                    f"({sorted(found_ids)})",
                )
            )
            continue
        pid = next(iter(found_ids))
        if pid in claimed:
            del person_ids[pkey]
            plan.problems.append(
                Problem(
                    row,
                    "identifier",
                    pkey.split("|")[-1],
                    f"matches the same OnTrack person as row {first_row[claimed[pid]]}",
                )
            )
            continue
        claimed[pid] = pkey
        person_ids[pkey] = pid
    fields = _mapped(profile.person)
    existing = {r["id"]: r for r in _existing(Person, "id", list(claimed), fields)}
    for wanted_row in rows(data.persons.filter(_in("pkey", claimed.values()))):
        pid = person_ids[wanted_row["pkey"]]
        assert pid is not None
        _compare(plan.person, existing[pid], wanted_row, fields, pid)
    plan.person.create = data.persons.filter(
        _in("pkey", [k for k, v in person_ids.items() if v is None])
    )
    plan.identifier.unchanged = hits.height
    plan.identifier.create = (
        ids.join(owners, on=list(ID_SCHEMA), how="anti")
        .filter(_in("pkey", person_ids))
        .select("pkey", *ID_SCHEMA)
    )
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
    cases = data.cases.filter(_in("pkey", person_ids))
    plan.case.create = cases.filter(~_in("ckey", found))
    case_ids: dict[str, int | None] = dict.fromkeys(plan.case.create.get_column("ckey").to_list())
    for wanted_row in rows(cases.filter(_in("ckey", found))):
        ckey, pkey = wanted_row["ckey"], wanted_row["pkey"]
        current = found[ckey]
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
    return case_ids


def _plan_charges(
    profile: CaseloadProfile, data: Canonical, plan: Plan, case_ids: dict[str, int | None]
) -> None:
    fields = sorted(
        {f for t in profile.cases for c in t.children.get("charge", ()) for f in c.fields}
        - {"count_number"}
    )
    charges = data.charges.filter(_in("ckey", case_ids))
    for row in charges.filter(pl.col("count_number").is_null()).get_column(ROW):
        plan.problems.append(Problem(row, "count_number", "", "a charge needs its count number"))
    charges = charges.filter(pl.col("count_number").is_not_null())
    known = {k: cid for k, cid in case_ids.items() if cid}
    existing = {
        (r["case_id"], r["count_number"]): r
        for r in _existing(
            Charge, "case_id", list(known.values()), ["case_id", "count_number", *fields]
        )
    }
    also: list[str] = []  # new counts on existing cases
    for wanted_row in rows(charges.filter(_in("ckey", known))):
        current = existing.get((known[wanted_row["ckey"]], wanted_row["count_number"]))
        if current is None:
            also.append(wanted_row["chkey"])
        else:
            _compare(plan.charge, current, wanted_row, fields, current["id"])
    plan.charge.create = charges.filter(~_in("ckey", known) | _in("chkey", also))


def _plan_arrests(
    data: Canonical, plan: Plan, person_ids: dict[str, int | None], case_ids: dict[str, int | None]
) -> None:
    fields = ["arrest_date"]
    arrests = data.arrests.filter(_in("pkey", person_ids) & _in("ckey", case_ids))
    incomplete = (
        pl.col("agency").is_null() | (pl.col("agency") == "") | pl.col("arrest_date").is_null()
    )
    for row, booking in arrests.filter(incomplete).select(ROW, "booking_number").iter_rows():
        plan.problems.append(
            Problem(row, "booking_number", booking, "an arrest needs its agency and date")
        )
    arrests = arrests.filter(~incomplete)
    existing = {
        f"{r['agency']}#{r['booking_number']}": r
        for r in _existing(
            Arrest,
            "booking_number",
            arrests.get_column("booking_number").to_list(),
            ["agency", "booking_number", "person_id", "case_id", *fields],
        )
    }
    for wanted_row in rows(arrests.filter(_in("akey", existing))):
        current = existing[wanted_row["akey"]]
        if current["person_id"] != person_ids[wanted_row["pkey"]]:
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
    plan.arrest.create = arrests.filter(~_in("akey", existing))


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
    priors = data.priors.filter(_in("pkey", person_ids)).with_columns(
        pl.concat_str(["pkey", pl.col("source").fill_null("")], separator="\x1f").alias("__set")
    )
    known = {k: pid for k, pid in person_ids.items() if pid}
    wanted: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for r in rows(priors.filter(_in("pkey", known))):
        wanted[(r["pkey"], r["source"])].append(tuple(r[f] for f in PRIOR_FIELDS))
    have: dict[tuple[int, str], list[tuple[Any, ...]]] = defaultdict(list)
    for r in _existing(
        PriorRecord, "person_id", list(known.values()), ["person_id", *PRIOR_FIELDS]
    ):
        have[(r["person_id"], r["source"])].append(tuple(r[f] for f in PRIOR_FIELDS))
    replaced: list[str] = []
    for (pkey, source), records in wanted.items():
        pid = known[pkey]
        new = sorted(records, key=repr)
        old = sorted(have.get((pid, source), []), key=repr)
        if new == old:
            plan.prior.unchanged += len(records)
            continue
        if old:
            plan.replace_priors.append(
                PriorReplacement(
                    pid,
                    source,
                    [dict(zip(PRIOR_FIELDS, r, strict=True)) for r in old],
                    [dict(zip(PRIOR_FIELDS, r, strict=True)) for r in new],
                )
            )
            plan.prior.update.append((pid, {"records": len(new)}, {"records": len(old)}))
        replaced.append(f"{pkey}\x1f{source}")
    plan.prior.create = priors.filter(~_in("pkey", known) | _in("__set", replaced)).drop("__set")


def _plan_prior_counts(data: Canonical, plan: Plan, person_ids: dict[str, int | None]) -> None:
    fields = ["as_of", "total", "juvenile_felonies", "juvenile_misdemeanors", "juvenile_other"]
    known = {k: pid for k, pid in person_ids.items() if pid}
    existing = {
        (r["person_id"], r["source"]): r
        for r in _existing(
            PriorCountSummary, "person_id", list(known.values()), ["person_id", "source", *fields]
        )
    }
    counts = data.prior_counts.filter(_in("pkey", person_ids))
    also: list[str] = []
    for r in rows(counts.filter(_in("pkey", known))):
        current = existing.get((known[r["pkey"]], r["source"]))
        if current is None:
            also.append(r["pckey"])
        else:
            _compare(plan.prior_counts, current, r, fields, current["id"])
    plan.prior_counts.create = counts.filter(~_in("pkey", known) | _in("pckey", also))
