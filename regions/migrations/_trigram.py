"""Shared by the migrations that add trigram indexes (not a migration: the
loader skips modules named with a leading underscore)."""

from django.db import transaction
from django.db.migrations import RunPython


def available(connection) -> bool:
    """Whether ``pg_trgm`` is there (created if this role may)."""
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:
        print(f"\n  pg_trgm unavailable ({exc}): search stays unindexed.")
        return False
    return True


def index_operation(table: str, indexes: dict[str, str]) -> RunPython:
    """Create GIN trigram indexes ``{name: expression}`` on ``table`` where
    PostgreSQL has ``pg_trgm``; nothing elsewhere (SQLite searches are small)."""

    def forwards(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        connection = schema_editor.connection
        if connection.vendor != "postgresql" or not available(connection):
            return
        with connection.cursor() as cursor:
            for name, expression in indexes.items():
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                    f"USING gin ({expression} gin_trgm_ops)"
                )

    def backwards(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for name in indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    return RunPython(forwards, backwards)
