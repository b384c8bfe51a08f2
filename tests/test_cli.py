"""The ``ontrack`` console command: real subprocesses, exit codes, no tracebacks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ONTRACK = Path(os.environ.get("VIRTUAL_ENV", ".venv")) / "bin" / "ontrack"


def ontrack(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONTRACK_")}
    env["ONTRACK_VAR_DIR"] = str(tmp_path)
    executable = str(ONTRACK) if ONTRACK.exists() else "ontrack"
    return subprocess.run(  # noqa: S603 - our own console script with fixed arguments
        [executable, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli")
    result = ontrack("migrate", "--noinput", tmp_path=home)
    assert result.returncode == 0, result.stderr
    return home


def test_any_management_command_runs(migrated: Path) -> None:
    result = ontrack("check", tmp_path=migrated)
    assert result.returncode == 0
    assert "System check identified no issues" in result.stdout


def test_catalog_load_then_reload(migrated: Path) -> None:
    first = ontrack("load_offense_catalog", tmp_path=migrated)
    assert first.returncode == 0, first.stderr
    assert " 0 updated, 0 unchanged, 0 removed" in first.stdout
    second = ontrack("load_offense_catalog", tmp_path=migrated)
    assert "0 created, 0 updated" in second.stdout


def test_bad_input_exits_2_with_a_message_and_no_traceback(migrated: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("jurisdiction: CA\nstatutes:\n  - {code: 'not a code'}\n")
    result = ontrack("load_offense_catalog", "--path", str(bad), tmp_path=migrated)
    assert result.returncode == 2
    assert "statute #1 (not a code): code: not a statute code" in result.stderr
    assert "Traceback" not in result.stderr
    missing = ontrack(
        "load_offense_catalog", "--path", str(tmp_path / "nope.yaml"), tmp_path=migrated
    )
    assert missing.returncode == 2
    assert "no such file" in missing.stderr


def test_unknown_actor_is_bad_input(migrated: Path) -> None:
    result = ontrack("load_offense_catalog", "--actor", "nobody", tmp_path=migrated)
    assert result.returncode == 2
    assert "--actor: no active user 'nobody'" in result.stderr


def test_demo_users_print_one_login_per_role(migrated: Path) -> None:
    result = ontrack("create_demo_users", tmp_path=migrated)
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()[1:]]
    assert [line[-2] for line in lines] == [
        "demo-case-manager",
        "demo-supervisor",
        "demo-analyst",
        "demo-auditor",
        "demo-administrator",
    ]
