"""Writes for people: keyword-only, with an actor, atomic, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ontrack.audit.services import diff, record_event, snapshot
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import bump_version, ensure_permission
from ontrack.people.models import IdentifierType, Person, PersonAlias, PersonIdentifier
from ontrack.people.search_keys import refresh_person_keys
from ontrack.people.selectors import visible_people

EDITABLE_FIELDS = (
    "given_name",
    "middle_name",
    "family_name",
    "suffix",
    "date_of_birth",
    "birth_date_earliest",
    "birth_date_latest",
    "sex",
    "race",
    "phone",
    "email",
    "street_address",
    "city",
    "state",
    "postal_code",
)


BIRTH_FIELDS = ("date_of_birth", "birth_date_earliest", "birth_date_latest")


@dataclass(frozen=True)
class NewIdentifier:
    id_type: str
    issuer: str
    value: str


@dataclass(frozen=True)
class NewPerson:
    """A person to create together with the record that makes them visible (a case taken in
    at referral intake: ``cases.services.create_case``). ``fields``: ``EDITABLE_FIELDS``."""

    given_name: str
    family_name: str
    identifiers: tuple[NewIdentifier, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)


def _validate(person: Person) -> None:
    problems: dict[str, str] = {}
    if not person.given_name.strip():
        problems["given_name"] = "required"
    if not person.family_name.strip():
        problems["family_name"] = "required"
    today = dt.date.today()
    for name in ("date_of_birth", "birth_date_earliest", "birth_date_latest"):
        day = getattr(person, name)
        if day is not None and day > today:
            problems[name] = "is in the future"
    earliest, latest = person.birth_date_earliest, person.birth_date_latest
    if person.date_of_birth is not None and (earliest is not None or latest is not None):
        # One or the other: a known birth date makes a range meaningless (and the engine
        # would have two answers for the age).
        problems["birth_date_earliest"] = (
            "give either the date of birth or a birth-date range, not both"
        )
    elif earliest is not None and latest is not None and earliest > latest:
        problems["birth_date_latest"] = "is before the earliest possible date of birth"
    try:
        person.full_clean(exclude=["given_name", "family_name", *BIRTH_FIELDS])
    except ValidationError as exc:
        problems.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if problems:
        raise ValidationFailed(problems)


@transaction.atomic
def create_person(
    *,
    actor: Any,
    given_name: str,
    family_name: str,
    identifiers: Iterable[NewIdentifier] = (),
    aliases: Iterable[tuple[str, str]] = (),
    **fields: Any,
) -> Person:
    ensure_permission(actor, "people.add_person")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(dict.fromkeys(sorted(unknown), "not a person field"))
    aliases = list(aliases)
    # The same name twice is one alias given twice: refuse it by name before anything is
    # written (the unique constraint would otherwise answer with a database error).
    seen: set[tuple[str, str]] = set()
    for n, alias in enumerate(aliases):
        if alias in seen:
            raise ValidationFailed({f"aliases[{n}]": "this alias is already given above"})
        seen.add(alias)
    person = Person(given_name=given_name, family_name=family_name, **fields)
    _validate(person)
    person.save()
    for ident in identifiers:
        _add_identifier(person, ident)
    for alias_given, alias_family in aliases:
        PersonAlias.objects.create(person=person, given_name=alias_given, family_name=alias_family)
    refresh_person_keys([person.pk])  # found by search from the moment it exists
    record_event(
        actor=actor,
        action="person.created",
        target=person,
        changes={
            k: [None, v]
            for k, v in snapshot(person, EDITABLE_FIELDS).items()
            if v not in ("", None)
        },
        details={
            "identifiers": [f"{i.id_type}:{i.issuer}:{i.value}" for i in person.identifiers.all()],
            "aliases": [str(a) for a in person.aliases.all()],
        },
    )
    return person


@transaction.atomic
def update_person(*, actor: Any, person: Person, expected_version: int, **changes: Any) -> Person:
    """Change a person's facts; refused if someone else changed them since ``expected_version``."""
    ensure_permission(actor, "people.change_person")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(dict.fromkeys(sorted(unknown), "not a person field"))
    # CJIS AC-3: who cannot see a person cannot change them; the refusal looks like "missing".
    person = _person_for_update(actor, person)
    before = snapshot(person, EDITABLE_FIELDS)
    for name, value in changes.items():
        setattr(person, name, value)
    _validate(person)
    changed = diff(before, snapshot(person, EDITABLE_FIELDS))
    if not changed:
        return person
    bump_version(person, expected_version)
    person.save(update_fields=[*changed, "updated_at"])
    refresh_person_keys([person.pk])
    record_event(
        actor=actor,
        action="person.updated",
        target=person,
        changes=changed,
        details={"version": person.row_version},
    )
    return person


def _person_for_update(actor: Any, person: Person) -> Person:
    """The person, locked, or ``NotFound`` when the actor may not see them (CJIS AC-3)."""
    found = visible_people(actor=actor).select_for_update().filter(pk=person.pk).first()
    if found is None:
        raise NotFound
    return found


def _add_identifier(person: Person, ident: NewIdentifier) -> PersonIdentifier:
    if ident.id_type not in IdentifierType.values:
        raise ValidationFailed({"id_type": f"unknown identifier type {ident.id_type!r}"})
    value = ident.value.strip()
    if not value or not ident.issuer.strip():
        raise ValidationFailed({"identifier": "type, issuer and value are all required"})
    try:
        with transaction.atomic():
            return PersonIdentifier.objects.create(
                person=person, id_type=ident.id_type, issuer=ident.issuer.strip(), value=value
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            {
                "identifier": f"{IdentifierType(ident.id_type).label} {ident.issuer} {value} is "
                "already recorded for another person"
            }
        ) from exc


@transaction.atomic
def add_identifier(
    *,
    actor: Any,
    person: Person,
    identifier: NewIdentifier,
    expected_version: int | None = None,
) -> PersonIdentifier:
    """Add an identifier. A form passes the person's version it read (a stale form is
    refused); ``None`` is for callers that hold no version (imports, the CLI)."""
    ensure_permission(actor, "people.change_person")
    person = _person_for_update(actor, person)  # CJIS AC-3, as in update_person
    created = _add_identifier(person, identifier)
    details = _bump(person, expected_version)
    refresh_person_keys([person.pk])
    record_event(
        actor=actor,
        action="person.identifier_added",
        target=person,
        changes={"identifier": [None, _identifier_text(created)]},
        details=details,
    )
    return created


def _identifier_text(ident: PersonIdentifier) -> str:
    return f"{ident.id_type}:{ident.issuer}:{ident.value}"


def _bump(person: Person, expected_version: int | None) -> dict[str, Any]:
    """Advance the person's version (when the caller read one) and say so in the audit row,
    which is how a stale form finds what changed since (``cases.selectors.edits_since``)."""
    if expected_version is None:
        return {}
    bump_version(person, expected_version)
    person.save(update_fields=["updated_at"])
    return {"version": person.row_version}


@transaction.atomic
def remove_identifier(
    *, actor: Any, person: Person, identifier_id: int, expected_version: int
) -> None:
    """Remove one of the person's identifiers (a wrong booking number, a mistyped CII)."""
    ensure_permission(actor, "people.change_person")
    person = _person_for_update(actor, person)
    found = person.identifiers.filter(pk=identifier_id).first()
    if found is None:
        raise NotFound
    text = _identifier_text(found)
    found.delete()
    details = _bump(person, expected_version)
    refresh_person_keys([person.pk])  # a removed identifier no longer finds them
    record_event(
        actor=actor,
        action="person.identifier_removed",
        target=person,
        changes={"identifier": [text, None]},
        details=details,
    )


# The kinds of alias (PersonAlias.kind), in words.
ALIAS_KINDS = {
    "aka": "Also known as",
    "nickname": "Nickname",
    "maiden": "Maiden or former name",
    "booking": "Name booked under",
}


@transaction.atomic
def add_alias(
    *,
    actor: Any,
    person: Person,
    expected_version: int,
    family_name: str,
    given_name: str = "",
    kind: str = "aka",
) -> PersonAlias:
    ensure_permission(actor, "people.change_person")
    person = _person_for_update(actor, person)
    problems: dict[str, str] = {}
    family, given = family_name.strip(), given_name.strip()
    if not family:
        problems["family_name"] = "required"
    if kind not in ALIAS_KINDS:
        problems["kind"] = f"{kind!r} is not one of {', '.join(ALIAS_KINDS)}"
    if not problems and person.aliases.filter(given_name=given, family_name=family).exists():
        problems["family_name"] = f"{given} {family} is already recorded for this person".strip()
    if problems:
        raise ValidationFailed(problems)
    alias = PersonAlias.objects.create(
        person=person, given_name=given, family_name=family, kind=kind
    )
    details = _bump(person, expected_version)
    refresh_person_keys([person.pk])  # found by the alias from now on
    record_event(
        actor=actor,
        action="person.alias_added",
        target=person,
        changes={"alias": [None, f"{alias} ({kind})"]},
        details=details,
    )
    return alias


@transaction.atomic
def remove_alias(*, actor: Any, person: Person, alias_id: int, expected_version: int) -> None:
    ensure_permission(actor, "people.change_person")
    person = _person_for_update(actor, person)
    alias = person.aliases.filter(pk=alias_id).first()
    if alias is None:
        raise NotFound
    text = f"{alias} ({alias.kind})"
    alias.delete()
    details = _bump(person, expected_version)
    refresh_person_keys([person.pk])
    record_event(
        actor=actor,
        action="person.alias_removed",
        target=person,
        changes={"alias": [text, None]},
        details=details,
    )
