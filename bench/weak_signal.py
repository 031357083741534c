"""Citizen pages on a weak mobile signal: bytes and paint times in Chromium.

Starts its own server the way ``make run`` does (DEBUG on, static files
collected: hashed, gzip/brotli, cached a year) on a temporary SQLite database
with Kaltim's regions and the demo, then opens each citizen page in a fresh
browser context with Chrome's network throttling:

    EDGE  50 kbps down, 20 kbps up, 800 ms round trip
    2G   250 kbps down, 50 kbps up, 300 ms round trip

and prints, per page, the bytes transferred (compressed, as on the wire) and
the times to first contentful paint and DOMContentLoaded: cold (empty cache)
and warm (the same page again: HTTP cache, and the service worker where the
site has one). Map tiles are off (MAP_TILE_URL empty): "before tiles".

Targets: every page <= 60 KB cold; first paint <= 4 s cold on EDGE.

    .venv/bin/python bench/weak_signal.py [--db PATH] [--profiles EDGE,2G]
        [--plain-static] [--root DIR] [--timeout 900]

``--db`` keeps the prepared database for the next run; ``--plain-static``
serves the static files uncompressed from their sources (the former
``make run``); ``--root`` runs another checkout's code (a before/after).
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PROFILES = {
    # name: (down kbps, up kbps, round trip ms)
    "EDGE": (50, 20, 800),
    "2G": (250, 50, 300),
}
TARGET_BYTES = 60 * 1024
TARGET_FCP_EDGE_MS = 4000
FIXED_PAGES = [
    ("home", "/"),
    ("tip form", "/cek-fakta/"),
    ("no-signal report", "/sinyal/lapor/"),
    ("kabupaten", "/wilayah/64.02/"),
    ("desa", "/wilayah/64.02.06.1001/"),
    ("KIM directory", "/kim/"),
]
# The first object of each kind, found on its public list.
FOUND_PAGES = [
    ("a KIM", "/kim/", r'href="(/kim/\d+/)"'),
    ("an article", "/kabar/", r'href="(/kabar/baca/[\w-]+/)"'),
    ("a fact-check", "/cek-fakta/arsip/", r'href="(/cek-fakta/\d+/)"'),
]


@dataclass
class Visit:
    bytes: int
    fcp_ms: float
    dcl_ms: float


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(root: Path, data_dir: Path, db: Path, plain: bool) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "simpul.settings",
        "PYTHONPATH": str(root),
        "SIMPUL_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{db}",
        "DEBUG": "1",  # as bin/run-dev
        "STATIC_MANIFEST": "0" if plain else "1",
        "CACHE_URL": "locmem://",
        "MAP_TILE_URL": "",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "LOG_LEVEL": "WARNING",
        "SECURE_COOKIES": "0",
        "PYTHONDONTWRITEBYTECODE": "1",  # --root may be a checkout to leave as is
    }


def prepare(root: Path, env: dict[str, str], db: Path, plain: bool) -> None:
    manage = [str(REPO / ".venv" / "bin" / "python"), str(root / "manage.py")]
    t = time.perf_counter()
    if not db.exists():
        for command in (["migrate"], ["import_regions"], ["load_demo"]):
            subprocess.run(
                [*manage, *command, "-v0"],
                env=env,
                cwd=root,
                check=True,
                stdout=subprocess.DEVNULL,
            )
    if not plain:
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=root,
            check=True,
        )
    print(f"database and static files ready ({time.perf_counter() - t:.0f} s)")


def start_server(root: Path, env: dict[str, str]) -> tuple[subprocess.Popen[Any], str]:
    port = free_port()
    python = str(REPO / ".venv" / "bin" / "python")
    server = subprocess.Popen(
        [python, str(root / "manage.py"), "runserver", "--noreload",
         f"127.0.0.1:{port}"],
        env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def pages(base: str) -> list[tuple[str, str]]:
    import httpx

    found = list(FIXED_PAGES)
    for label, listing, pattern in FOUND_PAGES:
        html = httpx.get(base + listing, timeout=60).text
        match = re.search(pattern, html)
        if match:
            found.append((label, match.group(1)))
        else:
            print(f"note: no {label} found on {listing}")
    return found


def visit(page: Any, cdp: Any, url: str, timeout_ms: int) -> Visit:
    sizes: dict[str, float] = {}

    def finished(event: dict[str, Any]) -> None:
        sizes[event["requestId"]] = event.get("encodedDataLength", 0)

    cdp.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="load", timeout=timeout_ms)
    # Paint entries come a moment after load on a slow page.
    page.wait_for_timeout(300)
    timing = page.evaluate(
        """() => {
          const paint = performance.getEntriesByName("first-contentful-paint")[0];
          const nav = performance.getEntriesByType("navigation")[0];
          const dcl = nav ? nav.domContentLoadedEventEnd : -1;
          return [paint ? paint.startTime : -1, dcl];
        }"""
    )
    cdp.remove_listener("Network.loadingFinished", finished)
    return Visit(int(sum(sizes.values())), float(timing[0]), float(timing[1]))


def run_profile(
    browser: Any, base: str, targets: list[tuple[str, str]], name: str, deadline: float
) -> list[tuple[str, Visit, Visit]]:
    down, up, rtt = PROFILES[name]
    rows = []
    for label, path in targets:
        if time.monotonic() > deadline:
            print(f"note: time is up; {label} and later pages not measured")
            break
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": rtt,
                "downloadThroughput": down * 1000 / 8,
                "uploadThroughput": up * 1000 / 8,
            },
        )
        try:
            cold = visit(page, cdp, base + path, 180_000)
            warm = visit(page, cdp, base + path, 180_000)
        finally:
            context.close()
        rows.append((label, cold, warm))
    return rows


def report(name: str, rows: list[tuple[str, Visit, Visit]]) -> bool:
    down, up, rtt = PROFILES[name]
    print(f"\n{name}: {down}/{up} kbps, {rtt} ms")
    print(
        f"{'page':18} {'cold KB':>8} {'FCP s':>6} {'DCL s':>6}"
        f" {'warm KB':>8} {'FCP s':>6} {'DCL s':>6}  targets"
    )
    ok = True
    for label, cold, warm in rows:
        misses = []
        if cold.bytes > TARGET_BYTES:
            misses.append(f"> {TARGET_BYTES // 1024} KB")
        if name == "EDGE" and not 0 <= cold.fcp_ms <= TARGET_FCP_EDGE_MS:
            misses.append(f"FCP > {TARGET_FCP_EDGE_MS / 1000:.0f} s")
        ok = ok and not misses
        print(
            f"{label:18} {cold.bytes / 1024:8.1f} {cold.fcp_ms / 1000:6.1f}"
            f" {cold.dcl_ms / 1000:6.1f} {warm.bytes / 1024:8.1f}"
            f" {warm.fcp_ms / 1000:6.1f} {warm.dcl_ms / 1000:6.1f}  "
            + ("ok" if not misses else "MISSED " + ", ".join(misses))
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="prepared database (kept)")
    parser.add_argument("--profiles", default="EDGE,2G")
    parser.add_argument("--plain-static", action="store_true")
    parser.add_argument("--root", type=Path, default=REPO)
    parser.add_argument("--timeout", type=int, default=900, help="seconds in all")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("skipped: Chromium is not installed (apt-get install chromium)")
        return 0
    deadline = time.monotonic() + args.timeout
    data_dir = Path(tempfile.mkdtemp(prefix="simpul-weak-"))
    db = (args.db or data_dir / "bench.sqlite3").resolve()
    root = args.root.resolve()
    env = server_env(root, data_dir, db, args.plain_static)
    prepare(root, env, db, args.plain_static)
    server, base = start_server(root, env)
    ok = True
    try:
        from playwright.sync_api import sync_playwright

        targets = pages(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=["--headless", "--no-sandbox", "--disable-gpu",
                      "--disable-quic", "--no-first-run"],
            )  # fmt: skip
            for name in args.profiles.split(","):
                rows = run_profile(browser, base, targets, name.strip(), deadline)
                ok = report(name.strip(), rows) and ok
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(data_dir, ignore_errors=True)
    print("\ntargets " + ("met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
