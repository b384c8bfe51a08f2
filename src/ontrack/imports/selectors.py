"""Reads of import batches, for those who may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ontrack.ingest.models import ImportBatch


def import_batches(*, actor: Any) -> QuerySet[ImportBatch]:
    if not actor.has_perm("ingest.view_importbatch"):
        return ImportBatch.objects.none()
    return ImportBatch.objects.select_related("actor")
