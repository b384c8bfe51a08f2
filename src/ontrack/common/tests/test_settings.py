"""Production settings refuse to start without what production needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ONTRACK_")}
    base.update({"DJANGO_SETTINGS_MODULE": "ontrack.settings", "ONTRACK_VAR_DIR": str(tmp_path)})
    base.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", CHECK],
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_development_defaults(tmp_path: Path) -> None:
    result = run({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    secret = tmp_path / "secret_key"
    assert len(secret.read_text()) >= 64
    assert oct(secret.stat().st_mode)[-3:] == "600"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "ONTRACK_SECRET_KEY must be set"),
        ({"ONTRACK_SECRET_KEY": "short"}, "ONTRACK_SECRET_KEY must be set"),
        ({"ONTRACK_SECRET_KEY": "k" * 60}, "ONTRACK_ALLOWED_HOSTS must be set"),
        (
            {"ONTRACK_SECRET_KEY": "k" * 60, "ONTRACK_ALLOWED_HOSTS": "x", "ONTRACK_DEBUG": "true"},
            "ONTRACK_DEBUG must be off",
        ),
    ],
)
def test_production_refuses_to_start(tmp_path: Path, env: dict[str, str], message: str) -> None:
    result = run({"ONTRACK_ENVIRONMENT": "production", **env}, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_starts_with_its_settings(tmp_path: Path) -> None:
    result = run(
        {
            "ONTRACK_ENVIRONMENT": "production",
            "ONTRACK_SECRET_KEY": "k" * 60,
            "ONTRACK_ALLOWED_HOSTS": "ontrack.example.org",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_bad_flag_is_an_error(tmp_path: Path) -> None:
    result = run({"ONTRACK_DEBUG": "maybe"}, tmp_path)
    assert result.returncode != 0
    assert "ONTRACK_DEBUG must be true or false" in result.stderr
