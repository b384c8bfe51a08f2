"""factory_boy factories for enrollments and their transitions."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.models import Enrollment


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """``EnrollmentFactory(case=CaseFactory(case_manager=user))``: an enrollment in the case's
    program (the case's program must be set; the default case has one through its manager
    when given, otherwise pass ``program``)."""

    class Meta:
        model = Enrollment

    case = factory.SubFactory(CaseFactory)
    program = factory.LazyAttribute(lambda o: o.case.program)
    state = State.ACTIVE
    phase = factory.LazyAttribute(lambda o: 1 if o.state == State.ACTIVE else None)
    state_since = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2025, 6, 2, 9, 0)))
