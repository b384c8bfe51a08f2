"""Importing a caseload file: the generic pipeline (``ingest.pipeline``) with the caseload
importer (``imports.target``). Validated whole, applied in one transaction, idempotent,
one import per feed at a time (docs/imports.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ontrack.ingest.pipeline import ImportResult, run_import
from ontrack.ingest.registry import Progress

__all__ = ["ImportResult", "import_caseload"]


def import_caseload(
    *,
    actor: Any,
    path: Path,
    profile_name: str,
    dry_run: bool = False,
    encoding: str | None = None,
    stage: Progress | None = None,
) -> ImportResult:
    return run_import(
        actor=actor,
        kind="caseload",
        path=path,
        profile_name=profile_name,
        dry_run=dry_run,
        encoding=encoding,
        stage=stage,
    )
