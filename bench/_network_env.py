"""Shared set-up of the network benchmarks: a temporary SQLite database with
Kaltim's regions, made before Django is imported (nothing touches ``var/``)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def setup() -> Path:
    data_dir = Path(tempfile.mkdtemp(prefix="simpul-bench-"))
    os.environ["SIMPUL_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["CACHE_URL"] = "locmem://"
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ["MAP_TILE_URL"] = ""
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import_regions", source=REPO / "regions" / "data", verbosity=0)
    return data_dir
