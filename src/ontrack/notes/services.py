"""Writes for notes and documents: keyword-only, atomic, audited, timeline entry included.

Who may edit a note (docs/notes.md, ADR 0089): its author, or anyone holding
``notes.change_note`` (supervisors). Nobody deletes a note; every earlier body is kept.
"""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ontrack.audit.services import record_event
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.common.services import Forbidden, bump_version, ensure_permission
from ontrack.common.text import reason_problem
from ontrack.enrollments.selectors import enrollment_for_update, visible_enrollments
from ontrack.enrollments.timeline import add_entry
from ontrack.notes import storage
from ontrack.notes.models import NOTE_LIMIT, REASON_LIMIT, Document, Note, NoteRevision
from ontrack.notes.names import display_name
from ontrack.notes.signatures import allowed_words, content_type_of


def _body(body: str) -> str:
    body = body.strip()
    if problem := reason_problem(body, what="a note", limit=NOTE_LIMIT, missing="write the note"):
        raise ValidationFailed({"body": problem})
    return body


@transaction.atomic
def add_note(*, actor: Any, enrollment_id: int, body: str) -> Note:
    ensure_permission(actor, "notes.add_note")
    enrollment = enrollment_for_update(actor=actor, enrollment_id=enrollment_id)
    now = timezone.now()
    note = Note.objects.create(
        enrollment=enrollment, body=_body(body), created_by=actor, created_at=now
    )
    # The timeline says a note was added, not what it says: the body is read on the panel.
    add_entry(enrollment=enrollment, kind="note.added", actor=actor,
              occurred_on=timezone.localdate(now), ref=note)  # fmt: skip
    record_event(actor=actor, action="note.added", target=note,
                 details={"enrollment": enrollment.pk, "length": len(note.body)})  # fmt: skip
    return note


@transaction.atomic
def edit_note(
    *, actor: Any, note_id: int, body: str, expected_version: int, reason: str = ""
) -> Note:
    ensure_permission(actor, "notes.add_note")
    note = (
        Note.objects.select_for_update(of=("self",))
        .select_related("enrollment")
        .filter(pk=note_id, enrollment__in=visible_enrollments(actor=actor))
        .first()
    )
    if note is None:
        raise NotFound
    if note.created_by_id != actor.pk and not actor.has_perm("notes.change_note"):
        raise Forbidden("only the note's author or a supervisor may edit it")
    new_body = _body(body)
    reason = reason.strip()
    if len(reason) > REASON_LIMIT:
        raise ValidationFailed({"reason": f"a reason is at most {REASON_LIMIT} characters"})
    if new_body == note.body:
        raise ValidationFailed({"body": "the note says this already"})
    bump_version(note, expected_version)
    now = timezone.now()
    NoteRevision.objects.create(
        note=note, previous_body=note.body, edited_by=actor, edited_at=now, reason=reason
    )
    note.body = new_body
    note.edited_at = now
    note.save(update_fields=["body", "edited_at"])
    add_entry(enrollment=note.enrollment, kind="note.edited", actor=actor,
              occurred_on=timezone.localdate(now), ref=note)  # fmt: skip
    record_event(actor=actor, action="note.edited", target=note,
                 details={"version": note.row_version, "reason": reason})  # fmt: skip
    return note


def max_upload_bytes() -> int:
    return int(settings.ONTRACK_MAX_UPLOAD_BYTES)


@transaction.atomic
def add_document(
    *, actor: Any, enrollment_id: int, content: IO[bytes], name: str, description: str = ""
) -> Document:
    """Keep an uploaded file with the enrollment. Refused (nothing stored) when it is over
    ``ONTRACK_MAX_UPLOAD_BYTES`` or its bytes are not an allowed type. The file is written
    first: if that fails nothing is in the database; if the database write fails the file
    is removed."""
    ensure_permission(actor, "notes.add_document")
    enrollment = enrollment_for_update(actor=actor, enrollment_id=enrollment_id)
    limit = max_upload_bytes()
    data = content.read(limit + 1)
    if not data:
        raise ValidationFailed({"file": "the file is empty"})
    if len(data) > limit:
        raise ValidationFailed({"file": f"a file is at most {limit:,} bytes; this one is larger"})
    content_type = content_type_of(data[:16])
    if content_type is None:
        raise ValidationFailed(
            {"file": f"only {allowed_words()} files are kept; this file is not one of them"}
        )
    description = description.strip()
    if len(description) > 500:
        raise ValidationFailed({"description": "a description is at most 500 characters"})
    stored_name, sha256 = storage.store([data])
    try:
        with transaction.atomic():
            document = Document.objects.create(
                enrollment=enrollment, display_name=display_name(name, fallback="document"),
                stored_name=stored_name, content_type=content_type, size=len(data),
                sha256=sha256, description=description, uploaded_by=actor,
                uploaded_at=timezone.now(),
            )  # fmt: skip
            day = timezone.localdate(document.uploaded_at)
            add_entry(enrollment=enrollment, kind="document.added", actor=actor,
                      occurred_on=day, ref=document)  # fmt: skip
            record_event(actor=actor, action="document.added", target=document,
                         details={"enrollment": enrollment.pk, "content_type": content_type,
                                  "size": len(data), "sha256": sha256})  # fmt: skip
    except BaseException:
        storage.remove(stored_name)
        raise
    return document
