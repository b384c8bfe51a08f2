"""Notes on a participant and the documents kept with their enrollment.

A note is never deleted: it is corrected by editing, and every earlier body is kept as a
``NoteRevision`` (who changed it, when, why), so what the record said when stays readable
(All Rise Adult Treatment Court Best Practice Standards: the team acts on the record).
A document's bytes live outside the web root under a random name (``notes/storage.py``);
the row holds what a person sees and the checksum of what was stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ontrack.enrollments.models import Enrollment

NOTE_LIMIT = 10_000  # characters; a note is a paragraph or a page, not a file
REASON_LIMIT = 500


class Note(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="notes")
    body = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)  # NULL: never edited
    row_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"note {self.pk} on enrollment {self.enrollment_id}"


class NoteRevision(models.Model):
    """The body a note had before one edit."""

    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="revisions")
    previous_body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField()
    reason = models.CharField(max_length=REASON_LIMIT, blank=True)  # optional

    class Meta:
        ordering = ["note", "-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"revision of note {self.note_id}"


class Document(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="documents")
    display_name = models.CharField(max_length=200)  # sanitised (notes/names.py)
    stored_name = models.CharField(max_length=64, unique=True)  # random; never from the user
    content_type = models.CharField(max_length=50)  # from the bytes (notes/signatures.py)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.display_name
