"""The audit trail page, for auditors and administrators."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ontrack.audit.selectors import audit_events
from ontrack.common.access import requires


@requires("audit.view_auditevent")
def audit_log(request: HttpRequest) -> HttpResponse:
    events = audit_events(
        actor=request.user,
        object_type=request.GET.get("object_type", "")[:100],
        object_id=request.GET.get("object_id", "")[:64],
    ).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"page": page})
