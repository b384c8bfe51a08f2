"""The generic import: validate everything first, then apply in one transaction.

read (hostile-safe) → check the header against the profile → parse columns by type → the
target maps rows to records → inside the feed lock and one transaction, the target plans
against the database and applies, with an ``ImportBatch`` and an audit event. Any problem
at any stage raises ``ImportRejected`` and nothing is written. The same file (SHA-256)
under the same profile again is "already imported".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event
from ontrack.common.services import ensure_permission
from ontrack.ingest.locks import feed_lock
from ontrack.ingest.models import ImportBatch
from ontrack.ingest.problems import ImportRejected, InputRejected
from ontrack.ingest.profiles import load_profile
from ontrack.ingest.reading import read_table
from ontrack.ingest.registry import Progress, get_importer
from ontrack.ingest.validate import check_columns, parse_columns


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


def run_import(
    *,
    actor: Any,
    kind: str,
    path: Path,
    profile_name: str,
    dry_run: bool = False,
    encoding: str | None = None,
    stage: Progress | None = None,
) -> ImportResult:
    importer = get_importer(kind)
    ensure_permission(actor, importer.permission)
    report: Progress = stage or (lambda *_: None)
    profile = load_profile(importer, profile_name)
    started = timezone.now()
    digest = sha256_of(path) if path.is_file() else ""
    previous = ImportBatch.objects.filter(sha256=digest, profile=profile.name).first()
    if previous is not None and not dry_run:
        return ImportResult("already_imported", previous.rows, previous.counts, None, previous)
    report("reading", 0, 0)
    try:
        # Text columns are held as Categorical from the start (see parse_columns).
        text = {c.name for c in profile.columns.values() if c.type == "text"}
        frame = read_table(path, encoding=encoding, categorical=text)
    except ImportRejected:
        raise
    except InputRejected as exc:  # reading is generic; refusing the import is ours to say
        raise ImportRejected(exc.name, exc.problems) from exc
    report("checking columns", 0, 0)
    problems = check_columns(profile, frame.columns)
    if problems:
        raise ImportRejected(path.name, problems)
    typed, problems = parse_columns(profile, frame)
    if problems:
        raise ImportRejected(path.name, problems)
    row_count = frame.height
    del frame
    report("mapping records", 0, 0)
    mapped, problems = importer.target.map(profile, typed)
    if problems:
        raise ImportRejected(path.name, problems)
    # The mapped records are all that is needed from here: let the file's frames go before
    # planning (a million-row file holds gigabytes until then).
    del typed
    with feed_lock(profile.feed), transaction.atomic():
        report("comparing with the database", 0, 0)
        plan = importer.target.plan(profile, mapped)
        del mapped
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
        importer.target.apply(plan, actor=actor, batch=batch, progress=report)
        batch.finished_at = timezone.now()
        batch.save(update_fields=["finished_at"])
        record_event(
            actor=actor,
            action="import.applied",
            target=batch,
            details={
                "kind": importer.kind,
                "profile": profile.name,
                "file": path.name,
                "sha256": digest,
                "rows": row_count,
                "counts": counts,
            },
        )
    return ImportResult("applied", row_count, counts, batch)
