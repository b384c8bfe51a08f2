"""The benchmark scripts keep running and keep checking correctness (not time): at a small
size, the engine's output must equal the hand-written query's, the simulation tables the
inline ones, ``ontrack screen`` the hand-written script's, the catalog's columnar lookup the
one-code lookup, and the import must do its work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def benchmark(script: str, *args: str) -> str:
    """Run ``benchmarks/SCRIPT`` with ``args`` as a user would; its standard output."""
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_eligibility_benchmark_runs_and_outputs_agree() -> None:
    out = benchmark("eligibility.py", "--rows", "5000", "--seed", "3")
    assert "outputs identical (5,000 rows x 14 compared columns)" in out
    assert "The inline group_by + pivot tables were computed too and are identical." in out


def test_import_benchmark_runs_both_commands_and_checks_their_work() -> None:
    out = benchmark("imports.py", "--people", "200", "--seed", "4")
    assert "SQLite: 200 people imported; baseline table holds" in out
    assert "ontrack import" in out
    assert "SQLite target (ratio <= 10x, peak <= 1,024 MiB):" in out


def test_screen_command_benchmark_runs_and_outputs_agree() -> None:
    """The whole-command benchmark at a small size: ``ontrack screen`` and the hand-written
    script (both subprocesses) must write identical results."""
    out = benchmark("screen_command.py", "--rows", "3000", "--seed", "2", "--runs", "1")
    assert "outputs identical (3,000 rows)" in out
    assert "ratio of wall medians " in out


def test_catalog_benchmark_runs_and_agrees_with_the_one_code_lookup() -> None:
    out = benchmark("catalog_lookup.py", "--rows", "3000", "--codes", "500")
    assert "3,000 rows" in out
    assert "2,000 sampled rows equal the one-code lookup." in out


def test_web_benchmark_signs_in_and_serves_each_endpoint_without_errors() -> None:
    """The web load benchmark end to end at a small size: a scratch site, gunicorn, two users
    signed in through the real sign-in pages (password, then TOTP), zero errors, its table
    printed. Its times are not checked."""
    out = benchmark(
        "web.py", "--people", "200", "--users", "2", "--seconds", "5", "--think", "0", "0.1",
        "--workers", "2",
    )  # fmt: skip
    assert "signed in: 2 users through the sign-in pages (password + TOTP)" in out
    assert "staff: 1 supervisors, 1 case managers, each with a TOTP authenticator" in out
    assert "\nerrors: 0\n" in out
    header = "endpoint  requests  errors  median  p95"
    assert any(
        " ".join(line.split()).startswith(" ".join(header.split())) for line in out.splitlines()
    )
    for label in (
        "baseline: sign-in page, signed in (redirect)",
        "case page /cases/<id>/",
        "queue: caseload /cases/ (case managers)",
        "queue: review /eligibility/review/ (supervisors)",
    ):
        row = next(line for line in out.splitlines() if line.startswith(label))
        requests, errors = row[len(label) :].split()[:2]
        assert int(requests.replace(",", "")) > 0, row
        assert errors == "0", row


def test_compliance_benchmark_runs_and_the_loop_agrees_with_the_columnar_path() -> None:
    # plans (issue 10): tiny scale; the columnar rows must equal the per-participant loop's.
    out = benchmark("compliance.py", "--participants", "50", "--events", "20",
                    "--loop-sample", "10", "--seed", "2")  # fmt: skip
    assert "50 participants, 400 requirements, 1,000 events" in out
    assert "outputs identical (80 requirements of 10 participants)" in out
