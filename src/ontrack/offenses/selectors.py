"""Reads of the offense catalog (public reference data: any signed-in staff may read it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from ontrack.offenses.codes import parents
from ontrack.offenses.models import Statute, StatuteCategory


def statutes(*, actor: Any) -> QuerySet[Statute]:
    if not actor.has_perm("offenses.view_statute"):
        return Statute.objects.none()
    return Statute.objects.prefetch_related(
        Prefetch("categories", queryset=StatuteCategory.objects.order_by("category"))
    )


def catalog_entries(codes: Iterable[str]) -> dict[str, Statute | None]:
    """The catalog entry governing each code, in one query.

    An exact entry wins; otherwise the nearest broader entry that covers its subdivisions
    (``HS 11351(a)`` → ``HS 11351``). ``None`` means the catalog does not know the code,
    which callers must treat as *unknown*, never as "no category".
    """
    wanted = {c for c in codes if c}
    candidates = wanted | {p for c in wanted for p in parents(c)}
    found = {
        s.code: s
        for s in Statute.objects.filter(code__in=candidates).prefetch_related("categories")
    }
    result: dict[str, Statute | None] = {}
    for code in wanted:
        entry = found.get(code)
        if entry is None:
            entry = next(
                (found[p] for p in parents(code) if p in found and found[p].includes_subdivisions),
                None,
            )
        result[code] = entry
    return result
