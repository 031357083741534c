"""Article page and province home under load: gunicorn, PostgreSQL, 20,000 articles.

Run: ``.venv/bin/python bench/newsroom_http.py [--articles N] [--duration S]``

Creates a temporary PostgreSQL database at 127.0.0.1:5432 (skips with a message
where PostgreSQL is unreachable), migrates it, loads the regions and N published
articles, starts gunicorn (DEBUG off, Redis cache on 127.0.0.1:6379 db 9 when
reachable, else a per-process memory cache) and loads two pages with ``wrk``
(``apt-get install wrk``) or, without it, a small threaded Python load generator.
Loopback only, bounded duration. Prints requests/s and p95 latency per page.

Target (issue 5): at least 300 requests/s with p95 under 50 ms for each page.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PG = "postgresql://postgres@127.0.0.1:5432/"

SEED = r"""
import random, sys
from datetime import timedelta
import django
django.setup()
from django.utils import timezone
from newsroom.content import search_document
from newsroom.models import Article
from regions.models import Region
n = int(sys.argv[1])
rng = random.Random(7)
districts = list(
    Region.objects.filter(level="kecamatan").values_list("kode", flat=True)
)
offices = list(Region.objects.filter(level="kabkota").values_list("kode", flat=True))
words = ("kabar desa kim umkm wisata budaya pelatihan literasi digital sinyal "
         "jembatan sungai mahakam pasar panen festival posyandu sekolah").split()
kinds = ["informasi_publik", "produk_lokal", "wisata", "budaya", "umkm",
         "laporan_kegiatan", "pengumuman"]
now = timezone.now()
Through = Article.regions.through
for start in range(0, n, 2000):
    batch = []
    for i in range(start, min(n, start + 2000)):
        office = rng.choice(offices)
        title = " ".join(rng.choice(words) for _ in range(6)).capitalize() + f" {i}"
        body = "".join("<p>" + " ".join(rng.choice(words) for _ in range(60)) + "</p>"
                       for _ in range(6))
        lead = " ".join(rng.choice(words) for _ in range(25))
        batch.append(Article(
            kind=rng.choice(kinds), title=title, slug=f"kabar-{i}", lead=lead,
            body=body, status="published", office_id=office, region_id=office,
            search_document=search_document(title, lead, body), reading_minutes=2,
            published_at=now - timedelta(minutes=i), updated_at=now,
        ))
    Article.objects.bulk_create(batch)
    links = []
    saved = Article.objects.filter(slug__in=[b.slug for b in batch])
    for a in saved.only("pk", "region_id"):
        links.append(Through(article_id=a.pk, region_id=a.region_id))
        inside = [d for d in districts if d.startswith(a.region_id + ".")]
        district = rng.choice(inside or [None])
        if district:
            links.append(Through(article_id=a.pk, region_id=district))
    Through.objects.bulk_create(links)
print(Article.objects.count())
"""

P95_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("P95_US=%d\\n", latency:percentile(95)))
  io.write(string.format("ERRORS=%d\\n", summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _has_redis_client() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        print("note: the redis package is not installed; using a per-process cache")
        return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wrk(url: str, duration: int, tmp: Path) -> tuple[float, float, int]:
    script = tmp / "p95.lua"
    script.write_text(P95_LUA)
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p95 = int(re.search(r"P95_US=(\d+)", out)[1]) / 1000  # type: ignore[index]
    errors = int(re.search(r"ERRORS=(\d+)", out)[1])  # type: ignore[index]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p95, errors + (int(non2xx[1]) if non2xx else 0)


def python_load(url: str, duration: int) -> tuple[float, float, int]:
    import httpx

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def worker() -> None:
        nonlocal errors
        with httpx.Client(timeout=5) as client:
            while time.monotonic() < stop:
                t = time.perf_counter()
                try:
                    ok = client.get(url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                with lock:
                    latencies.append(time.perf_counter() - t)
                    errors += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] * 1000 if latencies else 0.0
    return len(latencies) / duration, p95, errors


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not reachable("127.0.0.1", 5432):
        print("SKIP: PostgreSQL is not reachable at 127.0.0.1:5432")
        return 0
    import psycopg

    name = f"simpul_bench_{uuid.uuid4().hex[:8]}"
    tmp = Path(tempfile.mkdtemp(prefix="simpul-bench-http-"))
    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    redis = reachable("127.0.0.1", 6379) and _has_redis_client()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "simpul.settings",
        "DATABASE_URL": PG + name,
        "SIMPUL_DATA_DIR": str(tmp),
        "SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_MANIFEST": "0",
        "CACHE_URL": "redis://127.0.0.1:6379/9" if redis else "locmem://",
        "LOG_LEVEL": "WARNING",
        "SECURE_COOKIES": "0",
    }
    server = None
    try:
        if redis:
            subprocess.run(
                ["redis-cli", "-n", "9", "FLUSHDB"], check=True, capture_output=True
            )
        t = time.perf_counter()
        manage = [PY, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "import_regions", "-v0"], env=env, check=True, cwd=ROOT
        )
        count = subprocess.run(
            [PY, "-c", SEED, str(args.articles)],
            env=env, check=True, cwd=ROOT, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        print(
            f"database ready: {count} published articles "
            f"({time.perf_counter() - t:.0f} s)"
        )
        port = free_port()
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "simpul.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            if reachable("127.0.0.1", port):
                break
            time.sleep(0.1)
        import httpx

        pages = {
            "article page": f"{base}/kabar/baca/kabar-{args.articles // 2}/",
            "province home": f"{base}/kabar/",
        }
        for url in pages.values():  # warm every worker's connection and the cache
            for _ in range(20):
                assert httpx.get(url, timeout=10).status_code == 200, url
        tool = "wrk" if shutil.which("wrk") else "python threads"
        print(f"load: {tool}, {args.duration} s per page, gunicorn {args.workers} sync "
              f"workers, cache {'redis' if redis else 'locmem'}")  # fmt: skip
        ok = True
        for label, url in pages.items():
            if shutil.which("wrk"):
                rps, p95, errors = wrk(url, args.duration, tmp)
            else:
                rps, p95, errors = python_load(url, args.duration)
            good = rps >= 300 and p95 < 50 and errors == 0
            ok &= good
            verdict = "(target met)" if good else "(MISSED: >=300/s, p95<50ms)"
            print(
                f"{label}: {rps:.0f} requests/s, p95 {p95:.1f} ms, "
                f"errors {errors} {verdict}"
            )
        print(f"load average: {os.getloadavg()[0]:.1f} (2 cores)")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        with psycopg.connect(PG + "postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
