"""The access stream is append-only in the database too (CJIS AU-9, ADR 0032).

The same triggers as the change stream (0002, 0003), with no switch: UPDATE and DELETE refused
on both vendors, TRUNCATE on PostgreSQL. Only the tables' owner can get past them (ADR 0022).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_accessevent_no_update BEFORE UPDATE ON audit_accessevent
       BEGIN SELECT RAISE(ABORT, 'access events are append-only'); END;""",
    """CREATE TRIGGER audit_accessevent_no_delete BEFORE DELETE ON audit_accessevent
       BEGIN SELECT RAISE(ABORT, 'access events are append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_accessevent_no_update;",
    "DROP TRIGGER IF EXISTS audit_accessevent_no_delete;",
]
POSTGRES = [
    """CREATE FUNCTION audit_accessevent_append_only() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'access events are append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_accessevent_no_change BEFORE UPDATE OR DELETE ON audit_accessevent
       FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();""",
    """CREATE TRIGGER audit_accessevent_no_truncate BEFORE TRUNCATE ON audit_accessevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_accessevent_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_accessevent_no_truncate ON audit_accessevent;",
    "DROP TRIGGER IF EXISTS audit_accessevent_no_change ON audit_accessevent;",
    "DROP FUNCTION IF EXISTS audit_accessevent_append_only();",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor)
    if statements is None:
        raise RuntimeError(f"no append-only trigger for database vendor {vendor!r}")
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}[vendor]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_access_stream")]
    operations = [migrations.RunPython(forwards, backwards)]
