"""The one way past the append-only lock: an explicit, scoped maintenance window.

The database triggers (migration 0002) refuse UPDATE, DELETE and TRUNCATE on the audit
trail unless the *current connection* has opened this window. Nothing in the application
opens it; it exists for the test runner's table flush and for a records-retention purge
that an administrator runs deliberately. On SQLite the triggers call a function that only
an OnTrack connection defines, so any other client is refused outright.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

_state = threading.local()


def _locked() -> int:
    return 0 if getattr(_state, "open", False) else 1


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` hook: define ``ontrack_audit_locked()`` on SQLite connections."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("ontrack_audit_locked", 0, _locked)


@contextmanager
def audit_maintenance_window() -> Iterator[None]:
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('ontrack.audit_maintenance', 'on', false)")
    _state.open = True
    try:
        yield
    finally:
        _state.open = False
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('ontrack.audit_maintenance', 'off', false)")
