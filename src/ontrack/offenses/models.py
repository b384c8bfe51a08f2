"""The offenses app's one model (a permission holder). The categories are in
``categories.py``; the catalog itself is data, see ``lookup``."""

from __future__ import annotations

from django.db import models

from ontrack.offenses.categories import OffenseCategory

__all__ = ["OffenseCategory", "Statute"]


class Statute(models.Model):
    """No table: the catalog is the shipped data read by ``lookup.catalog()`` (ADR 0011).

    The model remains, unmanaged, only so that the permission ``offenses.view_statute``
    (roles, the catalog and policy pages) keeps its identity across the migration that
    dropped the old catalog tables. Never query it.
    """

    class Meta:
        managed = False
        default_permissions = ("view",)

    def __str__(self) -> str:
        return "offense catalog permission holder"
