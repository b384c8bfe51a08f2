"""CJIS AU-9: the audit trail cannot be rewritten by the application's own database role.

Tests marked ``app_role`` connect as the PostgreSQL application role that ``.ci/run`` creates
and grants as documented (docs/security.md): ``ONTRACK_APP_DATABASE_URL`` names it, against the
database the owner migrated. They are deselected without that variable (SQLite, a laptop), and
``.ci/run`` fails unless all of them pass. The other tests run as the owner, on either vendor.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from typing import Any

import dj_database_url
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from ontrack.audit.management.commands.grant_app_role import audit_tables
from ontrack.audit.models import AuditEvent
from ontrack.people.services import create_person

AUDIT = "audit_auditevent"  # spelled out in the SQL below (ruff S608)
APP_URL = os.environ.get("ONTRACK_APP_DATABASE_URL", "")


def test_no_session_setting_opens_the_lock(case_manager: Any) -> None:
    """The old switch is gone: even the owner, who may DELETE, is refused by the trigger."""
    create_person(actor=case_manager, given_name="Ana", family_name="Reyes")
    count = AuditEvent.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('ontrack.audit_maintenance', 'on', false)")
        for sql in (
            "DELETE FROM audit_auditevent",
            "UPDATE audit_auditevent SET action = 'tampered'",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(sql)
        if connection.vendor == "postgresql":
            # Fire the rows' deferred foreign-key checks, or TRUNCATE refuses for that reason.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute("TRUNCATE audit_auditevent CASCADE")
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(action="tampered").exists()


def test_grant_app_role_refuses_what_it_cannot_do_safely(db: None) -> None:
    """SQLite has no roles; on PostgreSQL a missing role or the owner itself is refused."""
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="needs PostgreSQL: SQLite has no roles") as info:
            call_command("grant_app_role", "ontrack_app")
        assert info.value.returncode == 2
        return
    with pytest.raises(CommandError, match="'no_such_role_x' does not exist") as info:
        call_command("grant_app_role", "no_such_role_x")
    assert info.value.returncode == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (me,) = cursor.fetchone()
    with pytest.raises(CommandError, match="is the role running this command") as info:
        call_command("grant_app_role", me)
    assert info.value.returncode == 2


# --- connected as the application role (PostgreSQL, as .ci/run sets it up) -----------------


@pytest.fixture
def app_cursor() -> Iterator[Any]:
    """A cursor on the migrated, granted database, as the application role; autocommit off."""
    import psycopg

    if not APP_URL.startswith(("postgres://", "postgresql://")):
        pytest.fail(f"ONTRACK_APP_DATABASE_URL must be a PostgreSQL URL, not {APP_URL!r}")
    parsed = dj_database_url.parse(APP_URL)
    with (
        psycopg.connect(
            dbname=parsed["NAME"],
            user=parsed["USER"],
            password=parsed["PASSWORD"] or None,
            host=parsed["HOST"],
            port=parsed["PORT"] or None,
        ) as raw,
        raw.cursor() as cursor,
    ):
        yield cursor
        raw.rollback()


def _fingerprint(cursor: Any) -> tuple[int, str]:
    """The change stream's row count and a hash of both streams' rows."""
    cursor.execute(
        "SELECT id, action, actor_username, changes::text FROM audit_auditevent ORDER BY id"
    )
    rows = cursor.fetchall()
    cursor.execute(
        "SELECT id, action, username, outcome, row_count FROM audit_accessevent ORDER BY id"
    )
    access = cursor.fetchall()
    return len(rows), hashlib.sha256(repr((rows, access)).encode()).hexdigest()


def _access_rows(cursor: Any) -> int:
    cursor.execute("SELECT count(*) FROM audit_accessevent")
    (count,) = cursor.fetchone()
    return int(count)


def _owner(cursor: Any) -> str:
    cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [AUDIT])
    (owner,) = cursor.fetchone()
    return str(owner)


TAMPERING = [
    "UPDATE audit_auditevent SET action = 'tampered'",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
    "TRUNCATE audit_auditevent CASCADE",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_change",
    "DROP TRIGGER audit_auditevent_no_change ON audit_auditevent",
    "DROP TRIGGER audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TABLE audit_auditevent CASCADE",
    "ALTER TABLE audit_auditevent RENAME TO audit_old",
    "CREATE TRIGGER sneak BEFORE INSERT ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()",
    "CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger "
    "AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
    "DROP FUNCTION audit_auditevent_append_only() CASCADE",
    "CREATE TABLE public.sneak (id int)",
    "SET session_replication_role = replica",
    "ALTER TABLE audit_auditevent OWNER TO CURRENT_USER",
    # The access stream (ADR 0032): the same protections.
    "UPDATE audit_accessevent SET outcome = 'success'",
    "DELETE FROM audit_accessevent",
    "TRUNCATE audit_accessevent",
    "ALTER TABLE audit_accessevent DISABLE TRIGGER USER",
    "DROP TRIGGER audit_accessevent_no_change ON audit_accessevent",
    "DROP TRIGGER audit_accessevent_no_truncate ON audit_accessevent",
    "DROP TABLE audit_accessevent CASCADE",
    "CREATE OR REPLACE FUNCTION audit_accessevent_append_only() RETURNS trigger "
    "AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
    "ALTER TABLE audit_accessevent OWNER TO CURRENT_USER",
]


@pytest.mark.app_role
@pytest.mark.parametrize("statement", TAMPERING)
def test_application_role_cannot_tamper(app_cursor: Any, statement: str) -> None:
    import psycopg

    before = _fingerprint(app_cursor)
    assert before[0] > 0, "the migrated database has audit rows (the role sync writes them)"
    assert _access_rows(app_cursor) > 0, "and access rows (.ci/run's `ontrack screen` export)"
    app_cursor.connection.rollback()
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_cursor.execute(statement)
    app_cursor.connection.rollback()
    assert _fingerprint(app_cursor) == before


@pytest.mark.app_role
def test_old_switch_and_set_role_do_not_open_the_lock(app_cursor: Any) -> None:
    import psycopg

    before = _fingerprint(app_cursor)
    app_cursor.connection.rollback()
    # A custom setting is settable by anyone; it must simply mean nothing any more.
    app_cursor.execute("SELECT set_config('ontrack.audit_maintenance', 'on', false)")
    for statement in (
        "UPDATE audit_auditevent SET action = 'tampered'",
        "DELETE FROM audit_auditevent",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app_cursor.execute(statement)
        app_cursor.connection.rollback()
    owner = _owner(app_cursor)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied to set"):
        app_cursor.execute(f'SET ROLE "{owner}"')
    app_cursor.connection.rollback()
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_cursor.execute(f'SET SESSION AUTHORIZATION "{owner}"')
    app_cursor.connection.rollback()
    assert _fingerprint(app_cursor) == before


@pytest.mark.app_role
def test_application_role_may_insert_and_select(app_cursor: Any) -> None:
    count, _ = _fingerprint(app_cursor)
    app_cursor.execute("SELECT id, username FROM accounts_user ORDER BY id LIMIT 1")
    actor_id, username = app_cursor.fetchone()
    app_cursor.execute(
        "INSERT INTO audit_auditevent (occurred_at, actor_id, actor_username, action, object_type,"
        " object_id, changes, details, request_id, source) VALUES (now(), %s, %s,"
        " 'test.tamper_probe', 't', '1', '{}', '{}', '', 'test') RETURNING id",
        [actor_id, username],
    )
    (new_id,) = app_cursor.fetchone()
    app_cursor.execute("SELECT action FROM audit_auditevent WHERE id = %s", [new_id])
    assert app_cursor.fetchone() == ("test.tamper_probe",)
    assert _fingerprint(app_cursor)[0] == count + 1
    # Rolled back by the fixture: the probe proves INSERT works and leaves nothing behind.


@pytest.mark.app_role
def test_application_role_may_append_to_the_access_stream(app_cursor: Any) -> None:
    count = _access_rows(app_cursor)
    app_cursor.execute(
        "INSERT INTO audit_accessevent (occurred_at, username, action, object_type, object_id,"
        " outcome, request_id, source, method, path, details) VALUES (now(), 'probe',"
        " 'test.tamper_probe', '', '', 'success', '', 'test', '', '', '{}') RETURNING id"
    )
    (new_id,) = app_cursor.fetchone()
    app_cursor.execute("SELECT action, actor_id FROM audit_accessevent WHERE id = %s", [new_id])
    assert app_cursor.fetchone() == ("test.tamper_probe", None)
    assert _access_rows(app_cursor) == count + 1
    # Rolled back by the fixture.


@pytest.mark.app_role
def test_application_role_holds_exactly_the_granted_privileges(app_cursor: Any) -> None:
    """`ontrack grant_app_role` (run twice by .ci/run) left exact grants and no ownership."""
    app_cursor.execute(
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication"
        " FROM pg_roles WHERE rolname = current_user"
    )
    assert app_cursor.fetchone() == (False, False, False, False, False)
    app_cursor.execute(
        "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
        " + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)"
        " + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)"
        " + (SELECT count(*) FROM pg_database WHERE datdba = r.oid)"
        " FROM pg_roles r WHERE r.rolname = current_user"
    )
    assert app_cursor.fetchone() == (0,)
    app_cursor.execute(
        "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
        " WHERE r.rolname = current_user"
    )
    assert app_cursor.fetchone() == (0,)
    app_cursor.execute(
        "SELECT c.relname, array_agg(p.privilege ORDER BY p.privilege)"
        " FROM pg_class c CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'),"
        " ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) AS p(privilege)"
        " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')"
        " AND has_table_privilege(current_user, c.oid, p.privilege)"
        " GROUP BY c.relname"
    )
    held = dict(app_cursor.fetchall())
    app_cursor.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace"
        " AND relkind IN ('r', 'p')"
    )
    tables = {name for (name,) in app_cursor.fetchall()}
    assert audit_tables() <= tables
    expected = {
        table: (
            ["INSERT", "SELECT"]
            if table in audit_tables()
            else ["SELECT"]
            if table == "django_migrations"
            else ["DELETE", "INSERT", "SELECT", "UPDATE"]
        )
        for table in tables
    }
    assert held == expected
    app_cursor.execute(
        "SELECT count(*), count(*) FILTER (WHERE has_sequence_privilege(current_user, oid,"
        " 'USAGE') AND NOT has_sequence_privilege(current_user, oid, 'UPDATE'))"
        " FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'S'"
    )
    total, usable = app_cursor.fetchone()
    assert total > 0
    assert usable == total
    app_cursor.execute("SELECT has_schema_privilege(current_user, current_schema(), 'CREATE')")
    assert app_cursor.fetchone() == (False,)
