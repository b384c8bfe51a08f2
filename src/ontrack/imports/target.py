"""The caseload importer: people, identifiers, cases, charges, arrests, prior records and
prior counts from one file, registered with ``ingest`` under the kind ``caseload``.

map (``mapping.build``) → plan (``plan.make_plan``) → apply (``apply.apply_plan``); the
reading, column checks, lock, batch and audit are the generic pipeline's.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ontrack.imports.apply import apply_plan
from ontrack.imports.mapping import Canonical, build
from ontrack.imports.plan import Plan, make_plan
from ontrack.imports.profiles import PROFILE_DIR, CaseloadProfile, read_caseload_profile
from ontrack.ingest.models import ImportBatch
from ontrack.ingest.problems import Problem
from ontrack.ingest.profiles import load_profile, parse_profile
from ontrack.ingest.registry import Importer, Progress


class CaseloadTarget:
    def map(self, profile: CaseloadProfile, typed: pl.DataFrame) -> tuple[Canonical, list[Problem]]:
        return build(profile, typed)

    def plan(self, profile: CaseloadProfile, mapped: Canonical) -> Plan:
        return make_plan(profile, mapped)

    def apply(self, plan: Plan, *, actor: Any, batch: ImportBatch, progress: Progress) -> None:
        apply_plan(plan, actor=actor, batch_id=batch.pk, progress=progress)


CASELOAD = Importer(
    kind="caseload",
    description="people, cases, charges, arrests and prior records",
    profile_dir=PROFILE_DIR,
    read_profile=read_caseload_profile,
    target=CaseloadTarget(),
)


def load_caseload_profile(name: str) -> CaseloadProfile:
    profile = load_profile(CASELOAD, name)
    assert isinstance(profile, CaseloadProfile)  # read_caseload_profile made it
    return profile


def parse_caseload_profile(document: Any, where: str) -> CaseloadProfile:
    profile = parse_profile(CASELOAD, document, where)
    assert isinstance(profile, CaseloadProfile)
    return profile
