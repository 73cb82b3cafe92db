"""The access log is append-only, enforced by the database itself: UPDATE and DELETE are refused
by triggers (SQLite and PostgreSQL), whoever connects. PostgreSQL's TRUNCATE (used only by test
teardown) is not a row operation and stays possible for the table's owner."""

from django.db import migrations

MESSAGE = "cases_accesslog is append-only"

SQLITE = [
    f"CREATE TRIGGER cases_accesslog_no_update BEFORE UPDATE ON cases_accesslog BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER cases_accesslog_no_delete BEFORE DELETE ON cases_accesslog BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_accesslog_no_update;",
    "DROP TRIGGER IF EXISTS cases_accesslog_no_delete;",
]
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION cases_accesslog_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER cases_accesslog_no_change BEFORE UPDATE OR DELETE ON cases_accesslog
    FOR EACH ROW EXECUTE FUNCTION cases_accesslog_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_accesslog_no_change ON cases_accesslog;",
    "DROP FUNCTION IF EXISTS cases_accesslog_append_only();",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor)
    if statements is None:
        raise RuntimeError(f"no append-only trigger for database {vendor!r}")
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
