"""Several processes on one PostgreSQL database and one Redis, as on several
machines: two web processes (gunicorn) and two workers (``manage.py worker``),
started here on loopback against the test database.

- a rate limit counts across the web processes (Redis), whatever
  X-Forwarded-For a client makes up;
- a fact-check published through one web process is matched by the other
  within seconds (each maps the saved index and catches up from the database);
- each periodic task is enqueued and run once although both workers beat;
- a worker killed (SIGKILL) in the middle of a task leaves it neither lost nor
  done twice: the other worker's heartbeat gives it back and runs it.

Runs in the PostgreSQL run of the suite (``DATABASE_URL=postgres://…``) with a
Redis at ``SIMPUL_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``; keys
under a fresh ``CACHE_KEY_PREFIX``, removed afterwards); skipped otherwise.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("SIMPUL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
HEARTBEAT_TIMEOUT = 3
pytestmark = pytest.mark.django_db(transaction=True)


def _wait(what: str, check: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Poll ``check`` until it returns something true (a condition between
    processes, not a speed requirement: the timeout is generous)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def _free_port() -> int:
    base = os.environ.get("SIMPUL_TEST_PORT_BASE")
    if base:  # a shared machine hands out port ranges
        _free_port.next = getattr(_free_port, "next", int(base))  # type: ignore[attr-defined]
        port = _free_port.next  # type: ignore[attr-defined]
        _free_port.next += 1  # type: ignore[attr-defined]
        return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    env: dict[str, str]
    prefix: str
    redis: Any
    webs: list[str] = field(default_factory=list)
    web_procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: Path = Path()

    def start_web(self) -> str:
        port = _free_port()
        log = (self.logs / f"web-{port}.log").open("wb")
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "simpul.wsgi:application"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "1"),
                *("--timeout", "120", "--graceful-timeout", "2"),
            ],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.web_procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        self.webs.append(url)
        return url

    def start_worker(self, worker_id: str) -> None:
        log = (self.logs / f"worker-{worker_id}.log").open("wb")
        self.workers[worker_id] = subprocess.Popen(
            [
                *(sys.executable, "manage.py", "worker", "--worker-id", worker_id),
                *("--interval", "0.2", "--no-startup-delay"),
            ],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        for proc in [*self.web_procs, *self.workers.values()]:
            if proc.poll() is None:
                proc.terminate()
        for proc in [*self.web_procs, *self.workers.values()]:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)

    def cache_int(self, key: str) -> int:
        # Django's Redis cache keeps integers as they are, under prefix:version:key.
        value = self.redis.get(f"{self.prefix}:1:{key}")
        return int(value) if value is not None else 0

    def log_tail(self) -> str:
        return "\n".join(
            f"--- {f.name}\n{f.read_text(errors='replace')[-3000:]}"
            for f in sorted(self.logs.glob("*.log"))
        )


def _redis() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL} ({exc}): set SIMPUL_TEST_REDIS_URL")
    return client


@pytest.fixture
def cluster(transactional_db: None, tmp_path: Path) -> Iterator[Cluster]:
    if connection.vendor != "postgresql":
        pytest.skip(
            "the multi-process test needs PostgreSQL: it runs in the suite's "
            "PostgreSQL run (DATABASE_URL=postgres://…)"
        )
    client = _redis()
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    prefix = f"simpul-multi-test-{uuid.uuid4().hex[:8]}"
    data = tmp_path / "data"  # one machine: one FACTCHECK_INDEX_DIR for all
    data.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "DJANGO_", "SIMPUL_TEST"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "simpul.settings",
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "0",
            "CACHE_URL": REDIS_URL,
            "RATELIMIT_CACHE_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
            "SIMPUL_DATA_DIR": str(data),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "SECRET_KEY": settings.SECRET_KEY,
            "SECURE_COOKIES": "0",
            "DEBUG": "0",
            "STATIC_MANIFEST": "0",
            "FACTCHECK_SEMANTIC": "0",  # lexical: no model to load in 4 processes
            "FACTCHECK_INDEX_MMAP": "1",
            "LOGIN_RATE": "4/m",
            "PROXY_COUNT": "0",
            "WORKER_HEARTBEAT_SECONDS": "1",
            "WORKER_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT),
            "MAP_TILE_URL": "",
            "PYTHONUNBUFFERED": "1",
        }
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    c = Cluster(env=env, prefix=prefix, redis=client, logs=logs)
    try:
        yield c
    finally:
        c.stop()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def _up(c: Cluster) -> None:
    import requests

    def healthy(url: str) -> bool:
        try:
            return requests.get(f"{url}/healthz", timeout=2).status_code < 500
        except requests.RequestException:
            return False

    for url in c.webs:
        try:
            _wait(f"{url} to answer", lambda url=url: healthy(url), timeout=60)
        except AssertionError:
            raise AssertionError(c.log_tail()) from None


def test_two_web_processes_and_two_workers_share_one_database(
    cluster: Cluster, settings: Any, tmp_path: Path
) -> None:
    import requests
    from django_tasks_db.models import DBTaskResult

    from accounts.models import User
    from core.models import ScheduledRun, WorkerHeartbeat
    from core.schedule import registered_periodic
    from core.tests.multiprocess_tasks import slow_count_task
    from factcheck.models import FactCheck

    settings.TASKS = DB_TASKS
    c = cluster
    a, b = c.start_web(), c.start_web()
    c.start_worker("w1")
    c.start_worker("w2")
    _up(c)
    _wait(
        "both workers' heartbeats",
        lambda: WorkerHeartbeat.objects.filter(worker_id__in=["w1", "w2"]).count() == 2,
    )

    # 1. One login budget for both web processes (LOGIN_RATE 4/m, Redis), and
    #    a made-up X-Forwarded-For on each request buys no new budget.
    anonymous = requests.Session()
    anonymous.get(f"{a}/masuk/", timeout=30)
    csrf = anonymous.cookies.get("csrftoken")
    assert csrf, "no CSRF cookie from the login page"
    codes = []
    for n in range(6):
        codes.append(
            anonymous.post(
                f"{(a, b)[n % 2]}/masuk/",
                data={
                    "username": "nobody",
                    "password": "wrong",
                    "csrfmiddlewaretoken": csrf,
                },
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
                timeout=30,
            ).status_code
        )
    assert 429 not in codes[:4], codes
    assert codes[4:] == [429, 429], codes

    # 2. A fact-check published again through web A is matched through web B.
    text = "Bendungan Benanga di Samarinda jebol malam ini, warga diminta mengungsi"
    factcheck = FactCheck.objects.create(
        title="Bendungan Benanga Samarinda jebol malam ini",
        claim_reviewed=text,
        verdict="hoaks",
        publisher="Tim Uji",
        external_id="t-bendungan",
        status=FactCheck.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_reason="uji",
    )
    other = FactCheck.objects.create(
        title="Vaksin berisi microchip pelacak", verdict="hoaks", publisher="Tim Uji"
    )
    from factcheck import matching_service

    matching_service.factchecks_changed([other.pk])

    def match_on(url: str) -> dict[str, Any]:
        response = requests.post(
            f"{url}/api/v1/factcheck/match", json={"text": text}, timeout=30
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    # B has opened the index (and mapped the worker's save) before A publishes.
    assert match_on(b)["decision"] == "none"
    _wait(
        "the worker to save the index",
        lambda: any(
            (Path(c.env["SIMPUL_DATA_DIR"]) / "matching").glob("*/simpul-generation")
        ),
    )
    admin = User.objects.create_superuser("redaksi@example.org", "pw-12345678")
    browser = Client()
    browser.force_login(admin)
    session = requests.Session()
    session.cookies.set("sessionid", browser.cookies["sessionid"].value)
    session.get(f"{a}/staf/cek-fakta/", timeout=30)  # the CSRF cookie
    token = session.cookies.get("csrftoken")
    assert token, "no CSRF cookie from web A"
    published = time.monotonic()
    response = session.post(
        f"{a}/staf/cek-fakta/fakta/{factcheck.pk}/terbitkan/",
        headers={"X-CSRFToken": token, "Referer": a},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:500]
    factcheck.refresh_from_db()
    assert factcheck.status == FactCheck.Status.PUBLISHED
    found = _wait(
        "web B to match the fact-check published through web A",
        lambda: [
            m for m in match_on(b)["matches"] if m["external_id"] == "t-bendungan"
        ],
        timeout=20,
    )
    assert found
    print(f"matchable in web B {time.monotonic() - published:.2f} s after publishing")

    # 3. Each periodic task was enqueued once and ran once (both workers beat
    #    every second: each tries to enqueue every due task on every beat).
    names = [p.name for p in registered_periodic()]
    assert len(names) > 5, names
    _wait(
        "every periodic task to be enqueued",
        lambda: ScheduledRun.objects.filter(name__in=names).count() == len(names),
    )
    paths = {p.name: f"{p.task.module_path}" for p in registered_periodic()}
    _wait(
        "the periodic tasks to finish",
        lambda: (
            not DBTaskResult.objects.filter(
                task_path__in=paths.values(), status__in=["READY", "RUNNING"]
            ).exists()
        ),
        timeout=60,
    )
    time.sleep(2)  # two more beats of each worker: still nothing new
    for name, path in paths.items():
        rows = list(DBTaskResult.objects.filter(task_path=path))
        assert len(rows) == 1, (name, [(r.status, r.worker_ids) for r in rows])
        assert len(rows[0].worker_ids) == 1, (name, rows[0].worker_ids)

    # 4. Kill the worker running a task: the other gives it back and runs it.
    key = f"slow-{uuid.uuid4().hex[:6]}"
    result = slow_count_task.enqueue(key, 4.0)
    row = _wait(
        "a worker to start the slow task",
        lambda: DBTaskResult.objects.filter(id=result.id, status="RUNNING").first(),
    )
    victim = row.worker_ids[-1]
    survivor = ({"w1", "w2"} - {victim}).pop()
    _wait("the task to begin", lambda: c.cache_int(f"{key}:started") == 1)
    c.workers[victim].send_signal(signal.SIGKILL)
    c.workers[victim].wait(timeout=10)
    done = _wait(
        "the other worker to run the killed worker's task",
        lambda: DBTaskResult.objects.filter(id=result.id, status="SUCCESSFUL").first(),
        timeout=HEARTBEAT_TIMEOUT + 30,
    )
    assert done.worker_ids == [victim, survivor]
    assert c.cache_int(f"{key}:started") == 2  # begun twice
    assert c.cache_int(f"{key}:done") == 1  # finished once: nothing lost or doubled
    assert done.return_value == 1
    assert WorkerHeartbeat.objects.filter(
        worker_id=survivor, last_seen__gte=timezone.now() - timedelta(seconds=10)
    ).exists()
