"""Reads of people, filtered to what the actor may see. Missing and forbidden look alike."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from ontrack.common.errors import NotFound
from ontrack.people.models import Person, PersonAlias


def visible_people(*, actor: Any) -> QuerySet[Person]:
    if not actor.has_perm("people.view_person"):
        return Person.objects.none()
    return Person.objects.all()


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
