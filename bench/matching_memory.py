"""Memory of the claim-matching index across processes, mapped or copied.

Run: ``.venv/bin/python bench/matching_memory.py [--docs 100000] [--procs 4]``.

Builds (once; kept under ``var/matching-memory/<docs>/``) an index of synthetic
fact-checks with bodies: titles made by shuffling the words of real fact-check
titles (the shared benchmark data, ``$SIMPUL_SHARED_DATA``; a fixed word list
when it is absent) and random unit vectors in place of embeddings (embedding
100,000 texts takes hours on a 2-core machine; a vector's memory does not depend
on its values).  The index is saved as the worker saves it.

Then starts ``--procs`` processes that each open the index as a web process
does and answer a few searches, first with the index memory-mapped
(``FACTCHECK_INDEX_MMAP`` on, the default) and then with each reading its own
copy (off), and reads each process's ``Rss`` and ``Pss`` from
``/proc/<pid>/smaps_rollup``.  PSS divides every shared page between the
processes that map it, so the sum of PSS is what the processes cost the machine
together; the sum of RSS counts shared pages once per process.

Also times what makes a new fact-check matchable in another process: the
incremental catch-up a process does on its next match (it reads the change from
the database, then adds one document to its engine), the worker's save of the
whole index, and a process mapping the newer saved index.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck.matching import FactCheckDoc, MatchingEngine  # noqa: E402
from factcheck.matching.semantic import DIM, load_embedder  # noqa: E402

QUERIES = [
    "bantuan 50 juta dari presiden jokowi lewat tiktok",
    "vaksin berisi chip pelacak",
    "banjir besar di samarinda malam ini jembatan putus",
    "lowongan kerja pertamina lewat whatsapp",
]
FALLBACK_WORDS = [
    "bantuan",
    "presiden",
    "vaksin",
    "banjir",
    "gempa",
    "samarinda",
    "balikpapan",
    "bontang",
    "listrik",
    "padam",
    "jalan",
    "tol",
    "jembatan",
    "putus",
    "beras",
    "plastik",
    "telur",
    "palsu",
    "pinjaman",
    "online",
    "rekrutmen",
    "pertamina",
    "bansos",
    "pendaftaran",
    "tautan",
    "kuota",
    "gratis",
    "tsunami",
    "hoaks",
    "penipuan",
    "kartu",
    "prakerja",
    "subsidi",
    "bbm",
    "harga",
    "naik",
    "pemilu",
    "kotak",
    "suara",
    "surat",
]


def synthetic_docs(n: int, *, seed: int = 3) -> list[FactCheckDoc]:
    try:
        from factcheck.matching import datasets

        titles = [d.title.split() for d in datasets.load_main().docs]
    except Exception:  # no shared data here: a fixed vocabulary
        rng = random.Random(seed)
        titles = [rng.sample(FALLBACK_WORDS, 8) for _ in range(500)]
    words = [w for t in titles for w in t]
    rng = random.Random(seed)
    out = []
    for k in range(n):
        t = list(rng.choice(titles))
        rng.shuffle(t)
        t.append(f"{rng.choice(words)}{k % 997}")  # a rarer term per document
        out.append(
            FactCheckDoc(
                str(k + 1),
                " ".join(t),
                claim=" ".join(rng.choices(words, k=20)),
                explanation=" ".join(rng.choices(words, k=120)),
                conclusion=" ".join(rng.choices(words, k=12)),
            )
        )
    return out


def build(n: int, folder: Path, embedder: Any) -> float:
    docs = synthetic_docs(n)
    engine = MatchingEngine(index_id="bench", semantic=False)
    t0 = time.perf_counter()
    for start in range(0, n, 10_000):
        engine.add_or_update(docs[start : start + 10_000])
    engine.lexical.rebuild()
    if embedder is not None:
        fake = np.random.default_rng(0).normal(size=(n, DIM)).astype(np.float32)
        fake /= np.linalg.norm(fake, axis=1, keepdims=True)
        engine.vectors.upsert([d.id for d in docs], fake)
        engine.embedder = embedder  # saved as the real model's vectors
    engine.save(folder)
    return time.perf_counter() - t0


def smaps(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in ("Rss:", "Pss:"):
            out[parts[0][:-1].lower()] = int(parts[1]) * 1024
    return out


def child(folder: str, mmap: bool, semantic: bool) -> None:
    """A stand-in for a web process: open the index, search, report, wait."""
    embedder = load_embedder()[0] if semantic else None
    t0 = time.perf_counter()
    if folder:
        engine = MatchingEngine.load(
            folder,
            index_id="bench",
            semantic=embedder is not None,
            embedder=embedder,
            mmap=mmap,
        )
        load_s = time.perf_counter() - t0
        lat = []
        for q in QUERIES * 3:
            t1 = time.perf_counter()
            engine.search(q)
            lat.append(time.perf_counter() - t1)
    else:
        load_s, lat = 0.0, [0.0]  # the bare process: interpreter, numpy, model
    print(json.dumps({"load_s": load_s, "search_ms": statistics.median(lat) * 1e3}))
    sys.stdout.flush()
    sys.stdin.read()  # until the parent has measured


def measure(folder: Path | None, procs: int, mmap: bool, semantic: bool) -> dict:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if not semantic:
        env["SIMPUL_DISABLE_EMBEDDINGS"] = "1"
    cmd = [sys.executable, __file__, "--child", str(folder or "")]
    cmd += ["--mmap", "1" if mmap else "0", "--semantic", "1" if semantic else "0"]
    started = [
        subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        for _ in range(procs)
    ]
    try:
        lines = [p.stdout.readline() for p in started]  # type: ignore[union-attr]
        if not all(lines):
            raise SystemExit("a measuring process failed (its error is above)")
        reports = [json.loads(line) for line in lines]
        mem = [smaps(p.pid) for p in started]
    finally:
        for p in started:
            p.stdin.close()  # type: ignore[union-attr]
            p.wait(timeout=60)
    return {
        "procs": procs,
        "pss_total": sum(m["pss"] for m in mem),
        "rss_total": sum(m["rss"] for m in mem),
        "load_s": max(r["load_s"] for r in reports),
        "search_ms": statistics.median(r["search_ms"] for r in reports),
    }


def freshness(folder: Path, semantic: bool) -> dict[str, float]:
    """What another process pays before a new fact-check matches there."""
    embedder = load_embedder()[0] if semantic else None
    mapped = MatchingEngine.load(
        folder, index_id="bench", semantic=embedder is not None, embedder=embedder
    )
    new = FactCheckDoc("new-1", "Bendungan Benanga Samarinda jebol malam ini")
    t0 = time.perf_counter()
    mapped.add_or_update([new])
    found = mapped.search("bendungan benanga jebol")[0].id == "new-1"
    catch_up = time.perf_counter() - t0
    staging = folder.with_name(folder.name + ".fresh")
    t0 = time.perf_counter()
    mapped.save(staging)
    save_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = MatchingEngine.load(
        staging, index_id="bench", semantic=embedder is not None, embedder=embedder
    )
    remapped = again.search("bendungan benanga jebol")[0].id == "new-1"
    remap_s = time.perf_counter() - t0
    import shutil

    shutil.rmtree(staging, ignore_errors=True)
    return {
        "catch_up_ms": catch_up * 1e3,
        "found": float(found and remapped),
        "save_s": save_s,
        "remap_s": remap_s,
    }


def gb(n: float) -> str:
    return f"{n / 1e9:.2f} GB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--lexical", action="store_true", help="no embedding model")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--mmap", default="1", help=argparse.SUPPRESS)
    parser.add_argument("--semantic", default="1", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.mmap == "1", args.semantic == "1")
        return 0

    embedder = None if args.lexical else load_embedder()[0]
    semantic = embedder is not None
    folder = REPO / "var" / "matching-memory" / f"{args.docs}-{int(semantic)}"
    if not (folder / "manifest.json").exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        print(f"building an index of {args.docs} synthetic fact-checks ...")
        print(f"  built and saved in {build(args.docs, folder, embedder):.0f} s")
    size = sum(f.stat().st_size for f in folder.iterdir())
    print(
        f"index: {args.docs} fact-checks, {gb(size)} on disk,"
        f" {'semantic+lexical' if semantic else 'lexical only'}"
    )
    bare = measure(None, args.procs, True, semantic)
    print(
        f"{args.procs} bare processes (interpreter, numpy, model; no index):"
        f" PSS {gb(bare['pss_total'])}, RSS {gb(bare['rss_total'])}"
    )
    rows = []
    for mmap in (False, True):
        for procs in sorted({1, args.procs}):
            row = measure(folder, procs, mmap, semantic)
            row["mmap"] = mmap
            rows.append(row)
            print(
                f"{procs} process(es), mmap {'on ' if mmap else 'off'}:"
                f" PSS {gb(row['pss_total'])} (RSS {gb(row['rss_total'])}),"
                f" open {row['load_s']:.1f} s, search median"
                f" {row['search_ms']:.0f} ms"
            )
    off, on = (
        next(r for r in rows if r["procs"] == args.procs and r["mmap"] == m)
        for m in (False, True)
    )
    print(
        f"=> {args.procs} processes: {gb(off['pss_total'])} copied vs"
        f" {gb(on['pss_total'])} mapped (PSS); index per extra process:"
        f" {gb((off['pss_total'] - bare['pss_total']) / args.procs)} copied,"
        f" {gb((on['pss_total'] - bare['pss_total']) / args.procs)} mapped"
    )
    fresh = freshness(folder, semantic)
    print(
        "new fact-check in another process: catch-up on its next match"
        f" {fresh['catch_up_ms']:.0f} ms (found: {bool(fresh['found'])});"
        f" worker saves the index {fresh['save_s']:.1f} s;"
        f" a process maps the newer index {fresh['remap_s']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
