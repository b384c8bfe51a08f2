"""The audit page and its CSV export, for auditors and administrators (CJIS AU-6, AU-7)."""

from __future__ import annotations

import io

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ontrack.audit.access import note_access
from ontrack.audit.export import export_entries, write_csv
from ontrack.audit.forms import AuditFilterForm
from ontrack.audit.selectors import AuditFilters, audit_entries, entries
from ontrack.common.access import requires

PAGE_SIZE = 50
NO_MATCH = AuditFilters(stream="changes", outcome="denied")  # selects nothing, costs nothing


@requires("audit.view_auditevent")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    valid = form.is_valid()
    filters = form.filters() if valid else NO_MATCH
    page = Paginator(audit_entries(actor=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": list(entries(actor=request.user, rows=list(page))),
        "query": query.urlencode(),
    }
    return render(request, "audit/audit_log.html", context, status=200 if valid else 400)


@requires("audit.view_auditevent")
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV; the export itself goes on the access stream with its row
    count (written after the response is built, before it is sent: ADR 0032)."""
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items())
        return HttpResponse(f"Bad filters: {problems}\n", status=400, content_type="text/plain")
    out = io.StringIO()
    count = write_csv(out, export_entries(actor=request.user, filters=form.filters()))
    note_access(
        request,
        "audit.exported",
        "audit",
        row_count=count,
        details={k: v for k, v in request.GET.items() if v and k != "page"},
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ontrack-audit.csv"'
    return response
