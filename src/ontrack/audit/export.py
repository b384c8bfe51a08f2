"""The audit as CSV, for the page's export and ``ontrack audit export`` (one format).

Every cell is formula-neutralised (a username or a path could start with ``=``), values the
actor may not see are hidden as on the page (ADR 0033), times are UTC in ISO 8601.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from ontrack.audit.selectors import AuditFilters, Entry, audit_entries, entries
from ontrack.common.text import neutralise_formula

HEADER = (
    "occurred_at",
    "stream",
    "actor",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "ip_address",
    "request_id",
    "source",
    "os_user",
    "method",
    "path",
    "status_code",
    "row_count",
    "changes",
    "details",
)
CHUNK = 2000  # rows fetched per round: memory stays flat, queries grow with the export only


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False) if value else ""
    return str(value)


def row(entry: Entry) -> list[str]:
    event = entry.event
    values = [
        event.occurred_at,
        entry.stream,
        entry.actor,
        event.action,
        event.object_type,
        event.object_id,
        entry.outcome,
        event.ip_address,
        event.request_id,
        event.source,
        event.os_user,
        getattr(event, "method", ""),
        getattr(event, "path", ""),
        getattr(event, "status_code", None),
        getattr(event, "row_count", None),
        entry.changes,
        entry.details,
    ]
    return [neutralise_formula(_cell(v)) for v in values]


def export_entries(*, actor: Any, filters: AuditFilters) -> Iterator[Entry]:
    """Every entry the filters select, newest first, in chunks. Rows written while the export
    runs are left out (bounded by its start), so a new row cannot shift a chunk's offset."""
    started = timezone.now()
    until = started if filters.until is None else min(filters.until, started)
    listing = audit_entries(actor=actor, filters=dataclasses.replace(filters, until=until))
    start = 0
    while True:
        rows = list(listing[start : start + CHUNK])
        if not rows:
            return
        yield from entries(actor=actor, rows=rows)
        start += CHUNK


def write_csv(out: io.TextIOBase | Any, selected: Iterable[Entry]) -> int:
    """Write the header and one line per entry; returns the number of entries."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    count = 0
    for entry in selected:
        writer.writerow(row(entry))
        count += 1
    return count


def day_bounds(
    since: dt.date | None, until: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The office's days (common.site; settings.TIME_ZONE) as UTC instants: from the start of
    ``since`` to the end of ``until`` (exclusive: the next day's start)."""
    zone = timezone.get_default_timezone()

    def start(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.min, tzinfo=zone)

    return (
        start(since) if since else None,
        start(until + dt.timedelta(days=1)) if until else None,
    )
