"""Shared set-up of the benchmarks that write many rows: a throwaway data folder
and database (a SQLite file in it, or a new PostgreSQL database at 127.0.0.1:5432),
named in the environment before Django is imported, and removed afterwards."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REPO = Path(__file__).resolve().parent.parent


def django_sqlite(tmp: Path, **env: str) -> None:
    """Set Django up on a SQLite file in ``tmp``, tasks run at once, for the
    benchmarks that keep their own folder; ``env`` adds their own settings."""
    os.environ.update(
        {
            "SIMPUL_DATA_DIR": str(tmp),
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "CACHE_URL": "locmem://",
            "STATIC_MANIFEST": "0",
            "DJANGO_SETTINGS_MODULE": "simpul.settings",
            **env,
        }
    )
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


@contextmanager
def scratch_database(
    name: str, *, postgres: bool, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Yield the database vendor ("postgresql" or "sqlite") with the settings
    pointing at the new database; ``env`` adds the benchmark's own settings."""
    tmp = Path(tempfile.mkdtemp(prefix=f"simpul-bench-{name}-"))
    pg_name = ""
    if postgres:
        import psycopg

        pg_name = f"simpul_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_name}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "simpul.settings",
            "SIMPUL_DATA_DIR": str(tmp),
            "CACHE_URL": "locmem://",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "SECRET_KEY": "bench",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
    )
    try:
        yield "postgresql" if postgres else "sqlite"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if pg_name:
            import psycopg
            from django.db import connections

            connections.close_all()
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
