"""``ontrack grant_app_role ROLE``: give the application's database role exactly what it needs.

CJIS AU-9 (ADR 0022). Run as the owner role, after ``ontrack migrate`` (the CLI connects with
``ONTRACK_MIGRATE_DATABASE_URL`` for this command). Every table's grants to ROLE are revoked
and granted afresh, so the result is exact and repeating the command changes nothing:

- USAGE on the schema; SELECT, INSERT, UPDATE, DELETE on ordinary tables;
- INSERT and SELECT only on the audit app's tables (append-only: no UPDATE, DELETE, TRUNCATE);
- SELECT only on ``django_migrations`` (the application never records a migration);
- USAGE and SELECT on sequences (never UPDATE, so no ``setval``).

ROLE must exist, must not be a superuser (which bypasses every grant), must not be the role
running the command, and must own nothing: an owner may disable triggers and drop tables.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from psycopg import sql

READ_WRITE = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY = "SELECT, INSERT"
READ_ONLY = "SELECT"


def audit_tables() -> set[str]:
    """The audit app's tables (every stream it adds later is append-only too)."""
    config = apps.get_app_config("audit")
    return {model._meta.db_table for model in config.get_models(include_auto_created=True)}


def privileges_for(table: str) -> str:
    if table in audit_tables():
        return APPEND_ONLY
    if table == "django_migrations":
        return READ_ONLY
    return READ_WRITE


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Grant the application role exactly what it needs (PostgreSQL; run as the owner)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the application's database role (it must exist)")

    def handle(self, *args: Any, role: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise _refuse(
                "grant_app_role needs PostgreSQL: SQLite has no roles, so the audit trail's "
                "protection there is the triggers alone (docs/security.md)"
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT oid, rolsuper FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                raise _refuse(f"database role {role!r} does not exist; create it first")
            role_oid, superuser = found
            if superuser:
                raise _refuse(f"role {role!r} is a superuser, which bypasses every grant")
            cursor.execute("SELECT current_user, current_schema(), current_database()")
            me, schema, database = cursor.fetchone()
            if role == me:
                raise _refuse(
                    f"role {role!r} is the role running this command (the owner); "
                    "name the application's own role"
                )
            cursor.execute(
                "SELECT count(*) FROM pg_class WHERE relowner = %s "
                "AND relnamespace = %s::regnamespace",
                [role_oid, schema],
            )
            (owned,) = cursor.fetchone()
            if owned:
                raise _refuse(
                    f"role {role!r} owns {owned} objects in schema {schema!r}; the "
                    "application role must own nothing (an owner may drop triggers)"
                )
            cursor.execute(
                "SELECT relname, relkind FROM pg_class WHERE relnamespace = %s::regnamespace "
                "AND relkind IN ('r', 'p', 'S') ORDER BY relname",
                [schema],
            )
            relations = cursor.fetchall()
            tables = [name for name, kind in relations if kind in ("r", "p")]
            sequences = [name for name, kind in relations if kind == "S"]
            missing = audit_tables() - set(tables)
            if missing:
                raise _refuse(
                    f"audit tables missing ({', '.join(sorted(missing))}); "
                    "run `ontrack migrate` first"
                )
            grantee = sql.Identifier(role)
            statements = [
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    sql.Identifier(database), grantee
                ),
                sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), grantee),
            ]
            for table in tables:
                name = sql.Identifier(schema, table)
                statements.append(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(name, grantee))
                statements.append(
                    sql.SQL("GRANT {} ON TABLE {} TO {}").format(
                        sql.SQL(privileges_for(table)), name, grantee
                    )
                )
            for sequence in sequences:
                name = sql.Identifier(schema, sequence)
                statements.append(
                    sql.SQL("REVOKE ALL ON SEQUENCE {} FROM {}").format(name, grantee)
                )
                statements.append(
                    sql.SQL("GRANT USAGE, SELECT ON SEQUENCE {} TO {}").format(name, grantee)
                )
            raw = connection.connection
            for statement in statements:
                cursor.execute(statement.as_string(raw))
            cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema])
            (can_create,) = cursor.fetchone()
            if can_create:
                raise _refuse(
                    f"role {role!r} may create objects in schema {schema!r} (and would own "
                    f"them); as its owner run: REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC"
                )
        audit = len(audit_tables())
        self.stdout.write(
            f"granted {role}: {len(tables) - audit} tables read/write (django_migrations "
            f"read-only), {audit} audit tables insert/select only, {len(sequences)} sequences"
        )
