"""Pages for notes and documents: add and edit a note, upload and download a document.
Thin: each calls one selector or service. A download is an attachment, never shown inline,
and every one is in the access stream (CJIS AU-2, ``audit/access.py``)."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ontrack.audit.access import note_access
from ontrack.common.access import requires
from ontrack.common.errors import ConcurrentEdit, NotFound, ValidationFailed
from ontrack.common.services import Forbidden
from ontrack.notes import services, storage
from ontrack.notes.selectors import get_document, get_note


def _participant(enrollment_id: int, anchor: str) -> HttpResponse:
    return redirect(reverse("participants:participant", args=[enrollment_id]) + anchor)


@requires("notes.add_note")
@require_POST
def add(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    try:
        services.add_note(actor=request.user, enrollment_id=enrollment_id,
                          body=request.POST.get("body", ""))  # fmt: skip
    except NotFound:
        raise Http404 from None
    except ValidationFailed as refused:
        messages.error(request, " ".join(refused.problems.values()))
    return _participant(enrollment_id, "#notes")


@requires("notes.add_note")
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, note_id: int) -> HttpResponse:
    note_access(request, "note.viewed", "notes.note", note_id)
    try:
        note = get_note(actor=request.user, note_id=note_id)
    except NotFound:
        raise Http404 from None
    context = {"note": note, "body": note.body, "reason": "", "problems": {}}
    if request.method == "POST":
        body, reason = request.POST.get("body", ""), request.POST.get("reason", "")
        try:
            version = int(request.POST.get("expected_version", ""))
            services.edit_note(actor=request.user, note_id=note_id, body=body,
                               expected_version=version, reason=reason)  # fmt: skip
        except ValueError:
            context["problems"] = {"expected_version": "reload the page and edit again"}
        except ValidationFailed as refused:
            context["problems"] = refused.problems
        except ConcurrentEdit:
            context["problems"] = {"body": "someone changed this note since you opened it; "
                                   "it is shown as it is now: apply your change again"}  # fmt: skip
            body = note.body
        except Forbidden as refused:
            context["problems"] = {"body": str(refused)}
        else:
            return _participant(note.enrollment_id, f"#note-{note_id}")
        context.update(body=body, reason=reason)
        return render(request, "notes/edit.html", context, status=422)
    return render(request, "notes/edit.html", context)


@requires("notes.add_document")
@require_POST
def upload(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    file = request.FILES.get("file")  # none sent: refused as empty, after the visibility check
    try:
        services.add_document(
            actor=request.user, enrollment_id=enrollment_id,
            content=file if file is not None else io.BytesIO(b""),
            name=(file.name or "") if file is not None else "",
            description=request.POST.get("description", ""),
        )  # fmt: skip
    except NotFound:
        raise Http404 from None
    except ValidationFailed as refused:
        messages.error(request, " ".join(refused.problems.values()))
    return _participant(enrollment_id, "#documents")


def attachment(request: HttpRequest, document_id: int, action: str) -> FileResponse:
    """The document's bytes as a download; the read is noted before anything is looked up,
    so a refused one is in the access stream too (denied, 404)."""
    note_access(request, action, "notes.document", document_id)
    try:
        document = get_document(actor=request.user, document_id=document_id)
    except NotFound:
        raise Http404 from None
    response = FileResponse(
        open(storage.path_of(document.stored_name), "rb"),  # noqa: SIM115  (FileResponse closes it)
        content_type=document.content_type,
    )
    ascii_name = document.display_name.encode("ascii", "replace").decode().replace("?", "_")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(document.display_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(document.size)
    response["Cache-Control"] = "no-store"
    return response


@requires("enrollments.view_enrollment")
@require_http_methods(["GET"])
def download(request: HttpRequest, document_id: int) -> HttpResponse:
    return attachment(  # type: ignore[return-value]  # a streamed file, still a response
        request, document_id, "document.downloaded"
    )
