"""Public pages at national scale, on PostgreSQL behind gunicorn (issue 16).

Runs against a database already filled by

    manage.py import_regions --source <shared>/data/regions/indonesia
    manage.py generate_national_data --scale S

(``--database``, else ``DATABASE_URL``). Starts gunicorn with 4 sync workers on
loopback, then for each page sends requests from ``--concurrency`` client
threads for ``--seconds`` and prints requests/s, p50 and p95; then all pages
mixed for the overall rate. Targets: ≥ 300 req/s overall, p95 < 100 ms per page.
The client is plain threads with ``http.client`` (locust and wrk are not
installed here), on the same 2 cores as the server: the figures are a floor.

Before the pages it times, on the same database: a second import of the
national regions (idempotent run: every row compared, none written), and the
refresh of the dashboards' figures for the whole country (KIM maturity scores,
the data hub's indicators, the information-vulnerability index). A refresh that
would take long is timed on a sample and extrapolated (the output says so).

    .venv/bin/python bench/national.py --database postgres://postgres@127.0.0.1:5432/simpul_gen

Measured here (scale 0.1: 8,376 KIMs, 1.74 M rows; 2 cores shared with other
jobs, load average 7-12): 17 req/s overall before the fixes of issue 16, 24
after; every page's p95 300-1,200 ms, queueing behind a CPU the load test and
other jobs share. One request at a time, in process: KIM directory 466 -> 34 ms
(its filter lists were rendered option by option), region search 80 -> 20 ms
and hoax archive search 150 -> 25 ms (trigram indexes), home 96 -> 56 ms (the
generator now ANALYZEs what it loads). The targets need a machine of its own.

At scale 1.0 (17.4 M rows, the suite running beside it): national home p95
68 ms at 214 req/s (its counts shared for 5 minutes; 766 ms per visit before),
article p95 83 ms; other pages 150-320 ms p95 at 40-90 req/s; the hoax archive
search 230 ms for one client (the generated text repeats a few topic words, so
one matches thousands of fact-checks, all counted and sorted); 19 req/s mixed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TARGET_RPS = 300.0
TARGET_P95_MS = 100.0


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--database", default=os.environ.get("DATABASE_URL", ""))
    p.add_argument("--port", type=int, default=8130)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--seconds", type=float, default=8.0, help="per page")
    p.add_argument("--mixed-seconds", type=float, default=15.0)
    p.add_argument(
        "--serial", type=int, default=20, help="requests per page from one client"
    )
    p.add_argument("--cache-url", default="redis://127.0.0.1:6379/13")
    p.add_argument("--skip-refresh", action="store_true")
    p.add_argument("--skip-import", action="store_true")
    p.add_argument("--regions", type=Path, default=None, help="national regions dir")
    return p.parse_args()


def setup_django(args: argparse.Namespace) -> dict[str, str]:
    env = {
        "DATABASE_URL": args.database,
        "DJANGO_SETTINGS_MODULE": "simpul.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-national"),
        "CACHE_URL": args.cache_url,
        "DEBUG": "0",
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SIMPUL_DATA_DIR": os.environ.get("SIMPUL_DATA_DIR", "/tmp/simpul-national"),
        "LOG_LEVEL": "WARNING",
        # Every request comes from one loopback address: the per-address API
        # limit (300/min) would answer most of them 429.
        "API_ANON_RATE": "1000000/m",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        # A national deployment: every province served (with the default, the
        # home province, the directory refused other provinces' filters and
        # listed all 83,762 KIMs unfiltered).
        "SIMPUL_PROVINCES": os.environ.get("SIMPUL_PROVINCES", "*"),
    }
    os.environ.update(env)
    Path(env["SIMPUL_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    return env


def timed(label: str, fn: Any, *a: Any, **kw: Any) -> float:
    began = time.monotonic()
    fn(*a, **kw)
    took = time.monotonic() - began
    print(f"  {label}: {took:.1f} s", flush=True)
    return took


def regions_import(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.management import call_command

    source = args.regions or Path(settings.SHARED_DATA_DIR) / "regions" / "indonesia"
    if not source.is_dir():
        source = REPO.parent.parent / "shared" / "data" / "regions" / "indonesia"
    if not source.is_dir():
        print(f"  regions import: skipped ({source} not found)")
        return
    timed(
        "regions import, second run (idempotent)",
        call_command,
        "import_regions",
        source=source,
        verbosity=0,
    )


def refresh() -> None:
    from datahub.services import indicators_refresh
    from datahub.vulnerability_services import vulnerability_recompute
    from network.models import Kim
    from network.services.scores import kim_scores_recompute
    from regions.models import Region

    kims = list(Kim.objects.values_list("pk", flat=True))
    sample = random.Random(1).sample(kims, min(len(kims), 2000))
    took = timed(
        f"KIM maturity scores, {len(sample):,} of {len(kims):,} KIMs",
        kim_scores_recompute,
        kim_ids=sample,
    )
    if len(sample) < len(kims):
        print(
            f"    → whole country, extrapolated: "
            f"{took * len(kims) / max(len(sample), 1):.0f} s"
        )
    regencies = list(
        Region.objects.filter(level=Region.Level.REGENCY).values_list("kode", flat=True)
    )
    parents = len(regencies) + Region.objects.filter(level="provinsi").count()
    some = ["64", *[r for r in regencies if r.startswith("64.")]]
    took = timed(
        f"data hub indicators, {len(some)} of {parents} provinces/regencies",
        indicators_refresh,
        region_codes=some,
    )
    print(f"    → whole country, extrapolated: {took * parents / len(some):.0f} s")
    one = max(regencies[:1] + [r for r in regencies if r.startswith("64.")][:1])
    took = timed(
        f"vulnerability index, 1 of {len(regencies)} regencies ({one})",
        vulnerability_recompute,
        scope=one,
    )
    print(f"    → whole country, extrapolated: {took * len(regencies):.0f} s")


def targets() -> dict[str, list[str]]:
    """The URLs of each page, drawn from the generated data."""
    from django.db.models import Count

    from core.synthetic import TOPIC_WORDS
    from network.models import Kim
    from newsroom.models import Article
    from regions.models import Region

    rng = random.Random(7)
    regencies = list(
        Kim.objects.values("regency_code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("regency_code", flat=True)[:20]
    )
    kim_ids = list(Kim.objects.order_by("?").values_list("pk", "region_id")[:200])
    articles = list(
        Article.objects.filter(status="published")
        .order_by("?")
        .values_list("slug", flat=True)[:200]
    )
    names = list(
        Region.objects.filter(level="desa_kel")
        .order_by("?")
        .values_list("name", flat=True)[:200]
    )
    from django.urls import reverse

    def filters(kab: str) -> str:
        query = {"kabupaten": kab, "status": rng.choice(["active", ""])}
        if rng.random() < 0.5:
            query["level"] = rng.choice(["pemula", "madya", "utama"])
        if rng.random() < 0.3:
            query["q"] = rng.choice(["maju", "jaya", "harapan"])
        return "/kim/?" + urllib.parse.urlencode(query)

    return {
        "province home": ["/"],
        "kabupaten page": [f"/wilayah/{k}/" for k in regencies],
        "desa page": [f"/wilayah/{code}/" for _pk, code in kim_ids[:100]],
        "KIM directory, filtered": [filters(rng.choice(regencies)) for _ in range(100)],
        "KIM page": [f"/kim/{pk}/" for pk, _code in kim_ids],
        "article": [reverse("newsroom:article", kwargs={"slug": s}) for s in articles],
        "hoax archive search": [
            "/cek-fakta/arsip/?" + urllib.parse.urlencode({"q": w})
            for w in rng.sample(TOPIC_WORDS, 40)
        ],
        "region search API": [
            "/api/v1/regions?" + urllib.parse.urlencode({"q": n[:6]}) for n in names
        ],
    }


def start_server(env: dict[str, str], args: argparse.Namespace) -> subprocess.Popen:
    cmd = [
        str(REPO / ".venv" / "bin" / "gunicorn"),
        "simpul.wsgi",
        "-w",
        str(args.workers),
        "-b",
        f"127.0.0.1:{args.port}",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **env})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def load(
    port: int, urls: list[str], seconds: float, concurrency: int
) -> tuple[list[float], int]:
    """Latencies (s) of the requests answered 200, and the count of others."""
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < stop:
            url = rng.choice(urls)
            began = time.monotonic()
            try:
                # A new connection each time: gunicorn's sync workers close it.
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", url, headers={"Accept-Language": "id"})
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:
                    mine.append(time.monotonic() - began)
                else:
                    bad += 1
                    if bad <= 2:
                        print(f"    {resp.status} {url}", flush=True)
            except OSError:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def serial(port: int, urls: list[str], count: int) -> list[float]:
    latencies: list[float] = []
    for url in urls[:count] * (count // max(len(urls[:count]), 1) + 1):
        if len(latencies) >= count:
            break
        began = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", url)
        conn.getresponse().read()
        conn.close()
        latencies.append(time.monotonic() - began)
    return latencies


def row(label: str, lat: list[float], errors: int, seconds: float) -> bool:
    rps = len(lat) / seconds
    if lat:
        q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
        p50, p95 = q[49] * 1000, q[94] * 1000
    else:
        p50 = p95 = float("nan")
    ok = p95 < TARGET_P95_MS and not errors
    print(
        f"  {label:<26} {len(lat):>6} {rps:>8.1f} {p50:>8.1f} {p95:>8.1f} "
        f"{errors:>5}  {'ok' if ok else 'MISSED'}",
        flush=True,
    )
    return ok


def main() -> int:
    args = parse()
    if not args.database.startswith("postgres"):
        raise SystemExit("--database (or DATABASE_URL) must name a PostgreSQL database")
    env = setup_django(args)
    from django.db import connection

    from network.models import Kim

    print(
        f"Database: {connection.settings_dict['NAME']}, {Kim.objects.count():,} "
        f"KIMs; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    if not args.skip_import:
        regions_import(args)
    if not args.skip_refresh:
        print("Refresh of the dashboards' figures:")
        refresh()
    pages = targets()
    connection.close()
    server = start_server(env, args)
    try:
        for urls in pages.values():  # warm each worker's caches and imports
            load(args.port, urls[:5], 1.0, args.workers)
        print(
            f"\nService time, one client, {args.serial} requests per page (the "
            "server's own time per request, queueing aside):"
        )
        for label, urls in pages.items():
            lat = serial(args.port, urls, args.serial)
            print(
                f"  {label:<26} p50 {statistics.median(lat) * 1000:6.1f} ms  "
                f"min {min(lat) * 1000:6.1f} ms"
            )
        print(
            f"\nPages, gunicorn {args.workers} workers, {args.concurrency} client "
            f"threads, {args.seconds:.0f} s each (target p95 < {TARGET_P95_MS:.0f} ms)"
        )
        print(
            f"  {'page':<26} {'reqs':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'errs':>5}"
        )
        all_ok = True
        for label, urls in pages.items():
            lat, errors = load(args.port, urls, args.seconds, args.concurrency)
            all_ok &= row(label, lat, errors, args.seconds)
        mixed = [u for urls in pages.values() for u in urls[:40]]
        lat, errors = load(args.port, mixed, args.mixed_seconds, args.concurrency)
        print(f"\nAll pages mixed, {args.mixed_seconds:.0f} s:")
        row("overall", lat, errors, args.mixed_seconds)
        overall = len(lat) / args.mixed_seconds
        print(
            f"  overall {overall:.1f} req/s (target ≥ {TARGET_RPS:.0f}): "
            f"{'ok' if overall >= TARGET_RPS else 'MISSED'}"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return 0 if all_ok and overall >= TARGET_RPS else 1


if __name__ == "__main__":
    sys.exit(main())
