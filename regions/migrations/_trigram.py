"""Shared by the migrations that add trigram indexes (not a migration: the
loader skips modules named with a leading underscore)."""

from django.db import transaction


def available(connection) -> bool:
    """Whether ``pg_trgm`` is there (created if this role may)."""
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:
        print(f"\n  pg_trgm unavailable ({exc}): search stays unindexed.")
        return False
    return True
