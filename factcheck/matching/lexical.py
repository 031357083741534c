"""The lexical stage: BM25 (``bm25s``) per field of a fact-check, plus a BM25 over
character 4-grams of the title and claim words that forgives typos and joined
words ("Tunaskarya", "pegadian").

Incremental updates: a *main* ``bm25s`` index is built over a snapshot of the
documents; documents added or edited since then live in a small *delta* that is
scored with the main index's statistics (IDF, average length), so their scores
are comparable with the main ones.  Removed or edited documents are masked out of
the main index.  When the delta outgrows ``max(MERGE_MIN, MERGE_FRACTION * main)``
the main index is rebuilt from the stored term ids (no re-tokenising).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import bm25s
import numpy as np
import scipy.sparse as sp

from .overlay import Overlay
from .schema import FactCheckDoc
from .text import Normalizer

FIELDS: tuple[str, ...] = ("title", "claim", "explanation", "conclusion")
CHARS = "chars"
CHANNELS: tuple[str, ...] = (*FIELDS, CHARS)

# Long bodies are cut: the claim is stated early, and the cap keeps a 100,000
# document index within memory.
FIELD_CAPS = {"title": 64, "claim": 128, "explanation": 300, "conclusion": 128}
CHAR_N = 4
K1 = 1.5
B = 0.75
MERGE_MIN = 256
MERGE_FRACTION = 0.02
SMALL_INDEX = 2000
"""Up to this many fact-checks every change rebuilds the main index (a few tens
of milliseconds), so small collections always have exact statistics."""


def char_grams(
    words: Iterable[str], stop: frozenset[str], n: int = CHAR_N
) -> list[str]:
    """Character n-grams of the content words, with word-boundary marks."""
    out: list[str] = []
    for word in words:
        if word[0].isdigit():
            out.append(word)
            continue
        if len(word) < 2 or word in stop:
            continue
        marked = f"#{word}#"
        if len(marked) <= n:
            out.append(marked)
        else:
            out.extend(marked[i : i + n] for i in range(len(marked) - n + 1))
    return out


@dataclass(slots=True)
class DocTerms:
    """Term ids of one document, per channel."""

    channels: dict[str, np.ndarray]


@dataclass(slots=True)
class QueryTerms:
    words: list[str]
    grams: list[str]


class _TermStore(Overlay[DocTerms]):
    """Term ids per document.  Those of a loaded index stay in its (memory-mapped)
    flat arrays and are sliced on demand; documents added or edited since are
    held here.  Holding 100,000 documents as 500,000 small numpy arrays cost
    tens of megabytes per process."""

    def __init__(
        self,
        base_ids: Sequence[str] = (),
        arrays: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
    ) -> None:
        super().__init__(base_ids)
        self._arrays = arrays or {}

    def _load(self, row: int) -> DocTerms:
        return DocTerms(
            {
                name: flat[offsets[row] : offsets[row + 1]]
                for name, (offsets, flat) in self._arrays.items()
            }
        )


class _Vocab:
    def __init__(self, terms: Sequence[str] = ()) -> None:
        self.ids: dict[str, int] = {t: i for i, t in enumerate(terms)}
        self.numeric: set[int] = {i for t, i in self.ids.items() if t[:1].isdigit()}

    def add(self, terms: Iterable[str]) -> np.ndarray:
        ids = self.ids
        out: list[int] = []
        for t in terms:
            i = ids.get(t)
            if i is None:
                i = ids[t] = len(ids)
                if t[:1].isdigit():
                    self.numeric.add(i)
            out.append(i)
        return np.asarray(out, dtype=np.int32)

    def lookup(self, terms: Iterable[str]) -> list[int]:
        ids = self.ids
        return [ids[t] for t in terms if t in ids]

    def __len__(self) -> int:
        return len(self.ids)


class _Channel:
    """BM25 for one channel: a ``bm25s`` main index plus delta scoring."""

    def __init__(self) -> None:
        self.main: bm25s.BM25 | None = None
        self.n_vocab = 0  # vocabulary size when main was built
        self.idf = np.zeros(0, dtype=np.float32)
        self.df = np.zeros(0, dtype=np.int64)
        self.n_docs = 0
        self.avgdl = 1.0
        self.delta_matrix: sp.csr_matrix | None = None
        self._empty_rows = 0

    def arrays(self) -> dict[str, np.ndarray]:
        """What ``restore`` needs, for saving."""
        out: dict[str, np.ndarray] = {"idf": self.idf, "df": self.df}
        if self.main is not None:
            for key in ("data", "indices", "indptr"):
                out[key] = np.asarray(self.main.scores[key])
        return out

    def meta(self) -> dict[str, float | int]:
        return {
            "n_vocab": self.n_vocab,
            "n_docs": self.n_docs,
            "avgdl": self.avgdl,
            "empty_rows": self._empty_rows,
            "num_docs": self.main.scores["num_docs"] if self.main is not None else 0,
        }

    def restore(self, meta: dict[str, float], arrays: dict[str, np.ndarray]) -> None:
        """The main index as saved, without indexing again: the arrays may be
        memory-mapped (read only) and shared by every process that opens them."""
        self.n_vocab = int(meta["n_vocab"])
        self.n_docs = int(meta["n_docs"])
        self.avgdl = float(meta["avgdl"])
        self._empty_rows = int(meta["empty_rows"])
        self.idf, self.df = arrays["idf"], arrays["df"]
        self.main = None
        if "data" in arrays:
            retriever = bm25s.BM25(k1=K1, b=B, method="lucene")
            retriever.scores = {
                "data": arrays["data"],
                "indices": arrays["indices"],
                "indptr": arrays["indptr"],
                "num_docs": int(meta["num_docs"]),
            }
            # Set by ``index`` for the methods that need it; lucene does not.
            retriever.nonoccurrence_array = None
            self.main = retriever

    def build(self, docs: Sequence[np.ndarray], n_vocab: int) -> None:
        self.n_vocab = n_vocab
        self.n_docs = len(docs)
        lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        self.avgdl = float(lengths.mean()) if len(docs) and lengths.sum() else 1.0
        df = np.zeros(n_vocab, dtype=np.int64)
        for d in docs:
            if len(d):
                df[np.unique(d)] += 1
        n = max(self.n_docs, 1)
        self.df = df
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.main = None
        if not docs or not lengths.sum():
            # An empty channel (no fact-check has a claim yet): nothing to score,
            # but rows still count so that the delta slots line up.
            self._empty_rows = len(docs)
            return
        self._empty_rows = 0
        retriever = bm25s.BM25(k1=K1, b=B, method="lucene")
        identity = {str(i): i for i in range(n_vocab)}
        retriever.index(
            ([d.tolist() for d in docs], identity),
            create_empty_token=False,
            show_progress=False,
        )
        self.main = retriever

    def df_of(self, ids: np.ndarray) -> np.ndarray:
        """Document frequency in the main index (0 for terms it never saw)."""
        out = np.zeros(len(ids), dtype=np.int64)
        known = ids < len(self.df)
        out[known] = self.df[ids[known]]
        return out

    def idf_of(self, ids: np.ndarray) -> np.ndarray:
        """IDF from the main statistics; a term the main index never saw gets the
        IDF of a term in no document."""
        n = max(self.n_docs, 1)
        unseen = np.float32(math.log1p((n + 0.5) / 0.5))
        out = np.full(len(ids), unseen, dtype=np.float32)
        known = ids < len(self.idf)
        out[known] = self.idf[ids[known]]
        out[known & (out == 0)] = unseen
        return out

    def set_delta(self, docs: Sequence[np.ndarray], n_vocab: int) -> None:
        if not docs:
            self.delta_matrix = None
            return
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        for r, d in enumerate(docs):
            if not len(d):
                continue
            terms, tf = np.unique(d, return_counts=True)
            norm = K1 * (1 - B + B * len(d) / self.avgdl)
            vals.append(self.idf_of(terms) * tf / (tf + norm))
            cols.append(terms)
            rows.append(np.full(len(terms), r))
        if not rows:
            self.delta_matrix = sp.csr_matrix((len(docs), n_vocab), dtype=np.float32)
            return
        self.delta_matrix = sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(len(docs), n_vocab),
            dtype=np.float32,
        )

    def score(self, query_ids: np.ndarray, n_delta: int) -> np.ndarray:
        """Scores of main rows followed by delta rows."""
        n_main = (
            self.main.scores["num_docs"] if self.main is not None else self._empty_rows
        )
        out = np.zeros(n_main + n_delta, dtype=np.float32)
        if len(query_ids) == 0:
            return out
        if self.main is not None:
            ids = query_ids[query_ids < self.n_vocab]
            if len(ids):
                out[:n_main] = self.main.get_scores_from_ids(ids.tolist())
        if n_delta and self.delta_matrix is not None:
            dm = self.delta_matrix
            ids = query_ids[query_ids < dm.shape[1]]
            if len(ids):
                out[n_main:] = np.asarray(dm[:, ids].sum(axis=1)).ravel()
        return out


class LexicalIndex:
    """Per-field BM25 over fact-checks with cheap incremental updates.

    Scores come back over *slots*: the main rows, then the delta documents;
    ``slot_ids`` says which fact-check each slot holds (``None`` for a masked
    row).
    """

    def __init__(self, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self.words = _Vocab()
        self.grams = _Vocab()
        self.terms: MutableMapping[str, DocTerms] = _TermStore()
        self.channels: dict[str, _Channel] = {c: _Channel() for c in CHANNELS}
        self.main_ids: list[str | None] = []
        self.delta_ids: list[str] = []
        self._stale_main = 0
        self._refresh_delta()

    # --- Building -------------------------------------------------------------

    def doc_terms(self, doc: FactCheckDoc) -> DocTerms:
        norm = self.normalizer
        channels: dict[str, np.ndarray] = {}
        for name in FIELDS:
            text = getattr(doc, name)
            tokens = norm.tokens(text)[: FIELD_CAPS[name]] if text else []
            channels[name] = self.words.add(tokens)
        words = norm.words(f"{doc.title} {doc.claim}")
        channels[CHARS] = self.grams.add(char_grams(words, norm.stop_words))
        return DocTerms(channels)

    def query_terms(self, text: str, max_chars: int) -> QueryTerms:
        norm = self.normalizer
        words = norm.words(text, max_chars=max_chars)
        stems = norm.tokens(" ".join(words))
        return QueryTerms(stems, char_grams(words, norm.stop_words))

    def upsert(self, docs: Sequence[tuple[FactCheckDoc, DocTerms]]) -> None:
        for doc, terms in docs:
            if doc.id in self.terms:
                self._mask(doc.id)
            self.terms[doc.id] = terms
            self.delta_ids.append(doc.id)
        self._after_change()

    def remove(self, ids: Iterable[str]) -> int:
        removed = 0
        for doc_id in ids:
            if doc_id in self.terms:
                self._mask(doc_id)
                del self.terms[doc_id]
                removed += 1
        self._after_change()
        return removed

    def _mask(self, doc_id: str) -> None:
        if doc_id in self.delta_ids:
            self.delta_ids.remove(doc_id)
            return
        row = self._main_row.get(doc_id)
        if row is not None:
            self.main_ids[row] = None
            del self._main_row[doc_id]
            self._stale_main += 1

    def _after_change(self) -> None:
        pending = len(self.delta_ids) + self._stale_main
        limit = max(MERGE_MIN, MERGE_FRACTION * len(self.main_ids))
        if pending > limit or (pending and len(self.terms) <= SMALL_INDEX):
            self.rebuild()
        else:
            self._refresh_delta()

    def rebuild(self) -> None:
        """Fold the delta into a fresh main index."""
        live = list(self.terms)
        self.main_ids = list(live)
        self.delta_ids = []
        self._stale_main = 0
        for name, channel in self.channels.items():
            vocab = self.grams if name == CHARS else self.words
            channel.build([self.terms[i].channels[name] for i in live], len(vocab))
        self._refresh_delta()

    def slot_of(self, doc_id: str) -> int:
        row = self._main_row.get(doc_id)
        return row if row is not None else self._delta_slot[doc_id]

    def _refresh_delta(self) -> None:
        self._main_row = {d: r for r, d in enumerate(self.main_ids) if d is not None}
        n_main = len(self.main_ids)
        self._delta_slot = {d: n_main + k for k, d in enumerate(self.delta_ids)}
        for name, channel in self.channels.items():
            vocab = self.grams if name == CHARS else self.words
            docs = [self.terms[i].channels[name] for i in self.delta_ids]
            channel.set_delta(docs, len(vocab))
        self.slot_ids: list[str | None] = [*self.main_ids, *self.delta_ids]
        self.live = np.array([i is not None for i in self.slot_ids], dtype=bool)

    # --- Scoring --------------------------------------------------------------

    def score(self, query: QueryTerms) -> dict[str, np.ndarray]:
        """BM25 per channel over all slots (masked slots score 0).  Query terms
        count once: a long message repeating a word is not more about it."""
        word_ids = np.unique(np.asarray(self.words.lookup(query.words), np.int32))
        gram_ids = np.unique(np.asarray(self.grams.lookup(query.grams), np.int32))
        n_delta = len(self.delta_ids)
        out: dict[str, np.ndarray] = {}
        for name, channel in self.channels.items():
            ids = gram_ids if name == CHARS else word_ids
            scores = channel.score(ids, n_delta)
            scores[~self.live] = 0.0
            out[name] = scores
        return out

    def idf(self, terms: Sequence[str]) -> dict[str, float]:
        """IDF of words in the title channel (for overlap features)."""
        channel = self.channels["title"]
        known = [t for t in terms if t in self.words.ids]
        ids = np.asarray([self.words.ids[t] for t in known], dtype=np.int64)
        values = channel.idf_of(ids) if len(ids) else np.zeros(0, np.float32)
        out = dict(zip(known, values.tolist(), strict=True))
        unseen = math.log1p((max(channel.n_docs, 1) + 0.5) / 0.5)
        for t in terms:
            out.setdefault(t, unseen)
        return out

    def __len__(self) -> int:
        return len(self.terms)

    # --- Persistence ----------------------------------------------------------

    def save(self, directory: Path) -> None:
        """Term ids, vocabularies and the main BM25 matrices as plain ``.npy``
        files that ``load`` can memory-map; the delta is re-scored on load."""
        directory.mkdir(parents=True, exist_ok=True)
        ids = list(self.terms)
        for name in CHANNELS:
            docs = [self.terms[i].channels[name] for i in ids]
            lengths = np.fromiter(
                (len(d) for d in docs), dtype=np.int64, count=len(docs)
            )
            np.save(
                directory / f"terms_{name}_offsets.npy",
                np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            )
            np.save(
                directory / f"terms_{name}_ids.npy",
                np.concatenate(docs).astype(np.int32)
                if docs
                else np.zeros(0, np.int32),
            )
            for key, array in self.channels[name].arrays().items():
                np.save(directory / f"bm25_{name}_{key}.npy", np.asarray(array))
        (directory / "lexical.json").write_text(
            json.dumps(
                {
                    "ids": ids,
                    "main_ids": self.main_ids,
                    "delta_ids": self.delta_ids,
                    "stale_main": self._stale_main,
                    "channels": {n: c.meta() for n, c in self.channels.items()},
                    "words": list(self.words.ids),
                    "grams": list(self.grams.ids),
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )

    @classmethod
    def load(
        cls, directory: Path, normalizer: Normalizer, *, mmap: bool = True
    ) -> LexicalIndex:
        """The index as saved.  With ``mmap`` the arrays stay in the files, read
        only, and the operating system shares their pages between processes."""
        mode: Literal["r"] | None = "r" if mmap else None

        def array(name: str) -> np.ndarray:
            return np.load(directory / f"{name}.npy", mmap_mode=mode)

        meta = json.loads((directory / "lexical.json").read_text(encoding="utf-8"))
        index = cls(normalizer)
        index.words = _Vocab(meta["words"])
        index.grams = _Vocab(meta["grams"])
        index.terms = _TermStore(
            meta["ids"],
            {
                name: (array(f"terms_{name}_offsets"), array(f"terms_{name}_ids"))
                for name in CHANNELS
            },
        )
        for name, channel in index.channels.items():
            keys = ["idf", "df"]
            if (directory / f"bm25_{name}_data.npy").exists():
                keys += ["data", "indices", "indptr"]
            channel.restore(
                meta["channels"][name],
                {key: array(f"bm25_{name}_{key}") for key in keys},
            )
        index.main_ids = list(meta["main_ids"])
        index.delta_ids = list(meta["delta_ids"])
        index._stale_main = int(meta["stale_main"])
        live = {d for d in index.main_ids if d is not None} | set(index.delta_ids)
        if len(live) != len(index.terms):
            raise ValueError("lexical index is damaged: slots and terms disagree")
        index._refresh_delta()
        return index
