"""Which files may be uploaded, told by their first bytes (magic numbers), never by the
name's extension or the content type the browser sends: both are the uploader's words.

OWASP File Upload Cheat Sheet: allow-list the types, validate the content. Only formats a
program's papers come in (court orders, certificates, pay stubs as scans or PDFs); plain text
is not accepted, because text cannot be told from HTML or script by its bytes.
"""

from __future__ import annotations

# content type → the signatures its files start with
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
LONGEST = max(len(s) for signatures in SIGNATURES.values() for s in signatures)


def content_type_of(head: bytes) -> str | None:
    """The allowed type these first bytes start, or None (not allowed)."""
    for content_type, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return content_type
    return None


def allowed_words() -> str:
    return "PDF, PNG or JPEG"
