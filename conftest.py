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


def pytest_report_header() -> str:
    return f"factory seed salt: ONTRACK_TEST_SEED={os.environ.get('ONTRACK_TEST_SEED', '0')}"


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


@pytest.fixture(autouse=True, scope="session")
def _flush_inside_audit_window() -> Any:
    """Transactional tests end with a table flush, which the append-only audit refuses.

    The flush runs inside the documented maintenance window, so tests keep the real triggers.
    """
    from django.core.management.commands import flush

    from ontrack.audit.maintenance import audit_maintenance_window

    original = flush.Command.handle

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        with audit_maintenance_window():
            return original(self, *args, **options)

    flush.Command.handle = handle  # type: ignore[method-assign]
    yield
    flush.Command.handle = original  # type: ignore[method-assign]


@pytest.fixture
def new_events(db: None) -> Any:
    """Audit events written after this fixture ran (the migration's role sync is older)."""
    from ontrack.audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return lambda: AuditEvent.objects.filter(id__gt=last)


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
