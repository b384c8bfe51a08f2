"""Notes: add, edit with history, who may edit, stale edits, limits; refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_user

from ontrack.audit.models import AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.errors import ConcurrentEdit, NotFound, ValidationFailed
from ontrack.common.services import Forbidden
from ontrack.enrollments.models import TimelineEntry
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.notes.models import Note, NoteRevision
from ontrack.notes.services import add_note, edit_note

pytestmark = pytest.mark.django_db


def _state() -> tuple[Any, ...]:
    return (
        list(Note.objects.order_by("pk").values_list("body", "row_version")),
        list(NoteRevision.objects.values_list("previous_body", flat=True)),
        TimelineEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def _refused(call: Any, error: type[Exception] = ValidationFailed) -> Any:
    before = _state()
    with pytest.raises(error) as refused:
        call()
    assert _state() == before
    return refused.value


def _enrollment(user: Any) -> Any:
    return EnrollmentFactory(case=CaseFactory(case_manager=user))


def test_a_note_is_added_with_a_timeline_entry_that_hides_its_body(case_manager: Any) -> None:
    enrollment = _enrollment(case_manager)
    note = add_note(
        actor=case_manager, enrollment_id=enrollment.pk, body="  Called; will come Monday. "
    )
    assert (note.body, note.created_by, note.row_version, note.edited_at) == (
        "Called; will come Monday.", case_manager, 1, None)  # fmt: skip
    entry = TimelineEntry.objects.get(enrollment=enrollment)
    assert (entry.kind, entry.parameters, entry.ref_type, entry.ref_id) == (
        "note.added", {}, "notes.note", note.pk)  # fmt: skip
    audit = AuditEvent.objects.get(action="note.added")
    assert audit.details == {"enrollment": enrollment.pk, "length": 25}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "write the note"),
        ("x" * 10_001, "a note is at most 10000 characters (this one has 10001)"),
    ],
)
def test_a_blank_or_long_note_is_refused(case_manager: Any, body: str, message: str) -> None:
    enrollment = _enrollment(case_manager)
    refused = _refused(lambda: add_note(actor=case_manager, enrollment_id=enrollment.pk, body=body))
    assert refused.problems == {"body": message}


def test_a_note_on_an_enrollment_one_cannot_see_is_not_found(case_manager: Any) -> None:
    other = _enrollment(make_user("case_manager", "other"))
    _refused(lambda: add_note(actor=case_manager, enrollment_id=other.pk, body="x"), NotFound)


def test_an_auditor_reads_but_does_not_write(auditor: Any) -> None:
    enrollment = _enrollment(make_user("case_manager", "cm"))
    _refused(lambda: add_note(actor=auditor, enrollment_id=enrollment.pk, body="x"), Forbidden)


def test_the_author_edits_and_the_earlier_body_is_kept(case_manager: Any) -> None:
    note = add_note(actor=case_manager, enrollment_id=_enrollment(case_manager).pk, body="First")
    edited = edit_note(actor=case_manager, note_id=note.pk, body="Second", expected_version=1,
                       reason="typo")  # fmt: skip
    note.refresh_from_db()
    assert (note.body, note.row_version, edited.row_version) == ("Second", 2, 2)
    assert note.edited_at is not None
    assert list(NoteRevision.objects.values_list("previous_body", "edited_by", "reason")) == [
        ("First", case_manager.pk, "typo")]  # fmt: skip
    assert list(TimelineEntry.objects.order_by("pk").values_list("kind", flat=True)) == [
        "note.added", "note.edited"]  # fmt: skip
    assert AuditEvent.objects.get(action="note.edited").details == {"version": 2, "reason": "typo"}


def test_a_stale_edit_is_refused(case_manager: Any) -> None:
    note = add_note(actor=case_manager, enrollment_id=_enrollment(case_manager).pk, body="First")
    edit_note(actor=case_manager, note_id=note.pk, body="Second", expected_version=1)
    _refused(lambda: edit_note(actor=case_manager, note_id=note.pk, body="Third",
                               expected_version=1), ConcurrentEdit)  # fmt: skip


def test_another_case_manager_may_not_edit_a_note(case_manager: Any) -> None:
    colleague = make_user("case_manager", "colleague")
    note = add_note(actor=case_manager, enrollment_id=_enrollment(case_manager).pk, body="First")
    # The case is case_manager's (they see it), but the note is the colleague's.
    Note.objects.filter(pk=note.pk).update(created_by=colleague)
    refused = _refused(lambda: edit_note(actor=case_manager, note_id=note.pk, body="Mine now",
                                         expected_version=1), Forbidden)  # fmt: skip
    assert str(refused) == "only the note's author or a supervisor may edit it"


def test_a_supervisor_edits_anyones_note(case_manager: Any, supervisor: Any) -> None:
    note = add_note(actor=case_manager, enrollment_id=_enrollment(case_manager).pk, body="First")
    edit_note(actor=supervisor, note_id=note.pk, body="Corrected", expected_version=1)
    assert NoteRevision.objects.get().edited_by == supervisor
    assert Note.objects.get().body == "Corrected"


@pytest.mark.parametrize(
    ("body", "reason", "problems"),
    [
        ("", "", {"body": "write the note"}),
        ("First", "", {"body": "the note says this already"}),
        ("Second", "r" * 501, {"reason": "a reason is at most 500 characters"}),
    ],
)
def test_a_bad_edit_is_refused(case_manager: Any, body: str, reason: str, problems: Any) -> None:
    note = add_note(actor=case_manager, enrollment_id=_enrollment(case_manager).pk, body="First")
    refused = _refused(lambda: edit_note(actor=case_manager, note_id=note.pk, body=body,
                                         expected_version=1, reason=reason))  # fmt: skip
    assert refused.problems == problems


def test_the_edit_page_saves_and_refuses_a_stale_version(client: Any, case_manager: Any) -> None:
    note = add_note(actor=case_manager, enrollment_id=_enrollment(case_manager).pk, body="First")
    client.force_login(case_manager)
    url = f"/notes/{note.pk}/edit/"
    saved = client.post(url, {"body": "Second", "expected_version": "1", "reason": ""})
    assert saved.status_code == 302
    before = _state()
    stale = client.post(url, {"body": "Third", "expected_version": "1", "reason": ""})
    assert stale.status_code == 422
    assert b"someone changed this note since you opened it" in stale.content
    assert _state() == before
