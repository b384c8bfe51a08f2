"""factory_boy factories for people (synthetic: Faker, never real people)."""

from __future__ import annotations

import datetime as dt

import factory

from ontrack.people.models import IdentifierType, Person, PersonAlias, PersonIdentifier


class PersonFactory(factory.django.DjangoModelFactory):
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


class PersonAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonAlias

    person = factory.SubFactory(PersonFactory)
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")


class PersonIdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonIdentifier

    person = factory.SubFactory(PersonFactory)
    id_type = IdentifierType.STATE_ID
    issuer = "CA"
    value = factory.Sequence(lambda n: f"A{n:08d}")
