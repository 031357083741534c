"""Checks on the shared benchmark (skipped where the data folder is absent).

Kept small (lexical engine, a slice of the messages) so that the suite stays
fast; the full figures come from ``bench/claim_matching_engine.py``.
"""

from __future__ import annotations

import re

import pytest

from factcheck.matching import MatchingEngine, datasets, train


@pytest.fixture(scope="module")
def bench() -> datasets.Benchmark:
    if not datasets.available():
        pytest.skip(
            f"shared fact-check data not found under {datasets.factchecks_dir()}"
            " (set SIMPUL_SHARED_DATA)"
        )
    return datasets.load_main()


def test_long_text_set_is_built(bench: datasets.Benchmark) -> None:
    long = datasets.load_long_text()
    assert len(long.queries) > 300
    with_body = [d for d in long.docs if d.explanation]
    assert len(with_body) > 1000
    # the message part never carries the debunk
    marker = re.compile(r"\bPENJELASAN\b", re.IGNORECASE)
    assert not any(marker.search(q.text) for q in long.queries)


def test_lexical_engine_on_a_slice(bench: datasets.Benchmark) -> None:
    engine = MatchingEngine(semantic=False)
    engine.add_or_update(bench.docs)
    queries = bench.queries[::12]  # about 310 messages spread over the year
    rankings = [
        [m.id for m in ms] for ms in engine.search_many([q.text for q in queries])
    ]
    metrics = train.retrieval_metrics(rankings, queries, strict=False)
    # The plain-BM25 baseline is ~0.87 R@10 on the whole set.
    assert metrics["R@10"] >= 0.85, metrics
    decided = [
        engine.decide(ms) for ms in engine.search_many([q.text for q in queries])
    ]
    matched = [
        r[0] in q.right
        for r, q, d in zip(rankings, queries, decided, strict=True)
        if d == "match"
    ]
    if len(matched) >= 30:
        assert sum(matched) / len(matched) >= 0.9
