from collections.abc import Collection
from typing import Any

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ontrack.people"
    label = "people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.audit import disclosure

        # Every value in a person's audit rows is personal: names, birth dates, contact
        # details, demographics, identifiers, aliases, priors (ADR 0033).
        disclosure.register("people.person", fields=disclosure.ALL, readable=readable_people)


def readable_people(actor: Any, ids: Collection[str]) -> Collection[str]:
    """The people among ``ids`` the actor may read (the one visibility rule, one query)."""
    from ontrack.audit.disclosure import int_ids
    from ontrack.people.selectors import visible_people

    found = visible_people(actor=actor).filter(pk__in=int_ids(ids))
    return [str(pk) for pk in found.values_list("pk", flat=True)]
