"""Loading the offense catalog file into the database: atomic, audited, safe to repeat."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from ontrack.audit.services import record_event
from ontrack.common.services import ensure_permission
from ontrack.offenses.catalog import DEFAULT_CATALOG, read_catalog
from ontrack.offenses.models import Statute, StatuteCategory


@dataclass(frozen=True)
class CatalogLoadResult:
    created: int
    updated: int
    unchanged: int
    removed: int
    sha256: str


@transaction.atomic
def load_offense_catalog(*, actor: Any, path: Path = DEFAULT_CATALOG) -> CatalogLoadResult:
    """Make the catalog tables equal the file. Codes no longer in the file are removed."""
    ensure_permission(actor, "offenses.add_statute")
    catalog = read_catalog(path)  # raises CatalogError before anything is written
    existing = {s.code: s for s in Statute.objects.prefetch_related("categories")}
    created = updated = unchanged = 0
    for entry in catalog.statutes:
        wanted_cats = {(c.category, c.basis) for c in entry.categories}
        statute = existing.pop(entry.code, None)
        if statute is None:
            statute = Statute.objects.create(
                code=entry.code,
                jurisdiction=catalog.jurisdiction,
                description=entry.description,
                level=entry.level,
                includes_subdivisions=entry.includes_subdivisions,
            )
            created += 1
        else:
            have_cats = {(c.category, c.basis) for c in statute.categories.all()}
            fields = (
                statute.description,
                statute.level,
                statute.includes_subdivisions,
                statute.jurisdiction,
            )
            wanted_fields = (
                entry.description,
                entry.level,
                entry.includes_subdivisions,
                catalog.jurisdiction,
            )
            if fields == wanted_fields and have_cats == wanted_cats:
                unchanged += 1
                continue
            (
                statute.description,
                statute.level,
                statute.includes_subdivisions,
                statute.jurisdiction,
            ) = wanted_fields
            statute.save()
            statute.categories.all().delete()
            updated += 1
        StatuteCategory.objects.bulk_create(
            StatuteCategory(statute=statute, category=cat, basis=basis)
            for cat, basis in sorted(wanted_cats)
        )
    removed = len(existing)
    Statute.objects.filter(code__in=existing).delete()
    result = CatalogLoadResult(created, updated, unchanged, removed, catalog.sha256)
    if created or updated or removed:
        record_event(
            actor=actor,
            action="offense_catalog.loaded",
            object_type="offenses.statute",
            object_id=path.name,
            details={
                "sha256": catalog.sha256,
                "created": created,
                "updated": updated,
                "unchanged": unchanged,
                "removed": removed,
                "removed_codes": sorted(existing),
            },
        )
    return result
