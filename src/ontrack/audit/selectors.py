"""Reading the audit trail: only for those who hold ``audit.view_auditevent``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ontrack.audit.models import AuditEvent


def audit_events(*, actor: Any, object_type: str = "", object_id: str = "") -> QuerySet[AuditEvent]:
    if not actor.has_perm("audit.view_auditevent"):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all()
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    return events
