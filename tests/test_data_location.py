"""``ontrack`` run from another folder says where its data lives instead of silently creating
a new, empty database there (ADR 0042)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.test_cli import migrated, ontrack

__all__ = ["migrated"]


def run_in(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``ontrack`` started in ``folder`` with no OnTrack variable but ``env``."""
    return ontrack(*args, tmp_path=None, cwd=folder, env=env)


def test_a_folder_without_a_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    done = run_in(tmp_path, "staff", "list")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"ontrack: there is no OnTrack database at {tmp_path.resolve()}/var/ontrack.sqlite3.\n"
        "OnTrack keeps its data in the var/ folder of the directory it runs in (or in "
        "ONTRACK_VAR_DIR, or at ONTRACK_DATABASE_URL). Run it from the folder where you ran "
        "`make demo`, set ONTRACK_VAR_DIR to that folder's var/, or run `ontrack migrate` to "
        "create a new, empty database here.\n"
    )
    assert list(tmp_path.iterdir()) == []  # no var/, no empty database, no secret key


def test_an_empty_database_file_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "ontrack.sqlite3").touch()  # what connecting from the wrong folder once left
    done = run_in(tmp_path, "runserver", ONTRACK_VAR_DIR=str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.startswith(
        f"ontrack: there is no OnTrack database at {tmp_path.resolve()}/ontrack.sqlite3.\n"
    )


def test_the_folder_holding_var_and_ontrack_var_dir_both_find_the_data(
    tmp_path: Path,
    migrated: Path,
) -> None:
    (tmp_path / "var").symlink_to(migrated)
    from_the_folder = run_in(tmp_path, "staff", "list")
    assert from_the_folder.returncode == 0, from_the_folder.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    by_variable = run_in(elsewhere, "staff", "list", ONTRACK_VAR_DIR=str(migrated))
    assert (by_variable.returncode, by_variable.stdout) == (0, from_the_folder.stdout)
    assert list(elsewhere.iterdir()) == []


def test_commands_that_need_no_database_still_run_anywhere(tmp_path: Path) -> None:
    done = run_in(tmp_path, "help", "staff")
    assert done.returncode == 0, done.stderr
    assert "usage: ontrack staff" in done.stdout
