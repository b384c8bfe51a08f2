"""Import profiles: data files that map a source's columns onto OnTrack's records.

A profile declares every column it expects (type and rules), the columns it deliberately
ignores, and templates that turn each row into a person, cases, charges, arrests, prior
records and prior counts. Values are written in a small expression language::

    given_name                        # a column
    {const: Broward County Circuit Court}
    {column: sex, map: {Male: male, Female: female}}
    {format: "broward-compas:{id}:current"}
    {derive: birth_date_earliest_from_age, age: age, date: compas_screening_date}

The generic part (name, kind, feed, columns and their rules) is ``ingest.profiles``; this
module reads the caseload's ``records``. Profiles ship in ``imports/profiles/NAME.yaml`` and
sites add theirs in ``$ONTRACK_SITE_DIR/profiles/``; each is validated whole when loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ontrack.ingest.profiles import ColumnSpec, Profile

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"  # shipped; sites add their own
DERIVATIONS = {
    "birth_date_earliest_from_age",
    "birth_date_latest_from_age",
    "statute_code",
    "strip_parentheses",
}
TARGET_FIELDS: dict[str, set[str]] = {
    "person": {
        "given_name", "middle_name", "family_name", "suffix", "date_of_birth",
        "birth_date_earliest", "birth_date_latest", "sex", "race", "phone", "email",
        "street_address", "city", "state", "postal_code",
    },
    "case": {
        "docket_number", "source_key", "external_case_number", "court", "filing_date", "status",
    },
    "arrest": {"arrest_date", "agency", "booking_number"},
    "charge": {
        "count_number", "statute_code", "description", "level", "degree", "offense_date",
        "weapon_alleged", "gang_alleged", "near_school_alleged", "disposition",
    },
    "prior": {
        "record_type", "event_date", "level", "statute_code", "description", "category",
        "jurisdiction", "source",
    },
    "prior_counts": {
        "source", "as_of", "total", "juvenile_felonies", "juvenile_misdemeanors",
        "juvenile_other",
    },
    "identifier": {"id_type", "issuer", "value"},
}  # fmt: skip


@dataclass(frozen=True)
class Template:
    kind: str
    fields: dict[str, Any]
    when: dict[str, Any] | None = None
    children: dict[str, tuple[Template, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseloadProfile(Profile):
    person_key: Template
    person: Template
    identifiers: tuple[Template, ...]
    cases: tuple[Template, ...]
    priors: tuple[Template, ...]
    prior_counts: tuple[Template, ...]


class _Checker:
    def __init__(self, where: str, columns: dict[str, ColumnSpec]) -> None:
        self.where = where
        self.columns = columns
        self.problems: list[str] = []

    def fail(self, place: str, message: str) -> None:
        self.problems.append(f"{self.where}: {place}: {message}")

    def expression(self, place: str, spec: Any) -> None:
        if isinstance(spec, str):
            if spec not in self.columns:
                self.fail(place, f"refers to column {spec!r}, which is not declared")
            return
        if not isinstance(spec, dict) or not spec:
            self.fail(place, f"expected a column name or an expression, not {spec!r}")
            return
        if "const" in spec:
            if set(spec) != {"const"}:
                self.fail(place, "const takes nothing else")
        elif "column" in spec:
            self.expression(place, spec["column"])
            if "map" in spec and not isinstance(spec["map"], dict):
                self.fail(place, "map must be a mapping of source value to OnTrack value")
        elif "format" in spec:
            import string

            for _, name, _, _ in string.Formatter().parse(str(spec["format"])):
                if name:
                    self.expression(f"{place} format", name)
        elif "derive" in spec:
            if spec["derive"] not in DERIVATIONS:
                self.fail(
                    place, f"unknown derivation {spec['derive']!r}; known: {sorted(DERIVATIONS)}"
                )
            for arg, value in spec.items():
                if arg != "derive":
                    self.expression(f"{place} {arg}", value)
        else:
            self.fail(place, f"unknown expression {spec!r}")

    def template(self, kind: str, place: str, raw: Any, children: tuple[str, ...] = ()) -> Template:
        if not isinstance(raw, dict):
            self.fail(place, "expected a mapping")
            return Template(kind, {})
        fields = raw.get("fields") or {}
        unknown = set(fields) - TARGET_FIELDS[kind]
        for name in sorted(unknown):
            self.fail(f"{place}.fields.{name}", f"OnTrack's {kind} has no field {name!r}")
        for name, spec in fields.items():
            self.expression(f"{place}.fields.{name}", spec)
        when = raw.get("when")
        if when is not None:
            if not isinstance(when, dict) or not (
                {"present"} == set(when) or {"column", "equals"} == set(when)
            ):
                self.fail(
                    f"{place}.when", "use {present: COLUMN} or {column: COLUMN, equals: VALUE}"
                )
            else:
                self.expression(f"{place}.when", when.get("present") or when.get("column"))
        nested: dict[str, tuple[Template, ...]] = {}
        for child in children:
            items = raw.get(child + "s" if child != "arrest" else child) or []
            if child == "arrest" and items:
                items = [items]
            nested[child] = tuple(
                self.template(child, f"{place}.{child}[{i}]", item) for i, item in enumerate(items)
            )
        return Template(kind, dict(fields), when, nested)


def read_caseload_profile(
    document: dict[str, Any], where: str, common: dict[str, Any]
) -> tuple[CaseloadProfile, list[str]]:
    """The caseload part of a profile (``records``), on top of the generic fields."""
    columns: dict[str, ColumnSpec] = common["columns"]
    check = _Checker(where, columns)
    records = document.get("records") or {}
    person_raw = records.get("person") or {}
    key_raw = person_raw.get("key")
    person_key = check.template("identifier", "records.person.key", {"fields": key_raw or {}})
    if not key_raw:
        check.fail("records.person.key", "required: how a re-import finds the same person")
    person = check.template("person", "records.person", person_raw)
    identifiers = tuple(
        check.template("identifier", f"records.person.identifiers[{i}]", item)
        for i, item in enumerate(person_raw.get("identifiers") or [])
    )
    cases = tuple(
        check.template("case", f"records.cases[{i}]", item, children=("charge", "arrest"))
        for i, item in enumerate(records.get("cases") or [])
    )
    priors = tuple(
        check.template("prior", f"records.priors[{i}]", item)
        for i, item in enumerate(records.get("priors") or [])
    )
    prior_counts = tuple(
        check.template("prior_counts", f"records.prior_counts[{i}]", item)
        for i, item in enumerate(records.get("prior_counts") or [])
    )
    profile = CaseloadProfile(
        **common,
        person_key=person_key,
        person=person,
        identifiers=identifiers,
        cases=cases,
        priors=priors,
        prior_counts=prior_counts,
    )
    return profile, check.problems
