"""Finding people and cases: the one search interface (issue 9, item 4).

Every page, the referral intake, the API and the commands find people and cases through
these functions, so ranking and visibility are the same everywhere. Visibility is the rule of
``cases/visibility.py``, reached through ``visible_people`` and ``visible_cases``: what the
actor may not see is never a result, and never counted in a total.

This first version is the interface with a plain implementation (exact birth date, names
containing the words); the ranked, typo-tolerant search replaces the bodies, not the
signatures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from ontrack.cases.selectors import visible_cases
from ontrack.people.models import Person
from ontrack.people.selectors import name_filter, visible_people


@dataclass(frozen=True)
class Hit:
    """One search result. ``score`` orders results (higher is better, 0 < score ≤ 1)."""

    type: Literal["person", "case"]
    id: int
    label: str  # "Garcia, Eric (born 1991-03-07)" or "CR-2024-000123: Garcia, Eric"
    score: float


@dataclass(frozen=True)
class SearchPage:
    total: int  # every visible match, not only this page
    hits: list[Hit]
    page: int
    per_page: int


@dataclass(frozen=True)
class PersonMatch:
    """A person who may be the same human as the one described, with why."""

    person: Person
    score: float
    reasons: list[str]  # in words: "same date of birth", "similar family name"


def search(*, actor: Any, q: str, page: int = 1, per_page: int = 25) -> SearchPage:
    """People and cases matching ``q``, best first, one page of them with the total."""
    q = q.strip()
    if not q:
        return SearchPage(0, [], page, per_page)
    people = visible_people(actor=actor).filter(name_filter(q)).distinct().order_by("pk")
    cases = (
        visible_cases(actor=actor).filter(docket_number__icontains=q).select_related("defendant")
    )
    hits = [Hit("person", p.pk, p.list_name, 0.5) for p in people[:500]]
    hits += [Hit("case", c.pk, f"{c}: {c.defendant.list_name}", 0.5) for c in cases[:500]]
    start = (page - 1) * per_page
    return SearchPage(len(hits), hits[start : start + per_page], page, per_page)


def possible_matches(
    *,
    actor: Any,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    limit: int = 10,
) -> list[PersonMatch]:
    """Visible people who may be the person described (referral intake: before creating)."""
    found = visible_people(actor=actor).filter(family_name__iexact=family_name.strip())
    matches = []
    for person in found.order_by("pk")[:limit]:
        reasons = ["same family name"]
        if date_of_birth is not None and person.date_of_birth == date_of_birth:
            reasons.append("same date of birth")
        matches.append(PersonMatch(person, 0.5 + 0.25 * (len(reasons) - 1), reasons))
    return sorted(matches, key=lambda m: -m.score)


def possible_duplicates(*, actor: Any, person: Person, limit: int = 10) -> list[PersonMatch]:
    """Other visible people who may be the same human as ``person`` (the person page)."""
    matches = possible_matches(
        actor=actor,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        limit=limit + 1,
    )
    return [m for m in matches if m.person.pk != person.pk][:limit]
