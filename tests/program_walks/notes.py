"""The notes app in the program walk (see ``tests/program_walks/enrollments.py``)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ontrack.notes import selectors, services
from ontrack.notes.models import Document, Note, NoteRevision
from tests.program_walks.world import ProgramWorld

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8


def _note(w: ProgramWorld, enrollment: Any) -> Note:
    return Note.objects.create(enrollment=enrollment, body="walk", created_by=w.actor,
                               created_at=timezone.now())  # fmt: skip


def _document(w: ProgramWorld, enrollment: Any) -> Document:
    # A row only: the walk never reaches the bytes of a document it may not see.
    return Document.objects.create(
        enrollment=enrollment, display_name="walk.png", stored_name=f"walk{enrollment.pk}",
        content_type="image/png", size=len(PNG), sha256="0" * 64, uploaded_by=w.actor,
        uploaded_at=timezone.now(),
    )  # fmt: skip


def _walk_notes(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        _note(w, enrollment)
    assert len(selectors.notes_of(actor=w.actor, enrollment_id=w.visible.pk)) == 1
    assert list(selectors.notes_of(actor=w.actor, enrollment_id=w.hidden.pk)) == []


def _walk_get_note(w: ProgramWorld) -> None:
    from ontrack.common.errors import NotFound

    shown, hidden = _note(w, w.visible), _note(w, w.hidden)
    assert selectors.get_note(actor=w.actor, note_id=shown.pk) == shown
    for pk in (hidden.pk, hidden.pk + 1000):
        try:
            selectors.get_note(actor=w.actor, note_id=pk)
        except NotFound:
            continue
        raise AssertionError(f"note {pk} was returned")


def _walk_documents(w: ProgramWorld) -> None:
    for enrollment in (w.visible, w.hidden):
        _document(w, enrollment)
    assert len(selectors.documents_of(actor=w.actor, enrollment_id=w.visible.pk)) == 1
    assert list(selectors.documents_of(actor=w.actor, enrollment_id=w.hidden.pk)) == []


def _walk_get_document(w: ProgramWorld) -> None:
    from ontrack.common.errors import NotFound

    shown, hidden = _document(w, w.visible), _document(w, w.hidden)
    assert selectors.get_document(actor=w.actor, document_id=shown.pk) == shown
    for pk in (hidden.pk, hidden.pk + 1000):
        try:
            selectors.get_document(actor=w.actor, document_id=pk)
        except NotFound:
            continue
        raise AssertionError(f"document {pk} was returned")


SELECTORS: dict[str, Callable[[ProgramWorld], None]] = {
    "ontrack.notes.selectors.notes_of": _walk_notes,
    "ontrack.notes.selectors.get_note": _walk_get_note,
    "ontrack.notes.selectors.documents_of": _walk_documents,
    "ontrack.notes.selectors.get_document": _walk_get_document,
}
NOT_ABOUT_RECORDS: dict[str, str] = {}


def _enrollment_page(body: Any) -> Callable[[ProgramWorld], Any]:
    return lambda w: ({"enrollment_id": w.hidden.pk}, {"enrollment_id": w.missing}, body())


def _note_page(w: ProgramWorld) -> Any:
    note = _note(w, w.hidden)
    return {"note_id": note.pk}, {"note_id": note.pk + 1000}, None


def _document_page(w: ProgramWorld) -> Any:
    document = _document(w, w.hidden)
    return {"document_id": document.pk}, {"document_id": document.pk + 1000}, None


PAGES: dict[str, Callable[[ProgramWorld], tuple[dict[str, int], dict[str, int], Any]]] = {
    "notes:add": _enrollment_page(lambda: {"body": "walk"}),
    "notes:upload": _enrollment_page(lambda: {"file": SimpleUploadedFile("w.png", PNG)}),
    "notes:edit": _note_page,
    "notes:download": _document_page,
}


def _edit_hidden(w: ProgramWorld) -> Callable[[], Any]:
    note_id = _note(w, w.hidden).pk  # made before the walk compares what changed
    return lambda: services.edit_note(actor=w.actor, note_id=note_id, body="changed",
                                      expected_version=1)  # fmt: skip


SERVICES: dict[str, Callable[[ProgramWorld], Callable[[], Any]]] = {
    "ontrack.notes.services.add_note": lambda w: lambda: services.add_note(
        actor=w.actor, enrollment_id=w.hidden.pk, body="walk"),
    "ontrack.notes.services.edit_note": _edit_hidden,
    "ontrack.notes.services.add_document": lambda w: lambda: services.add_document(
        actor=w.actor, enrollment_id=w.hidden.pk, content=io.BytesIO(PNG), name="w.png"),
}  # fmt: skip
SERVICE_MODULES: list[Any] = [services]


def _api_enrollment(path: str, calls: list[tuple[str, Any]]) -> Callable[[ProgramWorld], Any]:
    return lambda w: (f"enrollments/{w.hidden.pk}/{path}", f"enrollments/{w.missing}/{path}", calls)


def _api_note(w: ProgramWorld) -> Any:
    note = _note(w, w.hidden)
    return (f"notes/{note.pk}", f"notes/{note.pk + 1000}",
            [("patch", {"body": "changed", "version": 1})])  # fmt: skip


def _api_document(w: ProgramWorld) -> Any:
    document = _document(w, w.hidden)
    return f"documents/{document.pk}/content", f"documents/{document.pk + 1000}/content", [
        ("get", None)]  # fmt: skip


API_CALLS: dict[str, Callable[[ProgramWorld], Any]] = {
    "api:enrollment_notes": _api_enrollment("notes", [("get", None), ("post", {"body": "walk"})]),
    "api:note": _api_note,
    "api:enrollment_documents": _api_enrollment("documents", [("get", None)]),
    "api:document_content": _api_document,
}


def state() -> tuple[Any, ...]:
    return (
        list(Note.objects.order_by("pk").values_list("body", "row_version")),
        NoteRevision.objects.count(),
        Document.objects.count(),
    )


def samples(records: dict[str, Any], case: Any) -> dict[str, Any]:
    """A note and a document (its bytes stored) on the sample enrollment, for tests that open
    every page."""
    from django.contrib.auth import get_user_model

    from ontrack.notes import storage

    enrollment = records["enrollment"]
    author = enrollment.case.case_manager or get_user_model().objects.order_by("pk").first()
    assert author is not None  # the sample records include staff
    note = Note.objects.create(enrollment=enrollment, body="sample", created_by=author,
                               created_at=timezone.now())  # fmt: skip
    stored_name, sha256 = storage.store([PNG])
    document = Document.objects.create(
        enrollment=enrollment, display_name="Pay stub (March).png", stored_name=stored_name,
        content_type="image/png", size=len(PNG), sha256=sha256, uploaded_by=author,
        uploaded_at=timezone.now(),
    )  # fmt: skip
    return {"note_id": note.pk, "document_id": document.pk}
