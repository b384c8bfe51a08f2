"""Importing a caseload file: validate everything first, then apply in one transaction.

Stages: read (hostile-safe) → parse columns by the profile's types → map to canonical
records → plan against the database (match by natural keys) → apply, atomically, with an
``ImportBatch`` and audit events in the same transaction. Any problem at any stage raises
``ImportRejected`` and nothing is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event
from ontrack.common.services import ensure_permission
from ontrack.imports.apply import apply_plan
from ontrack.imports.locks import feed_lock
from ontrack.imports.mapping import build
from ontrack.imports.models import ImportBatch
from ontrack.imports.plan import make_plan
from ontrack.imports.problems import ImportRejected
from ontrack.imports.profiles import load_profile
from ontrack.imports.reading import read_table
from ontrack.imports.validate import check_columns, parse_columns

# (stage, rows done, rows in all): 0 of 0 for stages without a count.
Stage = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ImportResult:
    status: str  # "applied", "unchanged", "already_imported", "dry_run"
    rows: int
    counts: dict[str, dict[str, int]]
    batch: ImportBatch | None
    previous: ImportBatch | None = None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_caseload(
    *,
    actor: Any,
    path: Path,
    profile_name: str,
    dry_run: bool = False,
    encoding: str | None = None,
    stage: Stage | None = None,
) -> ImportResult:
    ensure_permission(actor, "imports.run_import")
    report = stage or (lambda *_: None)
    profile = load_profile(profile_name)
    started = timezone.now()
    digest = sha256_of(path) if path.is_file() else ""
    previous = ImportBatch.objects.filter(sha256=digest, profile=profile.name).first()
    if previous is not None and not dry_run:
        return ImportResult("already_imported", previous.rows, previous.counts, None, previous)
    report("reading", 0, 0)
    frame = read_table(path, encoding=encoding)
    report("checking columns", 0, 0)
    problems = check_columns(profile, frame.columns)
    if problems:
        raise ImportRejected(path.name, problems)
    typed, problems = parse_columns(profile, frame)
    if problems:
        raise ImportRejected(path.name, problems)
    report("mapping records", 0, 0)
    canonical, problems = build(profile, typed)
    if problems:
        raise ImportRejected(path.name, problems)
    # The canonical records are all that is needed from here: let the file's frames go
    # before planning (a million-row file holds gigabytes until then).
    row_count = frame.height
    del frame, typed
    with feed_lock(profile.feed), transaction.atomic():
        report("comparing with the database", 0, 0)
        plan = make_plan(profile, canonical)
        if plan.problems:
            raise ImportRejected(path.name, plan.problems)
        counts = plan.counts()
        if dry_run:
            return ImportResult("dry_run", row_count, counts, None)
        if not plan.changes_anything:
            return ImportResult("unchanged", row_count, counts, None)
        report("writing", 0, 0)
        batch = ImportBatch.objects.create(
            feed=profile.feed,
            profile=profile.name,
            file_name=path.name,
            sha256=digest,
            actor=actor,
            started_at=started,
            finished_at=started,
            rows=row_count,
            counts=counts,
        )
        apply_plan(plan, actor=actor, batch_id=batch.pk, progress=report)
        batch.finished_at = timezone.now()
        batch.save(update_fields=["finished_at"])
        record_event(
            actor=actor,
            action="import.applied",
            target=batch,
            details={
                "profile": profile.name,
                "file": path.name,
                "sha256": digest,
                "rows": row_count,
                "counts": counts,
            },
        )
    return ImportResult("applied", row_count, counts, batch)
