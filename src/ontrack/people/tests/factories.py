"""factory_boy factories for people (synthetic: Faker, never real people)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from ontrack.people.models import IdentifierType, Person, PersonAlias, PersonIdentifier
from ontrack.people.search_keys import refresh_person_keys


class _Keyed(factory.django.DjangoModelFactory):
    """Keeps the search keys current, as every writer of people does (ADR 0044)."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance: Any, create: bool, results: Any = None) -> None:
        super()._after_postgeneration(instance, create, results)
        if create:
            refresh_person_keys([getattr(instance, "person_id", None) or instance.pk])


class PersonFactory(_Keyed):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = factory.Faker(
        "date_between", start_date=dt.date(1975, 1, 1), end_date=dt.date(2006, 1, 1)
    )
    sex = "male"
    race = "black"
    city = "San Francisco"
    state = "CA"


class PersonAliasFactory(_Keyed):
    class Meta:
        model = PersonAlias

    person = factory.SubFactory(PersonFactory)
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")


class PersonIdentifierFactory(_Keyed):
    class Meta:
        model = PersonIdentifier

    person = factory.SubFactory(PersonFactory)
    id_type = IdentifierType.STATE_ID
    issuer = "CA"
    value = factory.Sequence(lambda n: f"A{n:08d}")
