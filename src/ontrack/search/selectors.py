"""Finding people and cases: the one search interface (issue 9, item 4).

Every page, the referral intake, the API and the commands find people and cases through
these functions, so ranking and visibility are the same everywhere. Visibility is the rule of
``cases/visibility.py``, reached through ``visible_people`` and ``visible_cases``: what the
actor may not see is never a result, and never counted in a total.

How people and cases are found and ranked: ``finding.py`` (search) and ``matching.py``
(possible matches and duplicates), over the keys of ``people/search_keys.py`` (ADR 0044,
docs/search.md). Each call costs a constant number of queries, whatever the caseload.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from ontrack.people.models import Person
from ontrack.people.selectors import visible_people
from ontrack.search import finding, matching


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
    page, per_page = max(1, page), max(1, per_page)
    total, found = finding.find(actor, q)
    start = (page - 1) * per_page
    hits = [Hit(f.type, f.id, _label(f), f.score) for f in found[start : start + per_page]]  # type: ignore[arg-type]
    return SearchPage(total, hits, page, per_page)


def _label(found: finding.Found) -> str:
    """In words: "Garcia, Eric (born 1991-03-07)"; "CRI-2025-000123: Garcia, Eric"."""
    if found.type == "person":
        family, given, born, pk = found.label_parts
        name = Person(pk=pk, given_name=given or "", family_name=family or "").list_name
        birth = f"born {born.isoformat()}" if born else "date of birth not known"
        return f"{name} ({birth})"
    number, external, family, given, pk = found.label_parts
    name = Person(pk=pk, given_name=given or "", family_name=family or "").list_name
    also = f" (also {external})" if external else ""
    return f"{number}{also}: {name}"


def possible_matches(
    *,
    actor: Any,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    limit: int = 10,
) -> list[PersonMatch]:
    """Visible people who may be the person described (referral intake: before creating),
    best first: names tolerant of typos, accents and swapping, birth dates of a slip."""
    scored = matching.scored_matches(
        actor=actor, given_name=given_name, family_name=family_name, date_of_birth=date_of_birth
    )
    return [PersonMatch(s.person, s.score, s.reasons) for s in scored[:limit]]


def possible_duplicates(*, actor: Any, person: Person, limit: int = 10) -> list[PersonMatch]:
    """Other visible people who may be the same human as ``person`` (the person page): the
    same date of birth and a similar name. Nothing is said about a person the actor may not
    see, nor about anyone when the birth date is not known."""
    if person.date_of_birth is None:
        return []
    if not visible_people(actor=actor).filter(pk=person.pk).exists():
        return []
    scored = matching.scored_matches(
        actor=actor,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        exclude=person.pk,
    )
    same = [s for s in scored if s.birth == "same" and s.score >= DUPLICATE_SCORE]
    return [PersonMatch(s.person, s.score, s.reasons) for s in same[:limit]]


# Same birth date (0.4) and names at least 0.75 alike (0.6 x 0.75): a similar name, not
# only a shared birthday.
DUPLICATE_SCORE = matching.BIRTH_SHARE + matching.NAME_SHARE * matching.SIMILAR
