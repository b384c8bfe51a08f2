"""Reads of people, filtered to what the actor may see. Missing and forbidden look alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from ontrack.common.errors import NotFound
from ontrack.people.models import Person, PersonAlias

# The visibility rule (CJIS AC-3/AC-6) lives in ``cases/visibility.py``: a person is visible
# through their cases, and people sits below cases in the layers. The cases app registers
# the rule here from its ``AppConfig.ready``; until it has, nobody is visible (deny by default).
_person_condition: Callable[[Any], Q | None] | None = None


def register_visibility(condition: Callable[[Any], Q | None]) -> None:
    global _person_condition  # set once, at start-up
    _person_condition = condition


def visible_people(*, actor: Any) -> QuerySet[Person]:
    """The people ``actor`` may see: the one rule, ``cases.visibility.person_condition``."""
    where = _person_condition(actor) if _person_condition is not None else None
    if where is None:
        return Person.objects.none()
    return Person.objects.filter(where)


def get_person(*, actor: Any, person_id: int) -> Person:
    person = (
        visible_people(actor=actor)
        .prefetch_related(
            "identifiers", Prefetch("aliases", queryset=PersonAlias.objects.order_by("id"))
        )
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise NotFound
    return person


def name_filter(query: str, prefix: str = "") -> Q:
    """People whose name or alias matches every word of ``query`` (case-insensitive).

    ``prefix`` lets the cases app reuse the same rule through ``defendant__``.
    """
    condition = Q()
    for word in query.split():
        condition &= (
            Q(**{f"{prefix}given_name__icontains": word})
            | Q(**{f"{prefix}family_name__icontains": word})
            | Q(**{f"{prefix}aliases__family_name__icontains": word})
            | Q(**{f"{prefix}aliases__given_name__icontains": word})
            | Q(**{f"{prefix}identifiers__value__iexact": word})
        )
    return condition
