"""Importers, one per kind of file (caseload today; bookings, enrollments, hearing calendars
next), registered by the app that owns the records they write.

Adding a feed is adding a profile and a target in its own app, and registering them from
its ``AppConfig.ready``; nothing here changes. The generic pipeline (``ingest.pipeline``)
reads, checks and parses the file by the profile's columns, then hands the typed frame to
the target::

    map(profile, typed)          -> (mapped, problems)     no database access
    plan(profile, mapped)        -> plan                   reads only, inside the feed lock
    apply(plan, actor=, batch=, progress=)                 writes, in the same transaction

``plan`` has ``problems`` (a conflict refuses the file), ``counts()`` and
``changes_anything``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl

from ontrack.common.errors import ServiceError
from ontrack.ingest.problems import Problem
from ontrack.ingest.profiles import Profile

if TYPE_CHECKING:
    from ontrack.ingest.models import ImportBatch

# (stage, rows done, rows in all): 0 of 0 for stages without a count.
Progress = Callable[[str, int, int], None]


class Plan(Protocol):
    problems: list[Problem]

    def counts(self) -> dict[str, dict[str, int]]: ...

    @property
    def changes_anything(self) -> bool: ...


class Target(Protocol):
    def map(self, profile: Any, typed: pl.DataFrame) -> tuple[Any, list[Problem]]: ...

    def plan(self, profile: Any, mapped: Any) -> Plan: ...

    def apply(self, plan: Any, *, actor: Any, batch: ImportBatch, progress: Progress) -> None: ...


# (document, where, generic fields as Profile keyword arguments) -> (profile, problems)
ReadProfile = Callable[[dict[str, Any], str, dict[str, Any]], tuple[Profile, list[str]]]


@dataclass(frozen=True)
class Importer:
    kind: str  # the word on the command line: ``ontrack import KIND FILE``
    description: str
    profile_dir: Path  # the package's profiles of this kind
    read_profile: ReadProfile
    target: Target
    permission: str = "ingest.run_import"


class UnknownImporter(ServiceError):
    """No importer is registered for that kind of file."""


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    """Called from the owning app's ``ready``. A kind registered twice (by another app) is
    a programming error, not a silent replacement."""
    current = _importers.get(importer.kind)
    if current is not None and current != importer:
        raise ValueError(f"an importer for {importer.kind!r} is already registered")
    _importers[importer.kind] = importer


def unregister(kind: str) -> None:
    """For tests that register a throwaway importer."""
    _importers.pop(kind, None)


def importers() -> list[Importer]:
    return [_importers[k] for k in sorted(_importers)]


def get_importer(kind: str) -> Importer:
    try:
        return _importers[kind]
    except KeyError:
        known = ", ".join(sorted(_importers)) or "none"
        raise UnknownImporter(f"no importer for {kind!r}; registered: {known}") from None
