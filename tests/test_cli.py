"""The ``ontrack`` console command: real subprocesses, exit codes, no tracebacks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ONTRACK = Path(os.environ.get("VIRTUAL_ENV", ".venv")) / "bin" / "ontrack"


def ontrack(
    *args: str,
    tmp_path: Path | None,
    stdin: str | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``ontrack ARGS`` with no OnTrack variable from this process; ``tmp_path`` (when given)
    is its ONTRACK_VAR_DIR, ``env`` adds variables, ``cwd`` is where it starts."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ONTRACK_")}
    if tmp_path is not None:
        clean["ONTRACK_VAR_DIR"] = str(tmp_path)
    executable = str(ONTRACK.resolve()) if ONTRACK.exists() else "ontrack"
    return subprocess.run(  # noqa: S603 - our own console script with fixed arguments
        [executable, *args],
        env=clean | (env or {}),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        input=stdin,
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


SHARED_TABLE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SHARED_TABLE = SHARED_TABLE / "ca-doj-offense-codes" / "offense-codes.csv"
SHIPPED = Path(__file__).resolve().parents[1] / "src/ontrack/offenses/data/doj-offense-codes.csv"


def test_build_catalog_from_the_doj_table_reproduces_the_shipped_file(tmp_path: Path) -> None:
    out = tmp_path / "built.csv"
    result = ontrack(
        "build_catalog", "--source", str(SHARED_TABLE), "--output", str(out), tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "built.csv: 5062 rows from offense-codes.csv" in result.stdout
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_bad_input_exits_2_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        SHARED_TABLE.read_text().splitlines()[0] + "\n12,245(A)(1),PC,ADW,Q,,,,,1,2012-01-01,\n"
    )
    out = tmp_path / "built.csv"
    result = ontrack("build_catalog", "--source", str(bad), "--output", str(out), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "bad.csv: row 2: charge_type: 'Q' is not F, M, I or X" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()  # refused: nothing written
    missing = ontrack("build_catalog", "--source", str(tmp_path / "nope.csv"), tmp_path=tmp_path)
    assert missing.returncode == 2
    assert "no such file" in missing.stderr


def test_unknown_actor_is_bad_input(migrated: Path) -> None:
    result = ontrack("synth", "--people", "1", "--actor", "nobody", tmp_path=migrated)
    assert result.returncode == 2
    assert "--actor: no active user 'nobody'" in result.stderr


def test_demo_users_print_one_login_per_role(migrated: Path) -> None:
    result = ontrack("create_demo_users", tmp_path=migrated)
    assert result.returncode == 0, result.stderr
    # Each login line is followed by its authenticator key, otpauth URI and backup codes.
    out = result.stdout.splitlines()[1:]
    lines = [line.split() for line in out[0::4]]
    assert [line[-2] for line in lines] == [
        "demo-case-manager",
        "demo-supervisor",
        "demo-analyst",
        "demo-auditor",
        "demo-administrator",
    ]
    assert [line.split(":")[0].strip() for line in out[1::4]] == ["authenticator key"] * 5
    assert all(line.split()[2].startswith("otpauth://totp/OnTrack") for line in out[2::4])
    assert [len(line.split()[2:]) for line in out[3::4]] == [10] * 5


def test_staff_add_reads_the_password_from_stdin_and_refusals_exit_2(migrated: Path) -> None:
    added = ontrack(
        "staff", "add", "cli-admin", "--role", "administrator", "--password-stdin",
        tmp_path=migrated, stdin="a-long-initial-passphrase-1\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert len(added.stdout.splitlines()) == 12  # the summary, the heading, ten codes
    again = ontrack(
        "staff", "add", "cli-admin", "--role", "analyst", "--password-stdin",
        tmp_path=migrated, stdin="a-long-initial-passphrase-1\n",
    )  # fmt: skip
    assert again.returncode == 2
    assert "username: 'cli-admin' is taken" in again.stderr
    assert "Traceback" not in again.stderr
    listed = ontrack("staff", "list", tmp_path=migrated)
    assert listed.returncode == 0, listed.stderr
    assert "cli-admin\t-\tadministrator\t-\tyes\tnever\tno\tno" in listed.stdout.splitlines()
