"""factory_boy factories for cases, arrests, charges and prior records."""

from __future__ import annotations

import datetime as dt

import factory

from ontrack.cases.models import Arrest, Case, Charge, PriorRecord
from ontrack.people.tests.factories import PersonFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    defendant = factory.SubFactory(PersonFactory)
    docket_number = factory.Sequence(lambda n: f"CRI-2025-{n:06d}")
    court = "San Francisco Superior Court"
    filing_date = dt.date(2025, 3, 4)
    status = "open"


class ChargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charge

    case = factory.SubFactory(CaseFactory)
    count_number = factory.Sequence(lambda n: n + 1)
    statute_code = "HS 11351"
    description = "Possession for sale of a narcotic controlled substance"
    level = "felony"
    offense_date = dt.date(2025, 3, 1)
    weapon_alleged = False
    gang_alleged = False
    near_school_alleged = False
    disposition = "pending"


class ArrestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arrest

    case = factory.SubFactory(CaseFactory)
    person = factory.SelfAttribute("case.defendant")
    arrest_date = dt.date(2025, 3, 1)
    agency = "SFPD"
    booking_number = factory.Sequence(lambda n: f"25{n:06d}")


class PriorRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorRecord

    person = factory.SubFactory(PersonFactory)
    record_type = "conviction"
    event_date = dt.date(2020, 6, 1)
    level = "misdemeanor"
    statute_code = "PC 484"
    description = "Petty theft"
    category = "property"
    jurisdiction = "CA"
    source = "test"
