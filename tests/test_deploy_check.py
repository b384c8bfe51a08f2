"""``ontrack check --deploy --fail-level WARNING`` is clean with production settings (issue 8)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

CHECK = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('check', deploy=True, fail_level='WARNING')"
)


def run_check(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONTRACK_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ontrack.settings",
            "ONTRACK_VAR_DIR": str(tmp_path),
            "ONTRACK_ENVIRONMENT": "production",
            "ONTRACK_SECRET_KEY": secrets.token_urlsafe(64),
            "ONTRACK_ALLOWED_HOSTS": "ontrack.da.example.gov",
            **extra,
        }
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", CHECK],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr
    # Silenced: HSTS preload, off by decision (ADR 0027), and axes.W006, the lockout keyed
    # by username alone on purpose (ADR 0025).
    assert result.stdout.strip() == "System check identified no issues (2 silenced)."


def test_preload_opt_in_needs_no_silencing(tmp_path: Path) -> None:
    result = run_check(tmp_path, ONTRACK_HSTS_PRELOAD="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."  # axes


def test_the_check_fails_when_a_protection_is_off(tmp_path: Path) -> None:
    result = run_check(tmp_path, ONTRACK_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W008" in result.stderr
