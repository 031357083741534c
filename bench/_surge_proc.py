"""Run one of the surge bench's processes (``manage.py`` with its arguments)
with every SQL statement counted; the count is written to
``$SURGE_COUNT_DIR/<pid>.json`` when the process exits. Also gunicorn's config
(``-c bench/_surge_proc.py``): the same counter in each web worker.

Counting goes through Django's ``connection.execute_wrappers``, installed on
every new connection (``connection_created``), so the code under measurement
is untouched.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

_count = {"queries": 0}


def _wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    _count["queries"] += 1
    return execute(sql, params, many, context)


def _dump() -> None:
    folder = os.environ.get("SURGE_COUNT_DIR")
    if not folder:
        return
    usage = os.times()
    path = Path(folder, f"{os.getpid()}.json")
    path.with_suffix(".tmp").write_text(
        json.dumps(
            {
                "queries": _count["queries"],
                "cpu_s": usage.user + usage.system,
                "role": os.environ.get("SURGE_ROLE", ""),
            }
        )
    )
    path.with_suffix(".tmp").replace(path)


def install() -> None:
    from django.db.backends.signals import connection_created

    def on_connect(sender: Any, connection: Any, **kwargs: Any) -> None:
        if _wrapper not in connection.execute_wrappers:
            connection.execute_wrappers.append(_wrapper)

    connection_created.connect(on_connect, weak=False)
    atexit.register(_dump)
    # Written every half second too: the bench takes a snapshot after its
    # warm-up, so that start-up (imports, the index) is not counted.
    threading.Thread(target=_dump_often, daemon=True).start()


def _dump_often() -> None:
    while True:
        time.sleep(0.5)
        _dump()


# --- gunicorn config hooks ------------------------------------------------------
def post_worker_init(worker: Any) -> None:
    os.environ["SURGE_ROLE"] = "web"
    install()


def worker_exit(server: Any, worker: Any) -> None:
    _dump()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    os.environ["SURGE_ROLE"] = "worker"
    # SIGTERM ends the worker through SystemExit (django-tasks-db's handler);
    # atexit then writes the count.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    import django

    django.setup()
    install()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[1:]])
