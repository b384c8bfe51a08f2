"""Reading the audit: only for those who hold ``audit.view_auditevent`` (both streams).

``audit_entries`` lists the change and access streams as one, newest first, with the
auditors' filters; a page of it costs a constant number of queries (count, the page, the
rows of each stream, one visibility question per registered object type).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps as django_apps
from django.db.models import CharField, F, IntegerField, QuerySet, Value
from django.db.models.functions import Cast

from ontrack.audit.disclosure import Disclosure, disclosure_for
from ontrack.audit.models import AccessEvent, AuditEvent, Outcome
from ontrack.common.words import in_words, value_in_words

STREAMS = ("both", "changes", "access")
# The listing's columns, the same in both streams (a UNION needs them in the same order).
COLUMNS = ("e_when", "e_stream", "e_id", "e_actor", "e_action", "e_type", "e_object", "e_outcome")


@dataclass(frozen=True)
class AuditFilters:
    """What the auditor asked for; empty means "any". Times are UTC instants, ``until``
    exclusive (the view turns the office's days into them)."""

    stream: str = "both"
    actor: str = ""
    action: str = ""  # a prefix: "signin." finds every sign-in step
    object_type: str = ""
    object_id: str = ""
    outcome: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def _filtered(queryset: QuerySet[Any], filters: AuditFilters, username: str) -> QuerySet[Any]:
    if filters.actor:
        queryset = queryset.filter(**{username: filters.actor})
    if filters.action:
        queryset = queryset.filter(action__startswith=filters.action)
    if filters.object_type:
        queryset = queryset.filter(object_type=filters.object_type)
    if filters.object_id:
        queryset = queryset.filter(object_id=filters.object_id)
    if filters.since is not None:
        queryset = queryset.filter(occurred_at__gte=filters.since)
    if filters.until is not None:
        queryset = queryset.filter(occurred_at__lt=filters.until)
    return queryset


def _columns(queryset: QuerySet[Any], stream: str, username: str, outcome: Any) -> QuerySet[Any]:
    text: CharField[str, str] = CharField()
    listing: QuerySet[Any] = (
        queryset.annotate(
            e_when=F("occurred_at"),
            e_stream=Value(stream, output_field=text),
            e_id=Cast("id", IntegerField()),
            e_actor=F(username),
            e_action=F("action"),
            e_type=F("object_type"),
            e_object=F("object_id"),
            e_outcome=outcome,
        )
        .order_by()
        .values_list(*COLUMNS)
    )  # no model ordering inside a UNION
    return listing


def audit_entries(*, actor: Any, filters: AuditFilters) -> QuerySet[Any]:
    """Tuples of ``COLUMNS`` for both streams as one list, newest first (none without the
    permission). Change rows have the outcome ``success``: a change that failed rolled back."""
    if not actor.has_perm("audit.view_auditevent"):
        return AuditEvent.objects.none().values_list("id")
    parts = []
    if filters.stream in ("both", "changes") and filters.outcome in ("", Outcome.SUCCESS):
        changes = _filtered(AuditEvent.objects.all(), filters, "actor_username")
        success = Value(Outcome.SUCCESS.value, output_field=CharField())
        parts.append(_columns(changes, "changes", "actor_username", success))
    if filters.stream in ("both", "access"):
        access = _filtered(AccessEvent.objects.all(), filters, "username")
        if filters.outcome:
            access = access.filter(outcome=filters.outcome)
        parts.append(_columns(access, "access", "username", F("outcome")))
    if not parts:
        return AuditEvent.objects.none().values_list("id")
    listing = parts[0] if len(parts) == 1 else parts[0].union(parts[1], all=True)
    return listing.order_by("-e_when", "-e_id", "e_stream")


@dataclass(frozen=True)
class Entry:
    """One row of either stream, as the page and the export show it (values masked)."""

    stream: str
    event: AuditEvent | AccessEvent
    changes: dict[str, Any]
    details: dict[str, Any]

    @property
    def outcome(self) -> str:
        return getattr(self.event, "outcome", Outcome.SUCCESS.value)

    @property
    def summary(self) -> list[str]:
        """The changes as ``field: before → after`` and the details as ``key: value``, in
        words (the export keeps the stored names: it is data, the page is for reading)."""
        lines = [
            f"{in_words(k)}: {value_in_words(k, v[0])} → {value_in_words(k, v[1])}"
            if isinstance(v, list) and len(v) == 2
            else f"{in_words(k)}: {value_in_words(k, v)}"
            for k, v in self.changes.items()
        ]
        lines += [f"{in_words(k)}: {value_in_words(k, v)}" for k, v in self.details.items()]
        return lines

    @property
    def action_words(self) -> str:
        """``case.fact_recorded`` → ``case fact recorded`` (the filter takes the stored name,
        shown beside it)."""
        return in_words(self.event.action)

    @property
    def object_words(self) -> str:
        """``cases.case 12`` → ``case 12``: the model's own name for itself."""
        label = self.event.object_type
        try:
            label = str(django_apps.get_model(label)._meta.verbose_name)
        except (LookupError, ValueError):
            label = in_words(label)
        object_id = self.event.object_id
        return f"{label} {in_words(object_id)}" if object_id else label

    @property
    def actor(self) -> str:
        if isinstance(self.event, AuditEvent):
            return self.event.actor_username
        return self.event.username


def entries(*, actor: Any, rows: Sequence[tuple[Any, ...]]) -> Iterator[Entry]:
    """The full rows behind listing tuples, in their order, with what ``actor`` may not see of
    them hidden (ADR 0033). One query per stream and per registered object type."""
    change_ids = [row[2] for row in rows if row[1] == "changes"]
    access_ids = [row[2] for row in rows if row[1] == "access"]
    found: dict[tuple[str, int], AuditEvent | AccessEvent] = {}
    if change_ids:
        found.update((("changes", e.pk), e) for e in AuditEvent.objects.filter(pk__in=change_ids))
    if access_ids:
        found.update((("access", e.pk), e) for e in AccessEvent.objects.filter(pk__in=access_ids))
    disclosure: Disclosure = disclosure_for(
        actor, ((e.object_type, e.object_id) for e in found.values())
    )
    for row in rows:
        event = found[(row[1], row[2])]
        changes = getattr(event, "changes", {})
        yield Entry(
            stream=row[1],
            event=event,
            changes=disclosure.values(event.object_type, event.object_id, changes),
            details=disclosure.values(event.object_type, event.object_id, event.details),
        )
