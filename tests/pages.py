"""Every page of the URLconf with a real object behind each id, for tests that walk them all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter

from ontrack.accounts.models import User
from ontrack.accounts.services import system_actor
from ontrack.accounts.tokens import issue_token
from ontrack.cases.tests.factories import PriorRecordFactory
from ontrack.common.tests.test_access import walk
from ontrack.eligibility.services import screen_case
from ontrack.eligibility.tests.helpers import POLICY, prepared_case


@dataclass(frozen=True)
class Page:
    name: str
    url: str


def sample_records() -> dict[str, Any]:
    """One of each record a URL names: a case with its defendant, a screening, a policy."""
    reader = User.objects.create_superuser(username="header-walker", password="x" * 16)
    case = prepared_case()
    screening = screen_case(actor=reader, case=case, policy=POLICY)
    member = User.objects.create_user(username="walk-staff-member", password="x" * 16)
    charge = case.charges.first()
    assert charge is not None
    prior = PriorRecordFactory(person=case.defendant)
    records = {
        "charge_id": charge.pk,
        "prior_id": prior.pk,
        "fact": "work_authorization",
        "user_id": member.pk,
        "reader": reader,
        "case_id": case.pk,
        "person_id": case.defendant_id,
        "screening_id": screening.pk,
        "slug": POLICY,
        # An API token of the staff member (its revoke page on the staff account page).
        "prefix": issue_token(actor=system_actor(), username=member.username, scope="read")[
            0
        ].prefix,
    }
    # The program at work: each app's walk module adds one of each record its URLs name.
    from tests.test_program_visibility_walk import MODULES

    for module in MODULES:
        if hasattr(module, "samples"):
            records.update(module.samples(records, case))
    return records


def every_page(records: dict[str, Any]) -> list[Page]:
    pages = []
    for name, _view, converters in walk(get_resolver().url_patterns):
        kwargs = {}
        for key, converter in converters.items():
            if key not in records:
                raise AssertionError(f"{name}: no sample record for the URL parameter {key!r}")
            assert isinstance(converter, IntConverter | SlugConverter), (name, key)
            kwargs[key] = records[key]
        pages.append(Page(name, reverse(name, kwargs=kwargs)))
    return pages
