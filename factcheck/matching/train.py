"""Re-train the re-ranker and its decision thresholds; writes ``weights.json``.

    .venv/bin/python -m factcheck.matching.train [--folds 5] [--dry-run]

Uses the shared benchmark (titles corpus + messages).  Every figure it prints is
out-of-fold: the queries are split in ``folds`` groups, and each group is scored
by a model fitted on the others; the thresholds are chosen on those out-of-fold
scores.  The shipped model is then fitted on all queries.  Embeddings are cached
under ``var/matching-cache/`` so a re-run takes about a minute.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import datasets, learning
from .engine import QUERY_MAX_CHARS, Candidates, MatchingEngine
from .ranker import WEIGHTS_FILE, LogisticModel, fit_logistic
from .semantic import load_embedder
from .text import clean

CACHE = datasets.REPO_ROOT / "var" / "matching-cache" / "embeddings.npz"
L2 = 1.0
MATCH_PRECISION = 0.975
"""Target precision of ``match`` on held-out scores: 0.5 point above the 97%
product requirement, as a margin for the next year's messages."""
SUGGEST_FLOOR = 0.25
"""Below the suggest threshold, a right fact-check is among the top 5 for at
most this share of messages: not worth a fact-checker's look."""


@dataclass(slots=True)
class Collected:
    cands: list[Candidates]
    labels: list[np.ndarray]  # 1 where the candidate is a right answer
    queries: list[datasets.Query]


def build_engine(
    docs: Sequence[object], *, semantic: bool, embedder: object | None = None
) -> MatchingEngine:
    engine = MatchingEngine(
        semantic=semantic and embedder is not None,
        embedder=embedder if semantic else None,  # type: ignore[arg-type]
    )
    engine.add_or_update(docs)  # type: ignore[arg-type]
    return engine


def collect(
    engine: MatchingEngine,
    queries: Sequence[datasets.Query],
    vectors: np.ndarray | None,
) -> Collected:
    cands, labels = [], []
    for k, q in enumerate(queries):
        vec = vectors[k] if vectors is not None else None
        c = engine.candidates(q.text, query_vector=vec)
        cands.append(c)
        labels.append(np.array([i in q.right for i in c.ids], dtype=np.float64))
    return Collected(cands, labels, list(queries))


def fit(data: Collected, idx: Sequence[int], names: tuple[str, ...]) -> LogisticModel:
    x = np.concatenate([data.cands[i].features for i in idx if data.cands[i].ids])
    y = np.concatenate([data.labels[i] for i in idx if data.cands[i].ids])
    return fit_logistic(x, y, names, l2=L2)


def folds_of(n: int, folds: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.permutation(n) % folds


def cv_scores(
    data: Collected, names: tuple[str, ...], folds: int = 5
) -> tuple[list[np.ndarray], list[LogisticModel]]:
    """Out-of-fold probabilities per query, and the fold models."""
    assign = folds_of(len(data.cands), folds)
    probs: list[np.ndarray] = [np.zeros(0)] * len(data.cands)
    models = []
    for f in range(folds):
        train = [i for i in range(len(assign)) if assign[i] != f]
        model = fit(data, train, names)
        models.append(model)
        for i in np.where(assign == f)[0]:
            c = data.cands[i]
            probs[i] = model.predict(c.features) if c.ids else np.zeros(0)
    return probs, models


def ranked_ids(cands: Candidates, probs: np.ndarray, top: int = 10) -> list[str]:
    order = np.argsort(-probs, kind="stable")[:top]
    return [cands.ids[k] for k in order]


def retrieval_metrics(
    rankings: Sequence[Sequence[str]],
    queries: Sequence[datasets.Query],
    *,
    strict: bool,
) -> dict[str, float]:
    """R@1, R@5, R@10 and MAP@5 (one right answer per message, or the first of
    the twins when not strict)."""
    hits = {1: 0, 5: 0, 10: 0}
    ap = 0.0
    for ranking, q in zip(rankings, queries, strict=True):
        right = {q.expected} if strict else q.right
        rank = next((r for r, i in enumerate(ranking[:10]) if i in right), None)
        if rank is None:
            continue
        for k in hits:
            hits[k] += rank < k
        ap += 1.0 / (rank + 1) if rank < 5 else 0.0
    n = max(len(queries), 1)
    return {
        "R@1": hits[1] / n,
        "R@5": hits[5] / n,
        "R@10": hits[10] / n,
        "MAP@5": ap / n,
    }


def top_scores(
    data: Collected, probs: Sequence[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per query: best score, top-1 right (twins count), top-1 right strictly,
    a right one in the top 5."""
    p1, right1, strict1, in5 = [], [], [], []
    for c, p, q in zip(data.cands, probs, data.queries, strict=True):
        if not c.ids:
            p1.append(0.0)
            right1.append(False)
            strict1.append(False)
            in5.append(False)
            continue
        ranking = ranked_ids(c, p, 5)
        p1.append(float(p.max()))
        right1.append(ranking[0] in q.right)
        strict1.append(ranking[0] == q.expected)
        in5.append(any(i in q.right for i in ranking))
    return np.array(p1), np.array(right1), np.array(strict1), np.array(in5)


def choose_thresholds(
    p1: np.ndarray, right1: np.ndarray, in5: np.ndarray
) -> tuple[float, float]:
    """Lowest top score at which ``match`` stays at ``MATCH_PRECISION``, and the
    suggest threshold below which the candidates rarely help."""
    order = np.argsort(-p1)
    cum_right = np.cumsum(right1[order])
    counts = np.arange(1, len(order) + 1)
    precision = cum_right / counts
    # The largest set of top-scored messages that is still precise enough; a
    # minimum size keeps one lucky message from setting the threshold.
    ok = np.where((precision >= MATCH_PRECISION) & (counts >= 30))[0]
    match = float(p1[order][ok[-1]]) if len(ok) else 0.99
    asc = np.argsort(p1)
    cum5 = np.cumsum(in5[asc]) / np.arange(1, len(asc) + 1)
    below = np.where(cum5 <= SUGGEST_FLOOR)[0]
    suggest = float(p1[asc][below[-1]]) if len(below) else 0.05
    return round(match, 4), round(min(suggest, match), 4)


def choose_confidence(
    conf: np.ndarray, right1: np.ndarray, p1: np.ndarray, match: float
) -> float | None:
    """The ``confidence()`` threshold at which ``match`` stays at
    ``MATCH_PRECISION``, when deciding on it (the best score and its lead over
    the runner-up) covers more messages than the best score alone; else None."""
    sure = learning.match_threshold(conf, right1, MATCH_PRECISION, 30)
    if sure is None or (conf >= sure).sum() <= (p1 >= match).sum():
        return None
    return sure


def decision_report(
    p1: np.ndarray,
    right1: np.ndarray,
    strict1: np.ndarray,
    in5: np.ndarray,
    match: float,
    suggest: float,
    conf: np.ndarray | None = None,
    sure: float | None = None,
) -> dict[str, dict[str, float]]:
    """Coverage and precision of each decision; with ``sure``, ``match`` is
    decided on ``conf >= sure`` as the engine then does."""
    out: dict[str, dict[str, float]] = {}
    n = max(len(p1), 1)
    is_match = p1 >= match if sure is None or conf is None else conf >= sure
    is_suggest = (p1 >= suggest) & ~is_match
    is_none = ~(is_match | is_suggest)
    for name, mask in (("match", is_match), ("suggest", is_suggest), ("none", is_none)):
        k = int(mask.sum())
        out[name] = {
            "coverage": k / n,
            "top1_right": float(right1[mask].mean()) if k else float("nan"),
            "top1_right_strict": float(strict1[mask].mean()) if k else float("nan"),
            "right_in_top5": float(in5[mask].mean()) if k else float("nan"),
        }
    return out


def query_vectors(
    embedder: object | None, queries: Sequence[datasets.Query]
) -> np.ndarray | None:
    if embedder is None:
        return None
    texts = [clean(q.text[: QUERY_MAX_CHARS * 4]) for q in queries]
    return embedder.queries(texts)  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    parser.add_argument(
        "--lead",
        action="store_true",
        help="let 'match' be decided on the best score and its lead over the "
        "next when that covers more messages (calibrated on this benchmark's "
        "7,958 fact-checks; a deployment calibrates it on its own pairs with "
        "retrain_matcher)",
    )
    args = parser.parse_args(argv)
    if not datasets.available():
        print(f"shared data not found under {datasets.factchecks_dir()}")
        return 2
    bench = datasets.load_main()
    inner, reason = load_embedder()
    if inner is None:
        print(f"embedding model unavailable ({reason}): cannot train the full model")
        return 2
    embedder = datasets.CachingEmbedder(inner, CACHE)
    started = time.perf_counter()
    models: dict[str, dict[str, object]] = {}
    report: dict[str, object] = {}
    for kind, semantic in (("full", True), ("lexical", False)):
        engine = build_engine(bench.docs, semantic=semantic, embedder=embedder)
        vectors = query_vectors(embedder if semantic else None, bench.queries)
        embedder.flush()
        data = collect(engine, bench.queries, vectors)
        names = engine.candidates("x").feature_names
        probs, _ = cv_scores(data, names, args.folds)
        rankings = [ranked_ids(c, p) for c, p in zip(data.cands, probs, strict=True)]
        p1, right1, strict1, in5 = top_scores(data, probs)
        match, suggest = choose_thresholds(p1, right1, in5)
        conf = learning.top_confidence(probs)
        sure = choose_confidence(conf, right1, p1, match) if args.lead else None
        final = fit(data, range(len(data.cands)), names)
        final.match_threshold, final.suggest_threshold = match, suggest
        final.match_confidence = sure
        models[kind] = final.to_json()
        report[kind] = {
            "strict": retrieval_metrics(rankings, data.queries, strict=True),
            "twins": retrieval_metrics(rankings, data.queries, strict=False),
            "decisions": decision_report(
                p1, right1, strict1, in5, match, suggest, conf, sure
            ),
            "thresholds": {"match": match, "suggest": suggest, "confidence": sure},
        }
        print(kind, json.dumps(report[kind], indent=1))
    payload = {
        "about": "factcheck.matching re-ranker; written by factcheck/matching/train.py",
        "trained_on": f"{len(bench.queries)} messages, {len(bench.docs)} fact-checks",
        "trained_at": dt.date.today().isoformat(),
        "folds": args.folds,
        "l2": L2,
        "models": models,
        "cross_validated": report,
    }
    print(f"trained in {time.perf_counter() - started:.0f} s")
    if not args.dry_run:
        args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
