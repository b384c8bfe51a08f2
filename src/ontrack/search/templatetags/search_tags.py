"""The person page's "Possible duplicates" block, as one inclusion tag: the person page is
served by the cases app, which sits below search in the layers, so the block asks the
search selectors from here rather than from the cases view."""

from __future__ import annotations

from typing import Any

from django import template

from ontrack.people.models import Person
from ontrack.search.selectors import possible_duplicates as find_duplicates

register = template.Library()


@register.inclusion_tag("search/_possible_duplicates.html", takes_context=True)
def possible_duplicates(context: dict[str, Any], person: Person) -> dict[str, Any]:
    actor = context["request"].user
    return {"person": person, "duplicates": find_duplicates(actor=actor, person=person)}
