"""The WSGI entry point (ADR 0057): a server process loads the catalog and the classifier as
it starts, so that no worker's first case page pays for them."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_wsgi_application_loads_the_catalog_and_classifier(tmp_path) -> None:
    code = (
        "import ontrack.wsgi\n"
        "from ontrack.offenses.classify import default_classifier\n"
        "from ontrack.offenses.lookup import catalog\n"
        "print(catalog.cache_info().currsize, default_classifier.cache_info().currsize)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "ONTRACK_VAR_DIR": str(tmp_path)}
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1", "1"]
