"""Reads of notes and documents, through the enrollment's visibility (its case's)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from ontrack.common.errors import NotFound
from ontrack.enrollments.selectors import visible_enrollments
from ontrack.notes.models import Document, Note, NoteRevision


def notes_of(*, actor: Any, enrollment_id: int) -> QuerySet[Note]:
    """Newest first, each with its earlier bodies (two queries however many)."""
    return (
        Note.objects.filter(
            enrollment__in=visible_enrollments(actor=actor), enrollment_id=enrollment_id
        )
        .select_related("created_by")
        .prefetch_related(Prefetch("revisions", NoteRevision.objects.select_related("edited_by")))
    )


def get_note(*, actor: Any, note_id: int) -> Note:
    found = (
        Note.objects.filter(enrollment__in=visible_enrollments(actor=actor), pk=note_id)
        .select_related("created_by", "enrollment")
        .prefetch_related(Prefetch("revisions", NoteRevision.objects.select_related("edited_by")))
        .first()
    )
    if found is None:
        raise NotFound
    return found


def documents_of(*, actor: Any, enrollment_id: int) -> QuerySet[Document]:
    return Document.objects.filter(
        enrollment__in=visible_enrollments(actor=actor), enrollment_id=enrollment_id
    ).select_related("uploaded_by")


def get_document(*, actor: Any, document_id: int) -> Document:
    found = (
        Document.objects.filter(enrollment__in=visible_enrollments(actor=actor), pk=document_id)
        .select_related("uploaded_by")
        .first()
    )
    if found is None:
        raise NotFound
    return found
