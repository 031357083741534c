"""Readers for the shared fact-check benchmark (tests, training and the bench
script only; nothing here ships data).

The folder is ``$SIMPUL_SHARED_DATA`` or ``<repo root>/../shared/data``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .schema import FactCheckDoc

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    return Path(
        os.environ.get("SIMPUL_SHARED_DATA", REPO_ROOT.parent / "shared" / "data")
    )


def factchecks_dir() -> Path:
    return shared_data_dir() / "factchecks"


def available() -> bool:
    folder = factchecks_dir()
    return (folder / "corpus_2024.jsonl").exists() and (
        folder / "queries_2024.jsonl"
    ).exists()


@dataclass(slots=True)
class Query:
    id: str
    text: str
    expected: str
    right: frozenset[str]  # expected + its twins


@dataclass(slots=True)
class Benchmark:
    name: str
    docs: list[FactCheckDoc]
    queries: list[Query]
    notes: dict[str, str] = field(default_factory=dict)


def _jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_twins() -> dict[str, list[str]]:
    path = factchecks_dir() / "twins_2024.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def load_main() -> Benchmark:
    """corpus_2024 (titles only) and queries_2024."""
    folder = factchecks_dir()
    twins = load_twins()
    docs = [
        FactCheckDoc(
            id=str(row["external_id"]),
            title=str(row["title"]),
            verdict=str(row.get("verdict", "")),
            published=row.get("published"),  # type: ignore[arg-type]
            source=str(row.get("source", "")),
            url=str(row.get("url", "")),
        )
        for row in _jsonl(folder / "corpus_2024.jsonl")
    ]
    queries = [
        Query(
            str(row["id"]),
            str(row["text"]),
            str(row["expected"]),
            frozenset([str(row["expected"]), *twins.get(str(row["expected"]), [])]),
        )
        for row in _jsonl(folder / "queries_2024.jsonl")
    ]
    return Benchmark("titles (corpus_2024)", docs, queries)


_EXPLANATION = re.compile(r"\bPENJELASAN\b\s*:?", re.IGNORECASE)


def load_long_text() -> Benchmark:
    """Fact-checks with bodies, messages without the debunk.

    From the turnbackhoax rows whose circulating text carries the debunk
    ("… PENJELASAN: …"): the part after the marker becomes the fact-check's
    explanation, the part before it the message.  Komdigi fact-checks get their
    (already stemmed) body as explanation.  The other documents of corpus_2024
    stay as distractors with titles only.
    """
    folder = factchecks_dir()
    main = load_main()
    csv.field_size_limit(sys.maxsize)
    bodies: dict[str, str] = {}
    messages: dict[str, str] = {}
    for path in sorted(folder.glob("tbh2024_alharkan7_*_hoax_text.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                text = row.get("HOAX_TEXT") or ""
                parts = _EXPLANATION.split(text, maxsplit=1)
                if len(parts) == 2 and len(parts[0].strip()) >= 20:
                    doc_id = f"tbh-{row['ID']}"
                    messages[doc_id] = parts[0].strip()
                    bodies[doc_id] = parts[1].strip()
    komdigi = folder / "komdigi_hoaks_clean_rendiekan.csv"
    if komdigi.exists():
        with komdigi.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                bodies.setdefault(f"komdigi-{row['id']}", row.get("stemmed_body") or "")
    docs = []
    for doc in main.docs:
        body = bodies.get(doc.id, "")
        docs.append(
            FactCheckDoc(
                id=doc.id,
                title=doc.title,
                explanation=body,
                verdict=doc.verdict,
                published=doc.published,
                source=doc.source,
            )
        )
    queries = [
        Query(f"long-{q.expected}", messages[q.expected], q.expected, q.right)
        for q in main.queries
        if q.expected in messages
    ]
    return Benchmark("long text (explanations in the fact-checks)", docs, queries)


class CachingEmbedder:
    """Wraps an embedder with an on-disk cache keyed by (kind, text), so that
    training and the bench do not embed the same texts twice."""

    def __init__(self, inner: object, path: Path) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "embedder")
        self.dim = int(getattr(inner, "dim", 384))
        self.path = path
        self.cache: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path) as data:
                keys = data["keys"].tolist()
                self.cache = dict(zip(keys, data["vectors"], strict=True))
        self.dirty = False

    @staticmethod
    def key(kind: str, text: str) -> str:
        """Cache key; it holds the truncation length so that changing
        ``QUERY_CHARS``/``PASSAGE_CHARS`` never reuses stale vectors."""
        from . import semantic

        limit = semantic.QUERY_CHARS if kind == "q" else semantic.PASSAGE_CHARS
        raw = f"{kind}{limit}\0{text}".encode()
        return hashlib.sha1(raw, usedforsecurity=False).hexdigest()

    def _get(self, texts: Sequence[str], kind: str) -> np.ndarray:
        keys = [self.key(kind, t) for t in texts]
        missing = sorted(
            {
                k: t for k, t in zip(keys, texts, strict=True) if k not in self.cache
            }.items()
        )
        if missing:
            method = getattr(self.inner, "queries" if kind == "q" else "passages")
            for start in range(0, len(missing), 64):
                chunk = missing[start : start + 64]
                vectors = method([t for _, t in chunk])
                for (k, _), v in zip(chunk, vectors, strict=True):
                    self.cache[k] = np.asarray(v, dtype=np.float32)
            self.dirty = True
        return (
            np.stack([self.cache[k] for k in keys]) if keys else np.zeros((0, self.dim))
        )

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._get(texts, "q")

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._get(texts, "p")

    def flush(self) -> None:
        if self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = list(self.cache)
            np.savez(
                self.path,
                keys=np.asarray(keys),
                vectors=np.stack([self.cache[k] for k in keys]),
            )
            self.dirty = False
