"""Import profiles: data files that map a source's columns onto OnTrack's records.

A profile declares every column it expects (type and rules), the columns it deliberately
ignores, and templates that turn each row into a person, cases, charges, arrests, prior
records and prior counts. Values are written in a small expression language::

    given_name                        # a column
    {const: Broward County Circuit Court}
    {column: sex, map: {Male: male, Female: female}}
    {format: "broward-compas:{id}:current"}
    {derive: birth_date_earliest_from_age, age: age, date: compas_screening_date}

Profiles live in ``imports/profiles/NAME.yaml`` and are validated whole when loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"
COLUMN_TYPES = {"text", "integer", "date", "boolean"}
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


class ProfileError(ValueError):
    """The profile file is invalid; the message lists every problem."""


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    required: bool = False
    unique: bool = False
    values: tuple[str, ...] | None = None  # allowed raw values (text columns)
    minimum: int | None = None
    maximum: int | None = None
    formats: tuple[str, ...] = ("%Y-%m-%d",)  # date formats, tried in order
    requires: tuple[str, ...] = ()  # columns that must be given whenever this one is
    true_values: tuple[str, ...] = ("true", "1", "yes", "y", "t")
    false_values: tuple[str, ...] = ("false", "0", "no", "n", "f")


@dataclass(frozen=True)
class Template:
    kind: str
    fields: dict[str, Any]
    when: dict[str, Any] | None = None
    children: dict[str, tuple[Template, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Profile:
    name: str
    feed: str
    description: str
    columns: dict[str, ColumnSpec]
    ignore: frozenset[str]
    person_key: Template
    person: Template
    identifiers: tuple[Template, ...]
    cases: tuple[Template, ...]
    priors: tuple[Template, ...]
    prior_counts: tuple[Template, ...]


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))


def load_profile(name: str) -> Profile:
    path = PROFILE_DIR / f"{name}.yaml"
    if "/" in name or not path.is_file():
        raise ProfileError(
            f"no import profile {name!r}; available: {', '.join(available_profiles())}"
        )
    return parse_profile(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


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


def parse_profile(document: Any, where: str) -> Profile:
    if not isinstance(document, dict):
        raise ProfileError(f"{where}: expected a mapping")
    columns: dict[str, ColumnSpec] = {}
    problems: list[str] = []
    for name, spec in (document.get("columns") or {}).items():
        spec = spec or {}
        kind = spec.get("type", "text")
        if kind not in COLUMN_TYPES:
            problems.append(
                f"{where}: columns.{name}.type: {kind!r} is not one of {sorted(COLUMN_TYPES)}"
            )
            continue
        columns[str(name)] = ColumnSpec(
            name=str(name),
            type=kind,
            required=bool(spec.get("required", False)),
            unique=bool(spec.get("unique", False)),
            values=tuple(str(v) for v in spec["values"]) if "values" in spec else None,
            minimum=spec.get("min"),
            maximum=spec.get("max"),
            formats=tuple(spec.get("formats", ["%Y-%m-%d"])),
            requires=tuple(str(c) for c in spec.get("requires") or ()),
        )
    for spec in columns.values():
        for other in spec.requires:
            if other not in columns:
                problems.append(
                    f"{where}: columns.{spec.name}.requires: {other!r} is not a declared column"
                )
    check = _Checker(where, columns)
    check.problems.extend(problems)
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
    for required in ("name", "feed"):
        if not document.get(required):
            check.fail(required, "required")
    if check.problems:
        raise ProfileError("\n".join(check.problems))
    return Profile(
        name=str(document["name"]),
        feed=str(document["feed"]),
        description=str(document.get("description", "")),
        columns=columns,
        ignore=frozenset(str(c) for c in document.get("ignore") or []),
        person_key=person_key,
        person=person,
        identifiers=identifiers,
        cases=cases,
        priors=priors,
        prior_counts=prior_counts,
    )
