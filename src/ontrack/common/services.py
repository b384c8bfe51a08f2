"""Helpers every app's services share: permission checks and optimistic locking."""

from __future__ import annotations

from typing import Any

from django.db import models

from ontrack.common.errors import ConcurrentEdit, ServiceError


class Forbidden(ServiceError):
    """The actor may not make this change."""


def ensure_permission(actor: Any, permission: str) -> None:
    """Services check too, not only views: the CLI and future APIs call them directly."""
    if not (actor.is_active and actor.has_perm(permission)):
        raise Forbidden(f"{actor.get_username()} lacks {permission}")


def bump_version(instance: models.Model, expected_version: int) -> None:
    """Advance ``row_version`` only if it is still ``expected_version`` (compare-and-set).

    The conditional UPDATE is atomic in the database, so two editors who read the same
    version cannot both succeed: the second is told to reload instead of overwriting.
    """
    model = type(instance)
    updated = model._default_manager.filter(pk=instance.pk, row_version=expected_version).update(
        row_version=models.F("row_version") + 1
    )
    if updated != 1:
        raise ConcurrentEdit(
            f"{model._meta.verbose_name} {instance.pk} was changed by someone else "
            f"since version {expected_version}; reload and apply your change again"
        )
    instance.row_version = expected_version + 1  # type: ignore[attr-defined]
