"""The list of applied imports: which file, when, by whom, and what it changed."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ontrack.common.access import requires
from ontrack.imports.selectors import import_batches


@requires("ingest.view_importbatch")
def batch_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(import_batches(actor=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "imports/batch_list.html", {"page": page})
