"""``make demo PORT=8001`` serves the demo on that port (default 8000), and says so."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def demo_plan(*variables: str) -> list[str]:
    """The lines ``make demo`` would run (``make -n`` runs none of them)."""
    make = shutil.which("make") or "make"
    done = subprocess.run(  # noqa: S603 - make with fixed arguments, nothing executed
        [make, "-n", "-s", "demo", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [line for line in done.stdout.splitlines() if "8000" in line or "8001" in line]


def test_demo_serves_on_port_8000_by_default() -> None:
    assert demo_plan() == [
        'echo "Open http://127.0.0.1:8000/ and sign in with one of the logins above."',
        ".venv/bin/ontrack runserver 127.0.0.1:8000",
    ]


def test_demo_port_is_chosen_with_port() -> None:
    assert demo_plan("PORT=8001") == [
        'echo "Open http://127.0.0.1:8001/ and sign in with one of the logins above."',
        ".venv/bin/ontrack runserver 127.0.0.1:8001",
    ]
