"""Which database role a process connects as (CJIS AU-9, ADR 0022).

`.ci/run` proves the routing end to end: `ontrack migrate` there would fail as the application
role, which may not create tables.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PRINT_USER = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['USER'])"
)
APP = "postgres://ontrack_app@db.example:5432/ontrack"
OWNER = "postgres://ontrack_owner@db.example:5432/ontrack"


def run(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ONTRACK_")}
    base.update({"DJANGO_SETTINGS_MODULE": "ontrack.settings", "ONTRACK_VAR_DIR": str(tmp_path)})
    base.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", PRINT_USER],
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "user"),
    [
        ({"ONTRACK_DATABASE_URL": APP}, "ontrack_app"),
        ({"ONTRACK_DATABASE_URL": APP, "ONTRACK_MIGRATE_DATABASE_URL": OWNER}, "ontrack_app"),
        (
            {
                "ONTRACK_DATABASE_URL": APP,
                "ONTRACK_MIGRATE_DATABASE_URL": OWNER,
                "ONTRACK_CONNECT_AS": "owner",
            },
            "ontrack_owner",
        ),
        # Without an owner URL there is one role; asking for the owner changes nothing.
        ({"ONTRACK_DATABASE_URL": APP, "ONTRACK_CONNECT_AS": "owner"}, "ontrack_app"),
    ],
)
def test_the_application_connects_as_its_role_and_schema_commands_as_the_owner(
    tmp_path: Path, env: dict[str, str], user: str
) -> None:
    result = run(env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == user


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {
                "ONTRACK_DATABASE_URL": APP,
                "ONTRACK_MIGRATE_DATABASE_URL": "postgres://ontrack_owner@db.example:5432/other",
            },
            "ONTRACK_MIGRATE_DATABASE_URL must name the same database",
        ),
        (
            {"ONTRACK_MIGRATE_DATABASE_URL": OWNER},  # the application itself is on SQLite
            "ONTRACK_MIGRATE_DATABASE_URL must name the same database",
        ),
        (
            {"ONTRACK_DATABASE_URL": APP, "ONTRACK_CONNECT_AS": "root"},
            "ONTRACK_CONNECT_AS must be 'application' or 'owner', not 'root'",
        ),
    ],
)
def test_database_role_settings_refuse_a_mismatch(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = run(env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
