"""REST API v1: notes and documents of an enrollment (``notes`` services and selectors, the
same the participant page calls; docs/notes.md). Every read is noted first (CJIS AU-2); a
document's content is an attachment like the page's download, and audited the same way."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ontrack.api.schema import problems
from ontrack.api.views import Endpoint
from ontrack.audit.access import note_access, note_row_count
from ontrack.enrollments.selectors import get_enrollment
from ontrack.notes import services
from ontrack.notes.models import NOTE_LIMIT, REASON_LIMIT, Document, Note, NoteRevision
from ontrack.notes.selectors import documents_of, get_note, notes_of


class RevisionOut(serializers.ModelSerializer[NoteRevision]):
    edited_by = serializers.CharField(source="edited_by.username")

    class Meta:
        model = NoteRevision
        fields = ["previous_body", "edited_by", "edited_at", "reason"]


class NoteOut(serializers.ModelSerializer[Note]):
    created_by = serializers.CharField(source="created_by.username")
    version = serializers.IntegerField(source="row_version")
    revisions = RevisionOut(many=True)

    class Meta:
        model = Note
        fields = ["id", "enrollment", "body", "created_by", "created_at", "edited_at", "version",
                  "revisions"]  # fmt: skip


class NoteIn(serializers.Serializer[Any]):
    body = serializers.CharField(
        max_length=NOTE_LIMIT + 1000, trim_whitespace=False, allow_blank=True
    )  # fmt: skip  (the service says why it is refused)


class NoteChange(NoteIn):
    version = serializers.IntegerField(min_value=1, help_text="the note's version")
    reason = serializers.CharField(max_length=REASON_LIMIT, required=False, allow_blank=True)


class DocumentOut(serializers.ModelSerializer[Document]):
    uploaded_by = serializers.CharField(source="uploaded_by.username")

    class Meta:
        model = Document
        fields = ["id", "enrollment", "display_name", "content_type", "size", "sha256",
                  "description", "uploaded_by", "uploaded_at"]  # fmt: skip


class EnrollmentNotesView(Endpoint):
    """The enrollment's notes (newest first, with their earlier versions), and adding one."""

    required_permissions = ("enrollments.view_enrollment",)

    @extend_schema(operation_id="enrollments_notes", responses={200: NoteOut(many=True),
                                                                **problems(404)})  # fmt: skip
    def get(self, request: Request, enrollment_id: int) -> Response:
        note_access(
            request._request, "api.enrollment.notes", "enrollments.enrollment", enrollment_id
        )
        get_enrollment(actor=request.user, enrollment_id=enrollment_id)  # 404 when not visible
        rows = list(notes_of(actor=request.user, enrollment_id=enrollment_id))
        note_row_count(request._request, len(rows))
        return Response(NoteOut(rows, many=True).data)

    @extend_schema(operation_id="enrollments_add_note", request=NoteIn,
                   responses={201: NoteOut, **problems(404, 422)})  # fmt: skip
    def post(self, request: Request, enrollment_id: int) -> Response:
        note_access(request._request, "api.enrollment.add_note", "enrollments.enrollment",
                    enrollment_id)  # fmt: skip
        body = NoteIn(data=request.data)
        body.is_valid(raise_exception=True)
        note = services.add_note(actor=request.user, enrollment_id=enrollment_id,
                                 body=body.validated_data["body"])  # fmt: skip
        return Response(NoteOut(get_note(actor=request.user, note_id=note.pk)).data, status=201)


class NoteView(Endpoint):
    """Edit a note (its author, or a supervisor); the earlier body is kept."""

    required_permissions = ("enrollments.view_enrollment",)

    @extend_schema(operation_id="notes_edit", request=NoteChange,
                   responses={200: NoteOut, **problems(404, 409, 422)})  # fmt: skip
    def patch(self, request: Request, note_id: int) -> Response:
        note_access(request._request, "api.note.edit", "notes.note", note_id)
        body = NoteChange(data=request.data)
        body.is_valid(raise_exception=True)
        services.edit_note(actor=request.user, note_id=note_id, body=body.validated_data["body"],
                           expected_version=body.validated_data["version"],
                           reason=body.validated_data.get("reason", ""))  # fmt: skip
        return Response(NoteOut(get_note(actor=request.user, note_id=note_id)).data)


class EnrollmentDocumentsView(Endpoint):
    """The enrollment's documents: what they are, not their content."""

    required_permissions = ("enrollments.view_enrollment",)

    @extend_schema(operation_id="enrollments_documents",
                   responses={200: DocumentOut(many=True), **problems(404)})  # fmt: skip
    def get(self, request: Request, enrollment_id: int) -> Response:
        note_access(request._request, "api.enrollment.documents", "enrollments.enrollment",
                    enrollment_id)  # fmt: skip
        get_enrollment(actor=request.user, enrollment_id=enrollment_id)
        rows = list(documents_of(actor=request.user, enrollment_id=enrollment_id))
        note_row_count(request._request, len(rows))
        return Response(DocumentOut(rows, many=True).data)


class DocumentContentView(Endpoint):
    """A document's bytes, as an attachment (every read is in the access stream)."""

    required_permissions = ("enrollments.view_enrollment",)

    @extend_schema(operation_id="documents_content",
                   responses={(200, "application/octet-stream"): OpenApiResponse(
                       OpenApiTypes.BINARY, description="the file, as an attachment"),
                       **problems(404)})  # fmt: skip
    def get(self, request: Request, document_id: int) -> Any:
        from ontrack.notes.views import attachment

        return attachment(request._request, document_id, "api.document.content")
