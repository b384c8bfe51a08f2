"""Where a missing fact is supplied: the form, for one case, that each fact's ``form`` names.

The vocabulary (``vocabulary.py``) says, once per fact, who can supply it (``supplied_by``)
and which form does (``form``); this module turns that key into links for a case, so the
"needs information" lists on the screening and case pages link straight to the form and
templates hold no list of facts. The links carry ``next`` so that saving comes back here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode

from ontrack.cases.models import Case, Charge
from ontrack.eligibility.vocabulary import VOCABULARY


@dataclass(frozen=True)
class SupplyLink:
    text: str
    url: str


@dataclass(frozen=True)
class NeededFact:
    name: str  # for tests and ids; pages show ``label``
    label: str
    supplied_by: str
    links: list[SupplyLink]


def _charge_text(charge: Charge) -> str:
    what = charge.statute_code or charge.description or "no code"
    return f"Edit count {charge.count_number} ({what})"


def _person(case: Case, fact: str, charges: list[Charge]) -> list[SupplyLink]:
    return [
        SupplyLink("Edit the person's details", reverse("people:edit", args=[case.defendant_id]))
    ]


def _history(case: Case, fact: str, charges: list[Charge]) -> list[SupplyLink]:
    url = reverse("people:history", args=[case.defendant_id])
    return [SupplyLink("Record the criminal-history check and prior records", url)]


def _charges(case: Case, fact: str, charges: list[Charge]) -> list[SupplyLink]:
    links = [
        SupplyLink(_charge_text(c), reverse("cases:edit_charge", args=[case.pk, c.pk]))
        for c in charges
    ]
    return links or [SupplyLink("Add a charge", reverse("cases:add_charge", args=[case.pk]))]


def _case(case: Case, fact: str, charges: list[Charge]) -> list[SupplyLink]:
    return [SupplyLink("Edit the case", reverse("cases:edit", args=[case.pk]))]


def _fact(case: Case, fact: str, charges: list[Charge]) -> list[SupplyLink]:
    url = reverse("eligibility:record_fact", args=[case.pk, fact])
    return [SupplyLink(f"Record: {VOCABULARY[fact].label}", url)]


# The forms a fact's ``form`` key names (``Fact.form``).
FORMS: dict[str, Callable[[Case, str, list[Charge]], list[SupplyLink]]] = {
    "person": _person,
    "history": _history,
    "charges": _charges,
    "case": _case,
    "fact": _fact,
}


def needed_facts(
    case: Case, missing: Iterable[str], charges: list[Charge], back: str = ""
) -> list[NeededFact]:
    """Each missing fact in words, who can supply it, and the links to the form(s) that do.
    ``charges`` are the case's (read once by the caller); ``back`` is where saving returns."""
    out = []
    suffix = f"?{urlencode({'next': back})}" if back else ""
    for name in missing:
        fact = VOCABULARY.get(name)
        if fact is None:  # a policy naming a fact the vocabulary lost: say so, in words
            out.append(NeededFact(name, name.replace("_", " "), "not documented", []))
            continue
        links = FORMS[fact.form](case, name, charges) if fact.form else []
        out.append(
            NeededFact(
                name,
                fact.label,
                fact.supplied_by,
                [SupplyLink(link.text, link.url + suffix) for link in links],
            )
        )
    return out
