"""The participant page's Notes and Documents panels: a constant number of queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ontrack.cases.tests.factories import CaseFactory
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.notes.models import Document, Note, NoteRevision

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONTRACK_DOCUMENTS_DIR", str(tmp_path))
    return tmp_path


def _rows(enrollment: Any, user: Any, count: int) -> None:
    now = timezone.now()
    notes = Note.objects.bulk_create(
        Note(enrollment=enrollment, body=f"note {i}", created_by=user, created_at=now)
        for i in range(count)
    )
    NoteRevision.objects.bulk_create(
        NoteRevision(note=note, previous_body="before", edited_by=user, edited_at=now)
        for note in notes
    )
    Document.objects.bulk_create(
        Document(enrollment=enrollment, display_name=f"d{i}.png", stored_name=f"s{i}x{count}",
                 content_type="image/png", size=8, sha256="0" * 64, uploaded_by=user,
                 uploaded_at=now)
        for i in range(count)
    )  # fmt: skip


def _queries(client: Any, user: Any, count: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=user))
    _rows(enrollment, user, count)
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/participants/{enrollment.pk}/")
    assert response.status_code == 200
    assert f"note {count - 1}".encode() in response.content
    assert f"d{count - 1}.png".encode() in response.content
    return len(captured)


def test_the_panels_run_the_same_queries_for_10_and_1000_rows(
    client: Any, case_manager: Any
) -> None:
    assert _queries(client, case_manager, 10) == _queries(client, case_manager, 1000)
