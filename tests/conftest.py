"""Browser fixtures: Playwright driving Debian's Chromium (never a downloaded browser); an
access store that refuses rows (CJIS AU-5 tests)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

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


FAIL_SQLITE = """CREATE TRIGGER test_access_down BEFORE INSERT ON audit_accessevent
                 BEGIN SELECT RAISE(ABORT, 'access store unavailable'); END;"""
FAIL_POSTGRES = [
    """CREATE FUNCTION test_access_down() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'access store unavailable'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER test_access_down BEFORE INSERT ON audit_accessevent
       FOR EACH ROW EXECUTE FUNCTION test_access_down();""",
]


@pytest.fixture
def access_store_down(db: None) -> Iterator[None]:
    """The database itself refuses access rows: a real failure, not a mock."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(FAIL_SQLITE)
        else:
            for sql in FAIL_POSTGRES:
                cursor.execute(sql)
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER test_access_down")
        else:
            cursor.execute("DROP TRIGGER test_access_down ON audit_accessevent")
            cursor.execute("DROP FUNCTION test_access_down()")
