"""Browser fixtures: Playwright driving Debian's Chromium (never a downloaded browser); an
access store that refuses rows (CJIS AU-5 tests)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from playwright.sync_api import Browser, Page, sync_playwright

# Chromium is started with the flags that keep it off the network (this machine has none).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is required for browser tests: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@contextmanager
def refusing_inserts(table: str, message: str) -> Iterator[None]:
    """The database itself refuses INSERTs into ``table``: a real failure, not a mock."""
    name = f"test_{table}_down"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT ON {table}"
                f" BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            )
        else:
            cursor.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$"
                f" BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql;"
            )
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {name}();"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER {name}")
            else:
                cursor.execute(f"DROP TRIGGER {name} ON {table}")
                cursor.execute(f"DROP FUNCTION {name}()")


@pytest.fixture
def audit_store_down(db: None) -> Iterator[None]:
    """The change stream refuses rows."""
    with refusing_inserts("audit_auditevent", "audit store unavailable"):
        yield


@pytest.fixture
def access_store_down(db: None) -> Iterator[None]:
    """The access stream refuses rows (CJIS AU-5 tests)."""
    with refusing_inserts("audit_accessevent", "access store unavailable"):
        yield
