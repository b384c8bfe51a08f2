"""The benchmark scripts keep running and keep checking correctness (not time): at a small
size, the engine's output must equal the hand-written query's, and the simulation tables
must equal the inline ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_eligibility_benchmark_runs_and_outputs_agree() -> None:
    result = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            str(ROOT / "benchmarks" / "eligibility.py"),
            "--rows",
            "5000",
            "--seed",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "outputs identical (5,000 rows x 14 compared columns)" in result.stdout
    assert (
        "The inline group_by + pivot tables were computed too and are identical." in result.stdout
    )


def test_import_benchmark_runs_both_commands_and_checks_their_work() -> None:
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "benchmarks" / "imports.py"), "--people", "200", "--seed", "4"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "SQLite: 200 people imported; baseline table holds" in result.stdout
    assert "ontrack import" in result.stdout
    assert "SQLite target (ratio <= 10x, peak <= 1,024 MiB):" in result.stdout


def test_screen_command_benchmark_runs_and_outputs_agree() -> None:
    """The whole-command benchmark at a small size: ``ontrack screen`` and the hand-written
    script (both subprocesses) must write identical results."""
    result = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            str(ROOT / "benchmarks" / "screen_command.py"),
            "--rows",
            "3000",
            "--seed",
            "2",
            "--runs",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "outputs identical (3,000 rows)" in result.stdout
    assert "ratio of wall medians " in result.stdout
