"""The notes API (cross-app: the api app sits above notes, so its tests live here)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from ontrack.api.tests.helpers import Api, token_for
from ontrack.audit.models import AccessEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.notes.services import add_document

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONTRACK_DOCUMENTS_DIR", str(tmp_path))
    return tmp_path


def test_the_api_adds_lists_and_edits_notes(case_manager: Any) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    api = Api(token_for(case_manager))
    added = api.post(f"enrollments/{enrollment.pk}/notes", {"body": "Called"})
    assert added.status_code == 201
    note_id = added.json()["id"]
    stale = api.patch(f"notes/{note_id}", {"body": "Called twice", "version": 2})
    assert stale.status_code == 409
    edited = api.patch(f"notes/{note_id}", {"body": "Called twice", "version": 1, "reason": "x"})
    assert (edited.json()["body"], edited.json()["version"]) == ("Called twice", 2)
    assert edited.json()["revisions"][0]["previous_body"] == "Called"
    listed = api.get(f"enrollments/{enrollment.pk}/notes")
    assert [n["body"] for n in listed.json()] == ["Called twice"]
    blank = api.post(f"enrollments/{enrollment.pk}/notes", {"body": "  "})
    assert (blank.status_code, blank.json()["errors"]) == (422, {"body": "write the note"})


def test_the_api_serves_a_document_as_an_audited_attachment(
    case_manager: Any, folder: Path
) -> None:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=case_manager))
    document = add_document(actor=case_manager, enrollment_id=enrollment.pk,
                            content=io.BytesIO(PNG), name="scan.png")  # fmt: skip
    api = Api(token_for(case_manager))
    listed = api.get(f"enrollments/{enrollment.pk}/documents")
    assert [(d["display_name"], d["size"]) for d in listed.json()] == [("scan.png", 16)]
    response = api.get(f"documents/{document.pk}/content")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith('attachment; filename="scan.png"')
    assert response["X-Content-Type-Options"] == "nosniff"
    row = AccessEvent.objects.filter(action="api.document.content").get()
    assert (row.object_id, row.outcome, row.status_code) == (str(document.pk), "success", 200)
