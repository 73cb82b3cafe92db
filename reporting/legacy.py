"""Repair of an upgrade path broken by an edited migration (issue 12).

Until commit e17a276 report narratives lived in `indicators` (its 0001_initial created the table
`indicators_reportnarrative` with the unique index names `narrative_once` and
`narrative_national_once`); that migration was then edited and `reporting.0003_reportnarrative`
creates the model again under the same index names. A database created before e17a276 therefore
failed at reporting.0003 ("index narrative_national_once already exists").

Before `migrate` runs, the old table is renamed out of the way and loses its unique indexes;
`reporting.0004_legacy_narratives` then copies its rows into the new table and drops it.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

OLD_TABLE = "indicators_reportnarrative"
LEGACY_TABLE = "legacy_indicators_reportnarrative"
COLUMNS = (
    "id, period, parent_body, issuing_body, number, place, issued_on, title, situation, results, shortcomings, "
    "next_tasks, proposals, signer_authority, signer_name, recipients, updated_at, form_id, province_id, updated_by_id"
)


def move_old_narratives_aside(using: str = "default", **_: Any) -> None:
    """pre_migrate: rename the pre-e17a276 table so that reporting.0003 can create its own."""
    connection = connections[using]
    tables = connection.introspection.table_names()
    if OLD_TABLE not in tables or "reporting_reportnarrative" in tables:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {quote(OLD_TABLE)} DROP CONSTRAINT IF EXISTS narrative_once")
        cursor.execute("DROP INDEX IF EXISTS narrative_national_once")
        cursor.execute("DROP INDEX IF EXISTS narrative_once")
        cursor.execute(f"ALTER TABLE {quote(OLD_TABLE)} RENAME TO {quote(LEGACY_TABLE)}")


def copy_legacy_narratives(schema_editor: Any) -> None:
    """reporting.0004: the narratives of the old table into reporting_reportnarrative, then drop it."""
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO reporting_reportnarrative ({COLUMNS}) SELECT {COLUMNS} FROM {quote(LEGACY_TABLE)}")
        cursor.execute(f"DROP TABLE {quote(LEGACY_TABLE)}")
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('reporting_reportnarrative', 'id'), "
                "COALESCE((SELECT MAX(id) FROM reporting_reportnarrative), 1))"
            )
