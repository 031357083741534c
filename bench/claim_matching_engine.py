"""Benchmark of the claim-matching engine (``factcheck.matching``) against the
plain-BM25 baseline, in one process.

Run: ``.venv/bin/python bench/claim_matching_engine.py [--quick] [--skip-memory]``.
Reads the fact-check benchmark from the shared data folder
(``$SIMPUL_SHARED_DATA``, default ``<repo>/../shared/data``) and stops with a
message when it is absent.

Quality figures of the engine are out-of-fold (5 folds over messages: each
message is ranked by a re-ranker fitted without it), next to the shipped model's
in-sample figures.  Embeddings of the benchmark texts are cached under
``var/matching-cache/`` (first run: several minutes to embed); speed figures use
the real model without the cache.

Targets: R@10 >= 0.95 and MAP@5 >= 0.85; ``match`` precision >= 0.97; one
600-character message against 10,000 fact-checks < 100 ms median; 3,722 messages
< 2 min; indexing 10,000 fact-checks < 10 min; < 1.5 GB for 100,000 fact-checks.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck.matching import FactCheckDoc, MatchingEngine, datasets, train  # noqa: E402  # noqa: E402
from factcheck.matching.semantic import load_embedder  # noqa: E402


def fmt(metrics: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.3f}" for k, v in metrics.items())


# --- Baseline ---------------------------------------------------------------------


class Baseline:
    """BM25 (bm25s defaults) over Sastrawi-stemmed text without Sastrawi's stop
    words; messages cut to 600 characters (the figure in the data README)."""

    def __init__(
        self, docs: Sequence[FactCheckDoc], *, with_body: bool = False
    ) -> None:
        import bm25s
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
        from Sastrawi.StopWordRemover.StopWordRemoverFactory import (
            StopWordRemoverFactory,
        )

        self.stemmer = StemmerFactory().create_stemmer()
        self.stop = set(StopWordRemoverFactory().get_stop_words())
        self.ids = [d.id for d in docs]
        texts = [f"{d.title} {d.explanation}" if with_body else d.title for d in docs]
        self.retriever = bm25s.BM25()
        self.retriever.index([self.tokens(t) for t in texts], show_progress=False)

    def tokens(self, text: str) -> list[str]:
        return [w for w in self.stemmer.stem(text).split() if w and w not in self.stop]

    def search(self, text: str, top: int = 10) -> list[str]:
        ids = self.retriever.get_tokens_ids(self.tokens(text[:600]))
        if not ids:
            return []
        scores = self.retriever.get_scores_from_ids(ids)
        best = np.argsort(-scores)[:top]
        return [self.ids[i] for i in best if scores[i] > 0]


# --- Quality ----------------------------------------------------------------------


def engine_quality(
    engine: MatchingEngine,
    bench: datasets.Benchmark,
    vectors: np.ndarray | None,
    fold_models: list[Any] | None = None,
) -> tuple[train.Collected, list[np.ndarray], list[Any]]:
    """Out-of-fold probabilities for every message of ``bench``.  With
    ``fold_models`` given (from the main set), message i is scored by the model
    that did not see message i's twin in the main set."""
    data = train.collect(engine, bench.queries, vectors)
    names = engine.candidates("x").feature_names
    if fold_models is None:
        probs, fold_models = train.cv_scores(data, names)
        return data, probs, fold_models
    main_ids = [q.expected for q in datasets.load_main().queries]
    assign = train.folds_of(len(main_ids), len(fold_models))
    fold_of = dict(zip(main_ids, assign.tolist(), strict=True))
    probs = []
    for c, q in zip(data.cands, data.queries, strict=True):
        model = fold_models[fold_of.get(q.expected, 0)]
        probs.append(model.predict(c.features) if c.ids else np.zeros(0))
    return data, probs, fold_models


def report_quality(
    label: str,
    bench: datasets.Benchmark,
    baseline_rankings: list[list[str]],
    data: train.Collected,
    probs: list[np.ndarray],
    subset: Sequence[int] | None = None,
) -> dict[str, Any]:
    idx = list(range(len(bench.queries))) if subset is None else list(subset)
    qs = [bench.queries[i] for i in idx]
    base = [baseline_rankings[i] for i in idx]
    eng = [train.ranked_ids(data.cands[i], probs[i]) for i in idx]
    out: dict[str, Any] = {"messages": len(qs)}
    for mode in ("strict", "twins"):
        b = train.retrieval_metrics(base, qs, strict=mode == "strict")
        e = train.retrieval_metrics(eng, qs, strict=mode == "strict")
        out[mode] = {"baseline": b, "engine": e}
        print(f"  [{label}] {mode:6s} baseline  {fmt(b)}")
        print(f"  [{label}] {mode:6s} engine    {fmt(e)}")
        ratio = {k: e[k] / b[k] if b[k] else float("nan") for k in b}
        print(f"  [{label}] {mode:6s} ratio     {fmt(ratio)}")
    return out


def low_overlap_subset(bench: datasets.Benchmark, baseline: Baseline) -> list[int]:
    """Messages sharing at most one stemmed word with their fact-check's title."""
    titles = {d.id: set(baseline.tokens(d.title)) for d in bench.docs}
    out = []
    for i, q in enumerate(bench.queries):
        if len(set(baseline.tokens(q.text[:600])) & titles[q.expected]) <= 1:
            out.append(i)
    return out


def decisions(
    engine: MatchingEngine, data: train.Collected, probs: list[np.ndarray]
) -> dict[str, Any]:
    p1, right1, strict1, in5 = train.top_scores(data, probs)
    report: dict[str, Any] = train.decision_report(
        p1, right1, strict1, in5, engine.match_threshold, engine.suggest_threshold
    )
    for name, r in report.items():
        print(
            f"  {name:8s} coverage {r['coverage']:.3f}"
            f"  top-1 right {r['top1_right']:.3f}"
            f" (strict {r['top1_right_strict']:.3f})"
            f"  right in top 5 {r['right_in_top5']:.3f}"
        )
    # Threshold chosen on one half of the messages, checked on the other.
    rng = np.random.default_rng(11)
    half = rng.permutation(len(p1)) % 2 == 0
    checks = []
    for a, b in ((half, ~half), (~half, half)):
        match, _ = train.choose_thresholds(p1[a], right1[a], in5[a])
        sel = b & (p1 >= match)
        checks.append(
            (
                match,
                float(right1[sel].mean()) if sel.any() else float("nan"),
                sel.sum() / b.sum(),
            )
        )
    for match, prec, cov in checks:
        print(
            f"  split-half check: threshold {match:.3f} -> precision {prec:.3f},"
            f" coverage {cov:.3f}"
        )
    report["split_half"] = checks
    return report


# --- Speed and memory ---------------------------------------------------------------


def synthetic_docs(
    source: Sequence[FactCheckDoc], n: int, *, seed: int, body: bool
) -> list[FactCheckDoc]:
    """``n`` fact-checks made by shuffling real titles' words (and, with ``body``,
    an explanation of ~120 words drawn from all titles)."""
    rng = random.Random(seed)
    words = [w for d in source for w in d.title.split()]
    titles = [d.title.split() for d in source]
    out = []
    for k in range(n):
        t = list(rng.choice(titles))
        rng.shuffle(t)
        t.append(rng.choice(words))
        explanation = " ".join(rng.choices(words, k=120)) if body else ""
        out.append(
            FactCheckDoc(f"syn-{seed}-{k}", " ".join(t), explanation=explanation)
        )
    return out


def speed(bench: datasets.Benchmark, quick: bool) -> dict[str, Any]:
    inner, reason = load_embedder()
    out: dict[str, Any] = {"semantic": inner is not None, "reason": reason}
    extra = synthetic_docs(bench.docs, 10_000 - len(bench.docs), seed=1, body=False)
    docs = [*bench.docs, *extra]
    n_index = 1500 if quick else len(docs)
    engine = MatchingEngine(embedder=inner, semantic=inner is not None)
    t0 = time.perf_counter()
    engine.add_or_update(docs[:n_index])
    build = time.perf_counter() - t0
    if n_index < len(docs):
        # Extrapolate the embedding part; index the rest lexically only.
        per_doc = build / n_index
        lex = MatchingEngine(semantic=False)
        t1 = time.perf_counter()
        lex.add_or_update(docs)
        lex_time = time.perf_counter() - t1
        vectors = engine.vectors
        engine = MatchingEngine(embedder=inner, semantic=inner is not None)
        engine.lexical = lex.lexical
        engine.docs = lex.docs
        rest = [d for d in docs if d.id not in vectors]
        engine.vectors = vectors
        if inner is not None:
            fake = np.random.default_rng(0).normal(size=(len(rest), vectors.dim))
            fake /= np.linalg.norm(fake, axis=1, keepdims=True)
            engine.vectors.upsert([d.id for d in rest], fake.astype(np.float32))
        build = lex_time + per_doc * len(docs)
        out["index_build_note"] = f"extrapolated from {n_index} docs"
    out["index_build_s_10k"] = build
    print(f"  index build, {len(docs)} fact-checks: {build:.1f} s")

    # Incremental: one new fact-check becomes matchable.
    t0 = time.perf_counter()
    engine.add_or_update(
        [FactCheckDoc("new-1", "Bendungan Benanga Samarinda Jebol Malam Ini")]
    )
    out["add_one_s"] = time.perf_counter() - t0
    print(f"  add one fact-check to 10,000: {out['add_one_s'] * 1000:.0f} ms")

    rng = random.Random(5)
    sample = rng.sample(bench.queries, 100 if quick else 300)
    texts = [(q.text * 10)[:600] for q in sample]  # 600-character messages
    engine.search(texts[0])
    lat = []
    for t in texts:
        t0 = time.perf_counter()
        engine.search(t)
        lat.append(time.perf_counter() - t0)
    lat_ms = sorted(x * 1000 for x in lat)
    out["latency_median_ms"] = statistics.median(lat_ms)
    out["latency_p95_ms"] = lat_ms[int(0.95 * (len(lat_ms) - 1))]
    print(
        f"  one 600-char message vs 10,000: median {out['latency_median_ms']:.1f} ms,"
        f" p95 {out['latency_p95_ms']:.1f} ms"
    )

    batch = [q.text for q in bench.queries]
    if quick:
        batch = batch[:500]
    t0 = time.perf_counter()
    engine.search_many(batch, top=10)
    elapsed = time.perf_counter() - t0
    out["batch_messages"] = len(batch)
    out["batch_s"] = elapsed
    out["batch_s_3722"] = elapsed * 3722 / len(batch)
    print(
        f"  batch of {len(batch)} messages: {elapsed:.1f} s"
        f" ({len(batch) / elapsed:.0f} msg/s; 3,722 -> {out['batch_s_3722']:.0f} s)"
    )
    return out


def memory_child(n: int) -> None:
    """Runs in a fresh process: index ``n`` synthetic fact-checks with bodies and
    random unit vectors in place of embeddings (embedding 100,000 texts takes
    hours on this machine; the vectors' memory is the same), then print peak
    RSS (tracemalloc is left off: its bookkeeping would inflate the figure)."""
    bench = datasets.load_main()
    docs = synthetic_docs(bench.docs, n, seed=3, body=True)
    del bench
    gc.collect()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    engine = MatchingEngine(semantic=False)
    t0 = time.perf_counter()
    for start in range(0, n, 10_000):
        engine.add_or_update(docs[start : start + 10_000])
    engine.lexical.rebuild()
    fake = np.random.default_rng(0).normal(size=(n, 384)).astype(np.float32)
    fake /= np.linalg.norm(fake, axis=1, keepdims=True)
    engine.vectors.upsert([d.id for d in docs], fake)
    del fake
    build = time.perf_counter() - t0
    lat = []
    for q in [
        "bantuan 50 juta dari presiden jokowi lewat tiktok",
        "vaksin berisi chip",
    ] * 10:
        t1 = time.perf_counter()
        engine.search(q)
        lat.append(time.perf_counter() - t1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "docs": n,
                "peak_rss_mb": peak / 1024,
                "rss_before_mb": base / 1024,
                "build_s": build,
                "lexical_search_median_ms": statistics.median(lat) * 1000,
            }
        )
    )


def memory(n: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(n)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SIMPUL_DISABLE_EMBEDDINGS": "1"},
    )
    if proc.returncode != 0:
        print(proc.stderr[-2000:])
        return {"error": proc.returncode}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(
        f"  {n} fact-checks with bodies: peak RSS {result['peak_rss_mb']:.0f} MB"
        f" (interpreter and data before indexing {result['rss_before_mb']:.0f} MB),"
        f" built in {result['build_s']:.0f} s, lexical search median"
        f" {result['lexical_search_median_ms']:.0f} ms"
    )
    return result


def ceiling(
    engine: MatchingEngine,
    bench: datasets.Benchmark,
    vectors: np.ndarray | None,
    data: train.Collected,
) -> dict[str, float]:
    """How far any text matcher could get: messages that share no content word
    with the headline of a right fact-check (after normalisation), those that
    also share no word rarer than 200 titles and whose right fact-check ranks
    below 100 by cosine (no lexical or semantic link at all: "(narasi tidak
    ditampilkan)", a bare phone number, a caption of a video), and the share of
    messages with a right fact-check among the re-ranker's candidates."""
    lex = engine.lexical
    title = lex.channels["title"]
    no_word = no_link = 0
    for k, q in enumerate(bench.queries):
        words = set(lex.words.lookup(lex.query_terms(q.text, 2000).words))
        shared = rare = 0
        for right in q.right:
            terms = lex.terms[right].channels
            common = (set(terms["title"].tolist()) | set(terms["claim"].tolist())) & (
                words
            )
            shared = max(shared, len(common))
            if common:
                ids = np.fromiter(common, dtype=np.int64, count=len(common))
                rare = max(rare, int((title.df_of(ids) <= 200).sum()))
        no_word += shared == 0
        if rare == 0:
            cos_rank = 10**9
            if vectors is not None:
                cos = engine.vectors.similarities(vectors[k])
                rows = [
                    engine.vectors.row_of[r] for r in q.right if r in engine.vectors
                ]
                cos_rank = min(
                    (int((cos > cos[r]).sum()) for r in rows), default=cos_rank
                )
            no_link += cos_rank >= 100
    n = max(len(bench.queries), 1)
    out = {
        "no_shared_word": no_word / n,
        "no_link": no_link / n,
        "candidate_recall": float(np.mean([lab.sum() > 0 for lab in data.labels])),
    }
    print(
        "== Ceiling: messages sharing no word with a right headline"
        f" {out['no_shared_word']:.3f}; sharing no word rarer than 200 headlines"
        f" and ranked below 100 by cosine {out['no_link']:.3f}"
        f" (so R@10 <= about {1 - out['no_link']:.3f} for a text matcher);"
        f" right fact-check among the candidates {out['candidate_recall']:.3f}"
    )
    return out


# --- Main -------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller speed runs")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--memory-docs", type=int, default=100_000)
    parser.add_argument("--memory-child", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return 0
    if not datasets.available():
        print(f"shared data not found under {datasets.factchecks_dir()}; nothing to do")
        return 0

    figures: dict[str, Any] = {}
    bench = datasets.load_main()
    if not args.skip_quality:
        quality(bench, figures)
    if not args.skip_speed:
        print(
            "== Speed (real embedding model, no cache;"
            " 2-core machine shared with other work)"
        )
        figures["speed"] = speed(bench, args.quick)
    if not args.skip_memory:
        print("== Memory (separate process)")
        figures["memory"] = memory(args.memory_docs)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str))
    return 0


def quality(bench: datasets.Benchmark, figures: dict[str, Any]) -> None:
    print(
        f"== Quality: {bench.name}: {len(bench.queries)} messages,"
        f" {len(bench.docs)} fact-checks"
    )
    t0 = time.perf_counter()
    baseline = Baseline(bench.docs)
    base_rank = [baseline.search(q.text) for q in bench.queries]
    print(f"  baseline: built and ran in {time.perf_counter() - t0:.1f} s")

    inner, reason = load_embedder()
    if inner is None:
        print(f"  embedding model unavailable ({reason}): engine runs lexical only")
    embedder = (
        datasets.CachingEmbedder(inner, train.CACHE) if inner is not None else None
    )
    engine = train.build_engine(
        bench.docs, semantic=embedder is not None, embedder=embedder
    )
    vectors = train.query_vectors(embedder, bench.queries)
    if embedder is not None:
        embedder.flush()
    data, probs, fold_models = engine_quality(engine, bench, vectors)
    figures["main"] = report_quality("titles", bench, base_rank, data, probs)
    shipped = [
        engine.model.predict(c.features) if c.ids else np.zeros(0) for c in data.cands
    ]
    ins = [train.ranked_ids(c, p) for c, p in zip(data.cands, shipped, strict=True)]
    print(
        "  [titles] twins  shipped model, in-sample:",
        fmt(train.retrieval_metrics(ins, bench.queries, strict=False)),
    )

    figures["ceiling"] = ceiling(engine, bench, vectors, data)

    low = low_overlap_subset(bench, baseline)
    print(f"== Messages sharing <= 1 word with the title: {len(low)}")
    figures["low_overlap"] = report_quality(
        "low-overlap", bench, base_rank, data, probs, low
    )

    print(
        "== Decisions (out-of-fold scores, shipped thresholds"
        f" match >= {engine.match_threshold}, suggest >= {engine.suggest_threshold})"
    )
    figures["decisions"] = decisions(engine, data, probs)

    lexical = train.build_engine(bench.docs, semantic=False)
    ldata, lprobs, _ = engine_quality(lexical, bench, None)
    print("== Lexical-only fallback (embedding model unavailable)")
    figures["lexical_only"] = report_quality("lexical", bench, base_rank, ldata, lprobs)
    figures["lexical_decisions"] = decisions(lexical, ldata, lprobs)

    long = datasets.load_long_text()
    print(f"== {long.name}: {len(long.queries)} messages, {len(long.docs)} fact-checks")
    lbase = Baseline(long.docs, with_body=True)
    lbase_rank = [lbase.search(q.text) for q in long.queries]
    lengine = train.build_engine(
        long.docs, semantic=embedder is not None, embedder=embedder
    )
    lvectors = train.query_vectors(embedder, long.queries)
    if embedder is not None:
        embedder.flush()
    ldata2, lprobs2, _ = engine_quality(lengine, long, lvectors, fold_models)
    figures["long_text"] = report_quality("long", long, lbase_rank, ldata2, lprobs2)
    del lengine, lexical, engine
    gc.collect()


if __name__ == "__main__":
    raise SystemExit(main())
