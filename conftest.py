"""Fixtures every app's tests share: users in each role, a loaded offense catalog."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from ontrack.accounts.models import User
from ontrack.accounts.roles import ROLES


def _test_seed(nodeid: str) -> int:
    """The seed for factory data in one test: fixed per test unless ONTRACK_TEST_SEED varies it.

    A failure then reproduces exactly; `ONTRACK_TEST_SEED=<n> make pytest` shakes the data to
    find tests that only pass for lucky names or dates.
    """
    salt = os.environ.get("ONTRACK_TEST_SEED", "0")
    return int.from_bytes(hashlib.sha256(f"{salt}:{nodeid}".encode()).digest()[:8], "big")


@pytest.fixture(autouse=True)
def _seeded_factories(request: pytest.FixtureRequest) -> None:
    import factory.random

    factory.random.reseed_random(_test_seed(request.node.nodeid))


def pytest_report_header() -> list[str]:
    app_role = "set" if os.environ.get("ONTRACK_APP_DATABASE_URL") else "unset: deselected"
    return [
        f"factory seed salt: ONTRACK_TEST_SEED={os.environ.get('ONTRACK_TEST_SEED', '0')}",
        f"app-role tamper tests (ONTRACK_APP_DATABASE_URL): {app_role}",
    ]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Hashing strength is Django's concern; tests only need passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(role: str, username: str | None = None) -> User:
    from django.contrib.auth.models import Group

    user = User.objects.create_user(username=username or f"{role}-user", password="x" * 16)
    user.groups.add(Group.objects.get(name=ROLES[role].group_name))
    return user


@pytest.fixture
def client() -> Any:
    """pytest-django's ``client``, but ``force_login`` signs in fully: every page needs a
    verified second factor now (CJIS IA-2), and this is the one place tests get one."""
    from ontrack.accounts.tests.helpers import VerifiedClient

    return VerifiedClient()


@pytest.fixture
def case_manager(db: None) -> User:
    return make_user("case_manager")


@pytest.fixture
def supervisor(db: None) -> User:
    return make_user("supervisor")


@pytest.fixture
def analyst(db: None) -> User:
    return make_user("analyst")


@pytest.fixture
def auditor(db: None) -> User:
    return make_user("auditor")


@pytest.fixture
def administrator(db: None) -> User:
    return make_user("administrator")


@pytest.fixture
def system(db: None) -> User:
    from ontrack.accounts.services import system_actor

    return system_actor()


@pytest.fixture
def catalog(db: None) -> Any:
    """The one offense catalog. It is data shipped in the package (``lookup.catalog()``),
    so nothing is loaded into the database; tests that show codes ask for it by name."""
    from ontrack.offenses.lookup import catalog as loaded

    return loaded()


def _suspend_append_only_triggers(connection: Any) -> Any:
    """Suspend every user trigger on this connection; return the callable that restores them.

    Test-only (CJIS AU-9, ADR 0022). It works because the suite connects as the tables' owner:
    PostgreSQL lets an owner disable its own triggers, and on SQLite the file's holder may drop
    and re-create them. The application role owns nothing, so it has no such path. Called
    inside the flush's transaction, so a failed flush rolls the suspension back too.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT quote_ident(c.relname) FROM pg_trigger t"
                " JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
            )
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")

            def restore() -> None:
                with connection.cursor() as again:
                    # The flush's post_migrate role sync wrote audit rows whose deferred
                    # foreign-key checks must fire before the table can be altered again.
                    again.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    for table in tables:
                        again.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")

            return restore
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')

    def recreate() -> None:
        with connection.cursor() as again:
            for _name, sql in triggers:
                again.execute(sql)

    return recreate


@pytest.fixture(autouse=True, scope="session")
def _flush_as_table_owner() -> Any:
    """Transactional tests end with a table flush, which the append-only triggers refuse.

    The flush suspends the triggers as the tables' owner, inside its own transaction; every
    test still runs against the real triggers. No switch exists that the application could use.
    """
    from django.core.management.commands import flush
    from django.db import DEFAULT_DB_ALIAS, connections, transaction

    original = flush.Command.handle

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        alias = options.get("database") or DEFAULT_DB_ALIAS
        with transaction.atomic(using=alias):
            restore = _suspend_append_only_triggers(connections[alias])
            result = original(self, *args, **options)
            restore()
        return result

    flush.Command.handle = handle  # type: ignore[method-assign]
    yield
    flush.Command.handle = original  # type: ignore[method-assign]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``app_role`` need a PostgreSQL set up as documented (docs/security.md):
    ``ONTRACK_APP_DATABASE_URL`` names the application role. Without it (SQLite, a laptop) they
    are deselected and the run says so; ``.ci/run`` sets it and fails unless they all pass."""
    if os.environ.get("ONTRACK_APP_DATABASE_URL"):
        return
    deselected = [item for item in items if item.get_closest_marker("app_role")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("app_role")]


@pytest.fixture
def new_events(db: None) -> Any:
    """Audit events written after this fixture ran (the migration's role sync is older)."""
    from ontrack.audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return lambda: AuditEvent.objects.filter(id__gt=last)


@pytest.fixture
def new_access(db: None) -> Any:
    """Access events written after this fixture ran."""
    from ontrack.audit.models import AccessEvent

    last = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return lambda: AccessEvent.objects.filter(id__gt=last).order_by("id")


# The de-identified real data set lives beside the repository (../shared/data), never in it.
BROWARD_CSV = (
    Path(__file__).resolve().parent.parent
    / "shared"
    / "data"
    / "broward-compas"
    / "two-year-cohort.csv"
)


@pytest.fixture(scope="session")
def broward_csv() -> Path:
    """The Broward cohort; a missing file fails the test (acceptance data is not optional)."""
    if not BROWARD_CSV.is_file():
        pytest.fail(f"the Broward acceptance data set is missing: {BROWARD_CSV}")
    return BROWARD_CSV
