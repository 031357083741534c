"""Claim matching: Simpul's engine against plain BM25, measured in the same run.

Imports ``corpus_2024.jsonl`` (7,958 fact-checks) into a temporary database with
``manage.py import_factchecks``, runs ``manage.py match_claims`` on
``queries_2024.jsonl`` (3,722 circulating messages) and prints R@1, R@5, R@10 and
MAP@5 (strict, and counting "twins": the same claim debunked by another
publisher), R@3, the precision and coverage of the ``match`` decision and of the
confirmation step (for ``suggest``: the right fact-check among the three shown
to the sender), latency per message (median and p95, one message at a time),
throughput of the batch command, index build time and peak memory; then the
same figures for the baseline, BM25 over Sastrawi-stemmed text with Sastrawi's
stop words (queries cut to 600 characters), and the ratios. Each system runs in
its own process so that peak memory is its own.

The data lie beside the checkout (``../shared/data/factchecks``, or
``SIMPUL_SHARED_DATA``) and are never shipped; without them the benchmark says
so and exits 0.

    .venv/bin/python bench/claim_matching.py [--latency-sample 400] [--limit N]

``--limit N`` matches an evenly spread sample of N messages (the whole corpus is
still indexed): a quick run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from _factcheck_data import CORPUS, DATA, QUERIES, REPO, TWINS, read_jsonl
from _scratch_db import django_sqlite

TOP = 10
BASELINE_QUERY_CHARS = 600

# What the engine must reach, against the baseline computed in this run.
TARGETS: list[tuple[str, str, float, str]] = [
    # (figure, comparison, value, what it means): the targets of the issue.
    ("r10", ">=", 0.95, "R@10 (strict) at least 0.95"),
    ("map5", ">=", 0.85, "MAP@5 (strict) at least 0.85"),
    # Issue 13: answers a citizen can act on.
    ("map5", ">=", 0.84, "MAP@5 (strict) at least 0.84 (issue 13)"),
    ("r3", ">=", 0.90, "R@3 (strict) at least 0.90"),
    ("match_coverage", ">=", 0.40, "'match' for at least 40% at >= 97% right"),
    ("latency_median_s", "<=", 0.1, "median latency per message under 100 ms"),
    ("batch_s", "<=", 120.0, "the batch of all messages under 2 minutes"),
]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scores(
    ranked: dict[str, list[str]],
    expected: dict[str, str],
    twins: dict[str, list[str]] | None = None,
) -> dict[str, float]:
    """R@1/3/5/10 and MAP@5 (one right answer per query, or any of its twins)."""
    n = len(expected)
    at = {1: 0, 3: 0, 5: 0, 10: 0}
    ap = 0.0
    for qid, want in expected.items():
        good = {want, *((twins or {}).get(want, []))}
        got = ranked.get(qid, [])
        rank = next((i for i, ext in enumerate(got, 1) if ext in good), None)
        if rank is None:
            continue
        for k in at:
            at[k] += rank <= k
        if rank <= 5:
            ap += 1 / rank
    return {
        "r1": at[1] / n,
        "r3": at[3] / n,
        "r5": at[5] / n,
        "r10": at[10] / n,
        "map5": ap / n,
    }


def decision_figures(
    rows: dict[str, dict[str, Any]],
    expected: dict[str, str],
    twins: dict[str, list[str]] | None = None,
) -> dict[str, float | None]:
    """``match``: share of messages it is given (coverage) and share of those
    whose first fact-check is right (precision). Confirmation: for ``suggest``,
    share of messages asked, and share of those with a right fact-check among
    the three shown."""
    n = len(expected)
    match = confirm = match_ok = confirm_ok = 0
    for qid, want in expected.items():
        good = {want, *((twins or {}).get(want, []))}
        row = rows.get(qid, {})
        ranked = row.get("ranked", [])
        if row.get("decision") == "match":
            match += 1
            match_ok += bool(ranked) and ranked[0] in good
        elif row.get("decision") == "suggest":
            confirm += 1
            confirm_ok += bool(good & set(ranked[:3]))
    return {
        "match_coverage": match / n if n else 0.0,
        "match_precision": match_ok / match if match else None,
        "confirm_coverage": confirm / n if n else 0.0,
        "confirm_precision": confirm_ok / confirm if confirm else None,
    }


def sample(queries: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """An evenly spread sample of ``limit`` messages (all when 0)."""
    if not limit or limit >= len(queries):
        return queries
    step = len(queries) / limit
    return [queries[int(k * step)] for k in range(limit)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- The engine, through the Django commands ------------------------------------


def run_engine(latency_sample: int, limit: int = 0) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="simpul-bench-"))
    django_sqlite(tmp)
    from django.core.management import call_command

    from factcheck import matching_service

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("import_factchecks", str(CORPUS), verbosity=0, stdout=quiet)
    import_s = time.perf_counter() - started

    matching_service.forget_embeddings()  # time a cold build
    started = time.perf_counter()
    built = matching_service.rebuild()
    build_s = time.perf_counter() - started
    status = matching_service.status()

    matching_service.reset_process_state()  # a restart: load the saved index
    started = time.perf_counter()
    matching_service.engine()
    load_s = time.perf_counter() - started

    queries = sample(read_jsonl(QUERIES), limit)
    source = tmp / "queries.jsonl"
    with source.open("w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps({"id": q["id"], "text": q["text"]}) + "\n")
    output = tmp / "results.jsonl"
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command(
            "match_claims",
            "--input",
            str(source),
            "--output",
            str(output),
            "--top",
            str(TOP),
            stderr=quiet,
        )
    batch_s = time.perf_counter() - started
    rows = read_jsonl(output)
    ranked = {r["id"]: [m["external_id"] for m in r["matches"]] for r in rows}
    decided = {r["id"]: r["decision"] for r in rows}
    decisions: dict[str, int] = {}
    for r in rows:
        decisions[r["decision"]] = decisions.get(r["decision"], 0) + 1

    step = max(1, len(queries) // latency_sample)
    picked = queries[::step][:latency_sample]
    # The batch left these messages' embeddings in the engine's memory: forget
    # them, or the latency would leave out the embedding of most messages.
    matching_service.forget_embeddings()
    warm = [q for q in queries[:20] if q not in picked][:5]
    for q in warm:  # warm caches, with messages that are not timed
        matching_service.match(q["text"][:5000], top=TOP)
    latencies = []
    for q in picked:
        started = time.perf_counter()
        matching_service.match(q["text"][:5000], top=TOP)
        latencies.append(time.perf_counter() - started)
    shutil.rmtree(tmp, ignore_errors=True)
    return {
        "ranked": ranked,
        "decided": decided,
        "decisions": decisions,
        "documents": built["documents"],
        "mode": status.get("mode"),
        "reason": status.get("reason", ""),
        "import_s": import_s,
        "build_s": build_s,
        "load_s": load_s,
        "batch_s": batch_s,
        "throughput": len(rows) / batch_s,
        "latency_median_s": statistics.median(latencies),
        "latency_p95_s": percentile(latencies, 0.95),
        "latency_n": len(latencies),
        "peak_mb": peak_mb(),
    }


# --- The baseline: BM25 over Sastrawi-stemmed text ------------------------------


def run_baseline(latency_sample: int, limit: int = 0) -> dict[str, Any]:
    import bm25s
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import (
        StopWordRemoverFactory,
    )

    stemmer = StemmerFactory().create_stemmer()
    stop = set(StopWordRemoverFactory().get_stop_words())

    @lru_cache(maxsize=200_000)
    def stem(word: str) -> str:
        return stemmer.stem(word)

    def tokens(text: str) -> list[str]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        out = [stem(w) for w in words if w not in stop]
        return [w for w in out if w and w not in stop] or ["-"]

    corpus = read_jsonl(CORPUS)
    queries = sample(read_jsonl(QUERIES), limit)
    ids = [d["external_id"] for d in corpus]
    started = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index([tokens(d["title"]) for d in corpus], show_progress=False)
    build_s = time.perf_counter() - started

    def search(text: str) -> list[str]:
        found, _ = retriever.retrieve(
            [tokens(text[:BASELINE_QUERY_CHARS])], k=TOP, show_progress=False
        )
        return [ids[i] for i in found[0]]

    started = time.perf_counter()
    ranked = {q["id"]: search(q["text"]) for q in queries}
    batch_s = time.perf_counter() - started
    step = max(1, len(queries) // latency_sample)
    latencies = []
    for q in queries[::step][:latency_sample]:
        started = time.perf_counter()
        search(q["text"])
        latencies.append(time.perf_counter() - started)
    return {
        "ranked": ranked,
        "documents": len(corpus),
        "build_s": build_s,
        "batch_s": batch_s,
        "throughput": len(queries) / batch_s,
        "latency_median_s": statistics.median(latencies),
        "latency_p95_s": percentile(latencies, 0.95),
        "latency_n": len(latencies),
        "peak_mb": peak_mb(),
    }


# --- The report -----------------------------------------------------------------


def _part(name: str, latency_sample: int, limit: int) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--part",
            name,
            "--latency-sample",
            str(latency_sample),
            "--limit",
            str(limit),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
        raise SystemExit(f"the {name} part failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["engine", "baseline"])
    parser.add_argument("--latency-sample", type=int, default=400)
    parser.add_argument(
        "--limit", type=int, default=0, help="match only N messages (quick run)"
    )
    args = parser.parse_args()
    if not (CORPUS.is_file() and QUERIES.is_file()):
        print(f"claim matching: skipped, data not found in {DATA}")
        return 0
    if args.part:
        run = run_engine if args.part == "engine" else run_baseline
        print(json.dumps(run(args.latency_sample, args.limit)))
        return 0

    queries = sample(read_jsonl(QUERIES), args.limit)
    expected = {q["id"]: q["expected"] for q in queries}
    twins = json.loads(TWINS.read_text()) if TWINS.is_file() else {}
    print(f"claim matching: {len(expected)} messages against corpus_2024 …")
    engine = _part("engine", args.latency_sample, args.limit)
    baseline = _part("baseline", args.latency_sample, args.limit)
    for part in (engine, baseline):
        part["strict"] = scores(part["ranked"], expected)
        part["twins"] = scores(part["ranked"], expected, twins)

    print(
        f"engine: {engine['documents']} fact-checks, mode {engine['mode']}"
        + (f" ({engine['reason']})" if engine["reason"] else "")
    )
    print(
        f"engine: import {engine['import_s']:.1f} s (incl. index), "
        f"load saved index {engine['load_s']:.2f} s, decisions {engine['decisions']}"
    )
    header = f"{'':24}{'engine':>10}{'BM25+Sastrawi':>15}{'ratio':>9}"
    print(header)
    print("-" * len(header))

    def row(label: str, a: float, b: float, fmt: str = "{:.3f}") -> None:
        ratio = a / b if b else float("inf")
        print(f"{label:24}{fmt.format(a):>10}{fmt.format(b):>15}{ratio:>9.2f}")

    for kind in ("strict", "twins"):
        for key, label in (
            ("r1", "R@1"),
            ("r3", "R@3"),
            ("r5", "R@5"),
            ("r10", "R@10"),
            ("map5", "MAP@5"),
        ):
            row(f"{label} ({kind})", engine[kind][key], baseline[kind][key])
    rows = {
        qid: {"ranked": engine["ranked"].get(qid, []), "decision": d}
        for qid, d in engine["decided"].items()
    }
    decided = decision_figures(rows, expected, twins)
    strict = decision_figures(rows, expected)

    def one(label: str, value: float | None, note: str = "") -> None:
        shown = "-" if value is None else f"{value:.3f}"
        print(f"{label:24}{shown:>10}{'-':>15}{'':>9}{note}")

    one("match: coverage", decided["match_coverage"])
    one("match: precision", decided["match_precision"], "  (twins count)")
    one("match: prec. strict", strict["match_precision"])
    one("confirm: coverage", decided["confirm_coverage"], "  (suggest: 3 shown)")
    one("confirm: right in 3", decided["confirm_precision"], "  (twins count)")
    row(
        "latency median (ms)",
        engine["latency_median_s"] * 1000,
        baseline["latency_median_s"] * 1000,
        "{:.1f}",
    )
    row(
        "latency p95 (ms)",
        engine["latency_p95_s"] * 1000,
        baseline["latency_p95_s"] * 1000,
        "{:.1f}",
    )
    row("throughput (msg/s)", engine["throughput"], baseline["throughput"], "{:.1f}")
    row("index build (s)", engine["build_s"], baseline["build_s"], "{:.2f}")
    row("peak memory (MB)", engine["peak_mb"], baseline["peak_mb"], "{:.0f}")
    print(
        f"(latency: {engine['latency_n']} messages one at a time; throughput: the "
        "batch command over all messages; memory: each system's own process)"
    )

    figures = {
        "r10": engine["strict"]["r10"],
        "map5": engine["strict"]["map5"],
        "r3": engine["strict"]["r3"],
        "match_coverage": decided["match_coverage"]
        if (decided["match_precision"] or 0.0) >= 0.97
        else 0.0,
        "latency_median_s": engine["latency_median_s"],
        "batch_s": engine["batch_s"],
    }
    met = True
    print("targets:")
    for key, op, value, meaning in TARGETS:
        ok = figures[key] >= value if op == ">=" else figures[key] <= value
        met &= ok
        print(
            f"  [{'met' if ok else 'NOT MET'}] {meaning}: "
            f"{figures[key]:.3f} {op} {value}"
        )
    # A missed target is a finding to report, not a crash: the script succeeds.
    print("all targets met" if met else "some targets NOT met")
    if not met:
        print(
            "(bench/claim_matching_engine.py prints the share of messages with no"
            " lexical or semantic link to their fact-check: the ceiling of R@10)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
