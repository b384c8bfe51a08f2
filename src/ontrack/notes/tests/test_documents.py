"""Documents: types by their bytes, the size limit, safe names, storage outside the web
root, atomic uploads, and downloads as audited attachments."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from conftest import make_user
from django.conf import settings as django_settings

from ontrack.audit.models import AccessEvent, AuditEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.enrollments.models import TimelineEntry
from ontrack.enrollments.tests.factories import EnrollmentFactory
from ontrack.notes import services
from ontrack.notes.models import Document
from ontrack.notes.names import display_name
from ontrack.notes.services import add_document

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONTRACK_DOCUMENTS_DIR", str(tmp_path / "docs"))
    return tmp_path / "docs"


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _state(folder: Path) -> tuple[Any, ...]:
    return (Document.objects.count(), TimelineEntry.objects.count(), AuditEvent.objects.count(),
            _files(folder))  # fmt: skip


def _enrollment(user: Any) -> Any:
    return EnrollmentFactory(case=CaseFactory(case_manager=user))


def _upload(actor: Any, enrollment: Any, data: bytes, name: str = "order.pdf") -> Document:
    return add_document(actor=actor, enrollment_id=enrollment.pk, content=io.BytesIO(data),
                        name=name, description="Court order")  # fmt: skip


def test_a_pdf_is_kept_under_a_random_name(case_manager: Any, folder: Path) -> None:
    enrollment = _enrollment(case_manager)
    document = _upload(case_manager, enrollment, PDF)
    assert (document.display_name, document.content_type, document.size, document.sha256) == (
        "order.pdf", "application/pdf", 35,  # sha256sum of the same bytes
        "14fb1bb0a3f76503d164c7fd78a07c420c2f07eecd41793b406c6f75f2bc2aba")  # fmt: skip
    assert _files(folder) == [document.stored_name]
    assert len(document.stored_name) == 32
    assert "order" not in document.stored_name
    assert (folder / document.stored_name).read_bytes() == PDF
    assert TimelineEntry.objects.get().kind == "document.added"
    assert AuditEvent.objects.get(action="document.added").details["size"] == 35


def test_the_default_folder_is_beside_the_database_not_under_a_served_root(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ontrack.notes.storage import documents_dir

    monkeypatch.delenv("ONTRACK_DOCUMENTS_DIR")
    monkeypatch.setenv("ONTRACK_VAR_DIR", str(tmp_path / "var"))
    assert documents_dir() == tmp_path / "var" / "documents"
    assert getattr(django_settings, "MEDIA_ROOT", "") in ("", None)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "order.pdf"),  # HTML named .pdf
        (b"MZ\x90\x00executable", "photo.jpg"),
        (b"plain words", "notes.txt"),
        (b"GIF89a....", "x.png"),
    ],
)
def test_a_file_whose_bytes_are_not_allowed_is_refused(
    case_manager: Any, folder: Path, data: bytes, name: str
) -> None:
    enrollment = _enrollment(case_manager)
    before = _state(folder)
    with pytest.raises(ValidationFailed) as refused:
        _upload(case_manager, enrollment, data, name)
    assert refused.value.problems == {
        "file": "only PDF, PNG or JPEG files are kept; this file is not one of them"}  # fmt: skip
    assert _state(folder) == before


def test_an_oversize_file_is_refused_and_nothing_is_stored(
    case_manager: Any, folder: Path, settings: Any
) -> None:
    settings.ONTRACK_MAX_UPLOAD_BYTES = 40
    enrollment = _enrollment(case_manager)
    assert _upload(case_manager, enrollment, PDF + b"12345").size == 40  # exactly the limit
    before = _state(folder)
    with pytest.raises(ValidationFailed) as refused:
        _upload(case_manager, enrollment, PDF + b"123456")
    assert refused.value.problems == {"file": "a file is at most 40 bytes; this one is larger"}
    assert _state(folder) == before


def test_the_default_limit_is_ten_megabytes() -> None:
    assert django_settings.ONTRACK_MAX_UPLOAD_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\scan.png", "scan.png"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("report\x00.pdf", "report .pdf"),
        ("evil\u202egpj.exe", "evil gpj.exe"),  # a right-to-left override disguising .exe
        ("...hidden", "hidden"),
        ('say"hi".pdf', "say'hi'.pdf"),
        ("../", "document"),
        ("", "document"),
    ],
)
def test_names_are_made_safe(raw: str, shown: str) -> None:
    assert display_name(raw, fallback="document") == shown


def test_a_long_name_keeps_its_extension() -> None:
    shown = display_name("a" * 300 + ".pdf", fallback="document")
    assert (len(shown), shown[-4:]) == (200, ".pdf")


def test_a_failed_database_write_removes_the_file(
    case_manager: Any, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    enrollment = _enrollment(case_manager)
    before = _state(folder)

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "record_event", broken)
    with pytest.raises(RuntimeError):
        _upload(case_manager, enrollment, PDF)
    assert _state(folder) == before


def test_a_failed_file_write_leaves_nothing_in_the_database(
    case_manager: Any, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ontrack.notes import storage

    enrollment = _enrollment(case_manager)
    before = _state(folder)

    def full(chunks: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "store", full)
    with pytest.raises(OSError, match="No space left"):
        _upload(case_manager, enrollment, PDF)
    assert _state(folder) == before


def test_a_document_on_a_hidden_enrollment_is_not_found(case_manager: Any, folder: Path) -> None:
    other = _enrollment(make_user("case_manager", "other"))
    before = _state(folder)
    with pytest.raises(NotFound):
        _upload(case_manager, other, PNG)
    assert _state(folder) == before


# --- the pages -------------------------------------------------------------------------------


def test_a_download_is_an_audited_attachment(client: Any, case_manager: Any) -> None:
    document = _upload(case_manager, _enrollment(case_manager), PNG, "scan é.png")
    client.force_login(case_manager)
    before = AccessEvent.objects.count()
    response = client.get(f"/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"scan _.png\"; filename*=UTF-8''scan%20%C3%A9.png")  # fmt: skip
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessEvent.objects.count() == before + 1
    row = AccessEvent.objects.latest("pk")
    assert (row.actor_id, row.action, row.object_type, row.object_id, row.outcome,
            row.status_code) == (case_manager.pk, "document.downloaded", "notes.document",
                                 str(document.pk), "success", 200)  # fmt: skip


def test_a_hidden_document_is_a_404_recorded_as_denied(client: Any, case_manager: Any) -> None:
    owner = make_user("case_manager", "owner")
    document = _upload(owner, _enrollment(owner), PNG)
    client.force_login(case_manager)
    before = AccessEvent.objects.count()
    response = client.get(f"/documents/{document.pk}/")
    assert response.status_code == 404
    assert AccessEvent.objects.count() == before + 1
    row = AccessEvent.objects.latest("pk")
    assert (row.action, row.object_id, row.outcome, row.status_code) == (
        "document.downloaded", str(document.pk), "denied", 404)  # fmt: skip


def test_the_page_uploads_and_refuses_html_named_pdf(client: Any, case_manager: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    enrollment = _enrollment(case_manager)
    client.force_login(case_manager)
    fake = SimpleUploadedFile("x.pdf", b"<html></html>", content_type="application/pdf")
    response = client.post(f"/participants/{enrollment.pk}/documents/", {"file": fake})
    assert response.status_code == 302
    assert Document.objects.count() == 0
    real = SimpleUploadedFile("../../x.pdf", PDF, content_type="text/html")
    client.post(f"/participants/{enrollment.pk}/documents/", {"file": real})
    assert list(Document.objects.values_list("display_name", "content_type")) == [
        ("x.pdf", "application/pdf")]  # fmt: skip
