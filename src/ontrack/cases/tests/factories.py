"""factory_boy factories for cases, arrests, charges and prior records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from ontrack.cases.models import Arrest, Case, Charge, PriorRecord
from ontrack.people.tests.factories import PersonFactory
from ontrack.programs.models import Program, ProgramMembership


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    defendant = factory.SubFactory(PersonFactory)
    docket_number = factory.Sequence(lambda n: f"CRI-2025-{n:06d}")
    court = "San Francisco Superior Court"
    filing_date = dt.date(2025, 3, 4)
    status = "open"
    # ``CaseFactory(case_manager=user)`` puts the case on that user's caseload: in the
    # "back-on-track" program, with the user a member (as ``services.assign_case`` requires).
    case_manager = None
    program = factory.Maybe(
        "case_manager",
        yes_declaration=factory.LazyAttribute(lambda o: program_with(o.case_manager)),
        no_declaration=None,
    )


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


def every_case_reader(username: str = "every-case-reader") -> Any:
    """A supervisor: sees the unrestricted cases of every program (``cases.view_all_cases``),
    for tests about something other than who may see what."""
    from django.contrib.auth.models import Group

    from ontrack.accounts.models import User
    from ontrack.accounts.roles import ROLES

    user, _ = User.objects.get_or_create(username=username)
    user.groups.add(Group.objects.get(name=ROLES["supervisor"].group_name))
    return User.objects.get(pk=user.pk)  # a fresh instance: no stale permission cache


def program_with(
    *members: Any, slug: str = "back-on-track", colleagues_see_caseloads: bool = False
) -> Program:
    """A program (made once per slug) with ``members`` in it."""
    program, _ = Program.objects.get_or_create(
        slug=slug,
        defaults={"name": slug.replace("-", " ").title(), "colleagues_see_caseloads": False},
    )
    if program.colleagues_see_caseloads != colleagues_see_caseloads:
        program.colleagues_see_caseloads = colleagues_see_caseloads
        program.save(update_fields=["colleagues_see_caseloads"])
    for member in members:
        ProgramMembership.objects.get_or_create(program=program, user=member)
    return program


def assign(case: Case, case_manager: Any, program: Program | None = None) -> Case:
    """Put ``case`` on ``case_manager``'s caseload (a member of ``program``, by default the
    "back-on-track" program), as ``cases.services.assign_case`` would."""
    program = program or program_with(case_manager)
    ProgramMembership.objects.get_or_create(program=program, user=case_manager)
    Case.objects.filter(pk=case.pk).update(program=program, case_manager=case_manager)
    case.refresh_from_db()
    return case
