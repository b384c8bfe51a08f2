"""Writing the audit trail. Called by every service inside its own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction

from ontrack.audit.context import current_origin
from ontrack.audit.models import AuditEvent


def jsonable(value: Any) -> Any:
    """A value as it should read in the audit trail (dates ISO, models by primary key)."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance`` (foreign keys by id), JSON-ready."""
    names = fields or [f.attname for f in instance._meta.concrete_fields if f.attname not in {"id"}]
    return {name: jsonable(getattr(instance, name)) for name in names}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{"field": [old, new]}`` for the fields whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    changes: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. Must run inside the caller's transaction.

    Refusing to run outside a transaction is what makes "the audit row fails → the change
    rolls back" true everywhere, not only where someone remembered ``atomic``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must be called inside the service's transaction")
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
    if object_type is None or object_id is None:
        raise ValueError("an audit event names its object (target, or object_type and object_id)")
    here = current_origin()
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.get_username(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changes=dict(changes or {}),
        details={k: jsonable(v) for k, v in (details or {}).items()},
        request_id=here.request_id,
        ip_address=here.ip_address,
        source=here.source,
        os_user=here.os_user,
    )
