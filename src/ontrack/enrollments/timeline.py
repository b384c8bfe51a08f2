"""Timeline writers, like Saleor's ``order/events.py``: one function per kind of entry,
called by services (in their transaction) in this and every app above.

Keep the kinds here, so the page and the API have one list to put into words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from ontrack.audit.services import jsonable
from ontrack.enrollments.models import Enrollment, TimelineEntry

# kind → how the page names it. Apps above add theirs with ``register_kind`` in ``ready()``.
KINDS: dict[str, str] = {
    "transition": "Status changed",
}


def register_kind(kind: str, label: str) -> None:
    KINDS.setdefault(kind, label)


def add_entry(
    *,
    enrollment: Enrollment,
    kind: str,
    actor: Any,
    occurred_on: dt.date,
    parameters: dict[str, Any] | None = None,
    ref: models.Model | None = None,
    sensitive: bool = False,
) -> TimelineEntry:
    """One timeline entry, in the caller's transaction (refused outside one, like the audit:
    an entry without the change it describes, or a change without its entry, is a lie)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("timeline entries are written inside the service's transaction")
    if kind not in KINDS:
        raise ValueError(f"unknown timeline kind {kind!r}: register it first")
    return TimelineEntry.objects.create(
        enrollment=enrollment,
        kind=kind,
        by=actor if getattr(actor, "pk", None) else None,
        occurred_on=occurred_on,
        at=timezone.now(),
        parameters={key: jsonable(value) for key, value in (parameters or {}).items()},
        ref_type=ref._meta.label_lower if ref is not None else "",
        ref_id=ref.pk if ref is not None else None,
        sensitive=sensitive,
    )


# Sensitive entries (drug tests: 42 CFR Part 2, All Rise Standard VII) show their details only
# to whom an app above says may read them. A reader is ``fn(actor, entries) -> ids`` of the
# entries the actor may see in full; it writes the access row of that read itself. With no
# reader, or none that says yes, an entry shows only that a test was recorded (unknown is not
# yes).
SensitiveReader = Callable[[Any, Sequence[TimelineEntry]], set[int]]
_SENSITIVE_READERS: list[SensitiveReader] = []
HIDDEN_LABEL = "Drug test recorded"


def register_sensitive_reader(reader: SensitiveReader) -> None:
    if reader not in _SENSITIVE_READERS:
        _SENSITIVE_READERS.append(reader)


def readable_sensitive(actor: Any, entries: Sequence[TimelineEntry]) -> set[int]:
    """Ids of the sensitive ``entries`` the actor may see in full (readers asked once each,
    and only when there is a sensitive entry, so a page without one writes no access row)."""
    sensitive = [entry for entry in entries if entry.sensitive]
    if not sensitive:
        return set()
    allowed: set[int] = set()
    for reader in _SENSITIVE_READERS:
        allowed |= reader(actor, sensitive)
    return allowed
