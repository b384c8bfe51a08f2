"""The catalog benchmark keeps running and keeps checking correctness (not time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def test_catalog_benchmark_runs_and_agrees_with_the_one_code_lookup() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/catalog_lookup.py", "--rows", "3000", "--codes", "500"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "3,000 rows" in result.stdout
    assert "2,000 sampled rows equal the one-code lookup." in result.stdout
