"""A task for core/tests/test_multiprocess.py: slow enough to kill its worker
in the middle, and counting its starts and completions in the shared cache."""

from __future__ import annotations

import time

from django.core.cache import cache
from django_tasks import task


@task()
def slow_count_task(key: str, seconds: float) -> int:
    cache.add(f"{key}:started", 0, timeout=None)
    cache.incr(f"{key}:started")
    time.sleep(seconds)
    cache.add(f"{key}:done", 0, timeout=None)
    return int(cache.incr(f"{key}:done"))
