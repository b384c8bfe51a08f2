"""Where OnTrack keeps its data when no database URL is given (no Django here: ``ontrack.cli``
reads it before Django's set-up, and ``settings`` reads it to build the database setting).

The default is the ``var/`` folder of the directory the command runs in, or
``ONTRACK_VAR_DIR``. One rule for both readers, so that the place the command checks is the
place the settings open.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def var_dir() -> Path:
    """``ONTRACK_VAR_DIR``, else ``./var`` of the current directory."""
    return Path(os.environ.get("ONTRACK_VAR_DIR", Path.cwd() / "var")).resolve()


def default_sqlite() -> Path:
    """The SQLite file used when ``ONTRACK_DATABASE_URL`` is unset."""
    return var_dir() / "ontrack.sqlite3"


def default_database_is_set_up() -> bool:
    """True when the default SQLite file exists and has been migrated. Opened read-only: a
    check must not create the file it is looking for (SQLite creates a missing file on
    connect, which is how a command run from the wrong folder got an empty database)."""
    path = default_sqlite()
    if not path.is_file():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            row = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
    except sqlite3.Error:
        return False
    return row is not None
