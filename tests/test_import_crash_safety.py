"""Kill -9 the importer at random points: the database is always all-before or all-after.

Runs against the database the suite runs on: a file-backed SQLite database on the SQLite run,
the test database on the PostgreSQL run (``.ci/run`` does both).
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from ontrack.synth.export import write_caseload_csv
from ontrack.synth.generate import generate

TABLES = [
    "people_person", "people_personidentifier", "cases_case", "cases_charge", "cases_arrest",
    "cases_priorrecord", "ingest_importbatch", "audit_auditevent",
]  # fmt: skip
ONTRACK = Path(sys.executable).with_name("ontrack")


def _fingerprint(run: Callable[[str], list[tuple[Any, ...]]]) -> tuple[tuple[str, int, str], ...]:
    result = []
    for table in TABLES:
        rows = run(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 - fixed table names
        result.append((table, len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()))
    return tuple(result)


def _env(url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONTRACK_")}
    env.update({"ONTRACK_DATABASE_URL": url, "ONTRACK_VAR_DIR": str(var_dir)})
    return env


def _import(env: dict[str, str], csv_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own console script
        [str(ONTRACK), "import", "caseload", str(csv_path), "--profile", "ontrack", "-v", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_sigkill_at_random_points_leaves_before_or_after(tmp_path: Path) -> None:
    if connection.vendor == "sqlite":
        db_file = tmp_path / "crash.sqlite3"
        url = f"sqlite:///{db_file}"
        migrate = subprocess.run(  # noqa: S603
            [str(ONTRACK), "migrate", "-v", "0"],
            env=_env(url, tmp_path),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stderr

        def run(sql: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(db_file) as db:
                found: list[tuple[Any, ...]] = db.execute(sql).fetchall()
                return found
    else:
        s = connection.settings_dict
        url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"

        def run(sql: str) -> list[tuple[Any, ...]]:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall())

    env = _env(url, tmp_path)
    csv_path = tmp_path / "caseload.csv"
    write_caseload_csv(generate(3000, 17), 17, csv_path)
    before = _fingerprint(run)
    rng = random.Random(20261130)
    observed = []
    for attempt in range(6):
        process = _import(env, csv_path)
        aim = "stage: writing" if attempt % 3 else "stage: comparing with the database"
        assert process.stderr is not None
        for line in process.stderr:
            if line.strip() == aim:
                break
        # Mostly inside the write transaction; the last kills later, around the commit.
        time.sleep(rng.uniform(0.0, 0.5) if attempt < 4 else rng.uniform(0.5, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        observed.append((attempt, process.returncode, _fingerprint(run)))
    # Finally let one run to the end (a killed PostgreSQL session may hold the feed lock for
    # a moment until the server notices the client is gone).
    for _ in range(30):
        finished = subprocess.run(  # noqa: S603
            [str(ONTRACK), "import", "caseload", str(csv_path), "--profile", "ontrack"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if "another import" not in finished.stderr:
            break
        time.sleep(1)
    assert finished.returncode == 0, finished.stderr
    after = _fingerprint(run)
    assert after != before
    assert {t: n for t, n, _ in after}["people_person"] == 3000
    for attempt, returncode, state in observed:
        assert state in (before, after), (
            f"attempt {attempt} (exit {returncode}) left a partial import"
        )
