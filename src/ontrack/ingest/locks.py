"""One import per feed at a time, with locks the operating system or database releases
when the importing process dies (even by SIGKILL), so a crash never leaves a feed stuck.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from ontrack.common.errors import ServiceError


class FeedBusy(ServiceError):
    """Another import of the same feed is running."""


def _lock_id(feed: str) -> int:
    return int.from_bytes(
        hashlib.sha256(f"ontrack-import:{feed}".encode()).digest()[:8], "big", signed=True
    )


@contextmanager
def feed_lock(feed: str) -> Iterator[None]:
    if connection.vendor == "postgresql":
        # A session-level advisory lock: released at disconnect, including a killed process.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_lock_id(feed)])
            if not cursor.fetchone()[0]:
                raise FeedBusy(
                    f"another import of feed {feed!r} is running; try again when it ends"
                )
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_id(feed)])
        return
    # SQLite: an advisory lock on a file beside the database; the kernel drops it with the
    # process. (SQLite itself also allows only one writer at a time.)
    folder = Path(settings.VAR_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"import-{hashlib.sha256(feed.encode()).hexdigest()[:16]}.lock").open(
        "w"
    ) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise FeedBusy(
                f"another import of feed {feed!r} is running; try again when it ends"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
