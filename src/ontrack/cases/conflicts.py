"""The other user's change, in words, for a stale form (principle 5: never a silent overwrite).

A form carries the version of the record it read. When the service refuses it
(``ConcurrentEdit``), the page shows what happened since: the audit rows on the record after
that version (``cases.selectors.edits_since``), each as who, when, and which fields went from
what to what, with the labels users read (a model field's verbose name, a choice's label),
never field names or stored values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from ontrack.audit.models import AuditEvent
from ontrack.cases.models import Case, Charge, PriorCountSummary, PriorRecord
from ontrack.people.models import Person

NOT_KNOWN = "not known"
ABSENT = "(none)"

ACTION_LABELS = {
    "person.updated": "changed the person",
    "person.identifier_added": "added an identifier",
    "person.identifier_removed": "removed an identifier",
    "person.alias_added": "added an alias",
    "person.alias_removed": "removed an alias",
    "person.prior_recorded": "recorded a prior record",
    "person.prior_updated": "changed a prior record",
    "person.prior_removed": "removed a prior record",
    "person.history_checked": "recorded a criminal-history check",
    "case.updated": "changed the case",
    "case.status_changed": "changed the case's status",
    "case.assigned": "assigned the case",
    "case.restriction_set": "changed the case's restriction",
    "case.charge_added": "added a charge",
    "case.charge_updated": "changed a charge",
    "case.charge_removed": "removed a charge",
}

# The models whose fields an edit names; the first that has the field gives its label.
_MODELS: tuple[type[models.Model], ...] = (Person, Case, Charge, PriorRecord, PriorCountSummary)
# Allegations are three choices (ADR 0004): recorded yes, recorded no, not recorded.
ALLEGATION_LABELS = {True: "alleged", False: "not alleged", None: NOT_KNOWN}
ALLEGATIONS = ("weapon_alleged", "gang_alleged", "near_school_alleged")
# Members of the record, added or removed whole: ``None`` means absent, not unknown.
_MEMBERS = {"alias": "Alias", "identifier": "Identifier", "prior_record": "Prior record"}


Words = Mapping[str, tuple[str, Mapping[Any, str]]]


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class OtherEdit:
    who: str
    when: str  # the office's local time, ISO
    what: str
    lines: list[ChangeLine]


def _field(name: str) -> models.Field[Any, Any] | None:
    for model in _MODELS:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.Field):
            return field
    return None


def field_label(name: str) -> str:
    field = _field(name)
    label = str(field.verbose_name) if field is not None else name.replace("_", " ")
    return label[:1].upper() + label[1:]


def value_text(name: str, value: Any) -> str:
    """A stored value in words: a choice's label, an allegation's three choices, "not known"."""
    if name in ALLEGATIONS:
        return ALLEGATION_LABELS.get(value, str(value))
    if value is None or value == "":
        return NOT_KNOWN
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label(k)}: {value_text(k, v)}" for k, v in value.items() if k != "id"
        )
    field = _field(name)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _line(key: str, change: Any, words_for: Words) -> ChangeLine:
    before, after = change if isinstance(change, list) and len(change) == 2 else (None, change)
    if key in words_for:  # a name the caller knows better (a case fact, from the vocabulary)
        label, values = words_for[key]
        return ChangeLine(
            label,
            NOT_KNOWN if before is None else values.get(before, str(before)),
            NOT_KNOWN if after is None else values.get(after, str(after)),
        )
    words = key.split(" ")
    # "count 2 level", "prior record 7 level", "check CA DOJ total": a member's field.
    if words[0] == "count" and len(words) >= 2:
        member, name = f"Count {words[1]}", words[2] if len(words) > 2 else ""
    elif key.startswith("prior record "):
        member, name = "Prior record", words[-1]
    elif words[0] == "check":
        member, name = f"Check ({' '.join(words[1:-1])})", words[-1]
    elif key in _MEMBERS:
        return ChangeLine(
            _MEMBERS[key],
            ABSENT if before is None else value_text(key, before),
            ABSENT if after is None else value_text(key, after),
        )
    else:
        return ChangeLine(field_label(key), value_text(key, before), value_text(key, after))
    if not name:  # a whole charge added or removed
        return ChangeLine(
            member,
            ABSENT if before is None else value_text("", before),
            ABSENT if after is None else value_text("", after),
        )
    label = f"{member}: {field_label(name).lower()}"
    return ChangeLine(label, value_text(name, before), value_text(name, after))


def other_edits(events: Iterable[AuditEvent], words_for: Words | None = None) -> list[OtherEdit]:
    """``words_for``: labels the models do not hold, {key: (label, {value: label})} (the
    eligibility app passes a case fact's, from the fact vocabulary above this app)."""
    words_for = words_for or {}
    return [
        OtherEdit(
            who=e.actor_username,
            when=timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M"),
            what=ACTION_LABELS.get(e.action, "changed the record"),
            lines=[_line(k, v, words_for) for k, v in (e.changes or {}).items()],
        )
        for e in events
    ]
