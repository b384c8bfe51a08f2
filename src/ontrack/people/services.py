"""Writes for people: keyword-only, with an actor, atomic, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
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
    "sex",
    "race",
    "phone",
    "email",
    "street_address",
    "city",
    "state",
    "postal_code",
)


@dataclass(frozen=True)
class NewIdentifier:
    id_type: str
    issuer: str
    value: str


def _validate(person: Person) -> None:
    problems: dict[str, str] = {}
    if not person.given_name.strip():
        problems["given_name"] = "required"
    if not person.family_name.strip():
        problems["family_name"] = "required"
    if person.date_of_birth is not None and person.date_of_birth > dt.date.today():
        problems["date_of_birth"] = "is in the future"
    try:
        person.full_clean(exclude=["given_name", "family_name", "date_of_birth"])
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
    found = visible_people(actor=actor).select_for_update().filter(pk=person.pk).first()
    if found is None:
        raise NotFound
    person = found
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
    record_event(actor=actor, action="person.updated", target=person, changes=changed)
    return person


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
                "identifier": f"{ident.id_type} {ident.issuer} {value} is already recorded for "
                "another person"
            }
        ) from exc


@transaction.atomic
def add_identifier(*, actor: Any, person: Person, identifier: NewIdentifier) -> PersonIdentifier:
    ensure_permission(actor, "people.change_person")
    if not visible_people(actor=actor).filter(pk=person.pk).exists():
        raise NotFound  # CJIS AC-3, as in update_person
    created = _add_identifier(person, identifier)
    refresh_person_keys([person.pk])
    record_event(
        actor=actor,
        action="person.identifier_added",
        target=person,
        changes={"identifier": [None, f"{created.id_type}:{created.issuer}:{created.value}"]},
    )
    return created
