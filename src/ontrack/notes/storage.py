"""Where documents' bytes are kept: ``$ONTRACK_DOCUMENTS_DIR``, else ``documents/`` in the
data directory (``common/location.var_dir``, beside the database), outside every path the
web server serves (no STATIC or MEDIA root points there). Read at call time.

A file is written to a temporary name in the same folder and renamed into place, so a file
under its final name is always complete; the name is random (``secrets.token_hex``), never
derived from what the uploader sent.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from ontrack.common.location import var_dir

DIR_VARIABLE = "ONTRACK_DOCUMENTS_DIR"


def documents_dir() -> Path:
    raw = os.environ.get(DIR_VARIABLE, "").strip()
    path = Path(raw).expanduser().resolve() if raw else var_dir() / "documents"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def path_of(stored_name: str) -> Path:
    if not stored_name.isalnum():  # only names this module made
        raise ValueError(f"not a stored name: {stored_name!r}")
    return documents_dir() / stored_name


def store(chunks: Iterable[bytes]) -> tuple[str, str]:
    """Write the chunks under a new random name; (stored name, sha256). Nothing is left
    behind when writing fails."""
    folder = documents_dir()
    name = secrets.token_hex(16)
    partial = folder / f".{name}.partial"
    digest = hashlib.sha256()
    try:
        with open(partial, "xb") as out:
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, folder / name)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return name, digest.hexdigest()


def remove(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)
