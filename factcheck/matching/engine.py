"""The claim-matching engine: lexical + semantic candidates, a learned re-ranker,
calibrated scores and a decision.

    engine = MatchingEngine(index_id="db-uuid")
    engine.add_or_update([FactCheckDoc(id="1", title="…"), …])
    matches = engine.search("Diteruskan: BLT 50 juta dari Jokowi …")
    engine.decide(matches)  # Decision.MATCH / SUGGEST / NONE
    engine.save(path); MatchingEngine.load(path, index_id="db-uuid")
"""

from __future__ import annotations

import json
import logging
import math
import mmap as _mmap
import shutil
import threading
import time
from collections.abc import Iterable, MutableMapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .lexical import FIELDS, LexicalIndex
from .overlay import Overlay
from .ranker import (
    FEATURES_FULL,
    FEATURES_LEXICAL,
    LogisticModel,
    confidence,
    load_models,
)
from .schema import Decision, FactCheckDoc, Match
from .semantic import Embedder, VectorIndex, load_embedder
from .text import Normalizer, clean

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
"""Bumped whenever the saved layout or the term pipeline changes: an index of
another version is refused (the caller rebuilds).  2: plain ``.npy`` arrays
(BM25 matrices included) that processes memory-map instead of rebuilding."""

QUERY_MAX_CHARS = 2000
"""Characters of a message read by the lexical stage.  Longer forwards are
mostly copies of the explanation or chatter; 2,000 keeps a debunk pasted after
the claim while bounding the cost of 20,000-character messages."""

FIELD_WEIGHTS = {"title": 1.0, "claim": 1.0, "explanation": 0.3, "conclusion": 0.5}
"""Weights of the per-field BM25 scores in the candidate score: a word shared
with the headline or the claim counts more than one shared with the body."""

CANDIDATES_LEXICAL = 40
CANDIDATES_CHARS = 15
CANDIDATES_SEMANTIC = 25
BATCH = 32
"""Messages embedded together by ``search_many``."""
QUOTE_MIN_WORDS = 5
"""A message quoting this many words of a title or claim in a row is a match."""
RARE_DF = 20
"""A term in at most this many titles counts as a name-like rare term."""


@dataclass(slots=True)
class Candidates:
    """Candidates for one message with their feature rows (for training and
    the bench; ``search`` wraps this)."""

    ids: list[str]
    features: np.ndarray  # (len(ids), len(feature_names))
    feature_names: tuple[str, ...]


class _DocStore(Overlay[FactCheckDoc]):
    """The fact-checks of an engine.  Those of a loaded index stay in the saved
    ``docs.jsonl`` (memory-mapped, a line parsed when asked for: only edits and
    saves read them); documents added or edited since are held here."""

    def __init__(self, path: Path | None = None, ids: Sequence[str] = ()) -> None:
        super().__init__(ids if path is not None else ())
        self._offsets = np.zeros(1, dtype=np.int64)
        self._text: _mmap.mmap | bytes = b""
        if path is not None:
            self._offsets = np.load(path / "docs_offsets.npy", mmap_mode="r")
            with (path / "docs.jsonl").open("rb") as fh:
                size = fh.seek(0, 2)
                # An empty file cannot be mapped; there is nothing to read anyway.
                if size:
                    self._text = _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_READ)
            if len(self._offsets) != len(ids) + 1:
                raise IndexMismatchError("index is damaged: documents and offsets")

    def _load(self, row: int) -> FactCheckDoc:
        line = self._text[int(self._offsets[row]) : int(self._offsets[row + 1])]
        return FactCheckDoc.from_json(json.loads(line))


class IndexMismatchError(ValueError):
    """The saved index belongs to another database or another format."""


class MatchingEngine:
    """Matches messages against fact-checks.  Thread-safe for concurrent
    ``search`` calls; writes (``add_or_update``/``remove``) take a lock.

    ``semantic`` False, or an embedding model that fails to load, gives a
    lexical-only engine: ``semantic_available`` is then False and
    ``semantic_reason`` says why.
    """

    def __init__(
        self,
        *,
        index_id: str = "",
        semantic: bool = True,
        embedder: Embedder | None = None,
        models: dict[str, LogisticModel] | None = None,
        normalizer: Normalizer | None = None,
    ) -> None:
        self.index_id = index_id
        self.normalizer = normalizer or Normalizer()
        self.lexical = LexicalIndex(self.normalizer)
        self.docs: MutableMapping[str, FactCheckDoc] = _DocStore()
        # _lock guards the indexes while they are read or swapped; _write_lock
        # serialises writers (tokenising and embedding happen outside _lock so
        # that searches go on meanwhile).
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self.semantic_reason = ""
        self.embedder: Embedder | None = None
        if embedder is not None:
            self.embedder = embedder
        elif semantic:
            self.embedder, self.semantic_reason = load_embedder()
        else:
            self.semantic_reason = "semantic matching switched off"
        self.vectors = VectorIndex(int(getattr(self.embedder, "dim", 384)))
        self.models = models if models is not None else load_models()

    # --- State ----------------------------------------------------------------

    @property
    def semantic_available(self) -> bool:
        return self.embedder is not None

    @property
    def model(self) -> LogisticModel:
        return self.models["full" if self.semantic_available else "lexical"]

    @property
    def match_threshold(self) -> float:
        return self.model.match_threshold

    @property
    def suggest_threshold(self) -> float:
        return self.model.suggest_threshold

    def __len__(self) -> int:
        return len(self.docs)

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self.docs

    def get(self, doc_id: str) -> FactCheckDoc | None:
        return self.docs.get(str(doc_id))

    # --- Writing --------------------------------------------------------------

    def add_or_update(self, docs: Iterable[FactCheckDoc]) -> int:
        """Add new fact-checks or replace edited ones; matchable on return.

        Unchanged documents (same title/claim/explanation/conclusion) are only
        refreshed (verdict, date); terms and embeddings are computed for new or
        changed ones only.  Returns how many were (re)indexed.
        """
        with self._write_lock:
            changed: dict[str, FactCheckDoc] = {}
            for doc in docs:
                old = self.docs.get(doc.id)
                if old is not None and old.fingerprint() == doc.fingerprint():
                    self.docs[doc.id] = doc
                    changed.pop(doc.id, None)
                else:
                    changed[doc.id] = doc
            if not changed:
                return 0
            batch = list(changed.values())
            terms = [(d, self.lexical.doc_terms(d)) for d in batch]
            vectors = None
            if self.embedder is not None:
                vectors = self._embed_passages(batch)
            with self._lock:
                self.lexical.upsert(terms)
                if vectors is not None:
                    self.vectors.upsert([d.id for d in batch], vectors)
                for doc in batch:
                    self.docs[doc.id] = doc
            return len(batch)

    def _embed_passages(self, docs: Sequence[FactCheckDoc]) -> np.ndarray:
        assert self.embedder is not None
        texts = [passage_text(d) for d in docs]
        out = np.zeros((len(texts), self.vectors.dim), dtype=np.float32)
        for start in range(0, len(texts), 64):
            out[start : start + 64] = self.embedder.passages(texts[start : start + 64])
        return out

    def remove(self, ids: Iterable[str]) -> int:
        """Forget fact-checks (unpublished or deleted).  Unknown ids are ignored."""
        wanted = [str(i) for i in ids]
        with self._write_lock, self._lock:
            gone = [i for i in wanted if self.docs.pop(i, None) is not None]
            self.lexical.remove(gone)
            self.vectors.remove(gone)
        return len(gone)

    # --- Reading --------------------------------------------------------------

    def candidates(
        self, text: object, *, query_vector: np.ndarray | None = None
    ) -> Candidates:
        """Candidate fact-checks for a message with the re-ranker's features."""
        names = FEATURES_FULL if self.semantic_available else FEATURES_LEXICAL
        empty = Candidates([], np.zeros((0, len(names))), names)
        if not self.docs:
            return empty
        raw = _as_text(text)[: QUERY_MAX_CHARS * 4]
        query = self.lexical.query_terms(raw, QUERY_MAX_CHARS)
        if not query.words and not query.grams:
            return empty  # nothing to match on: emoji, punctuation, garbage
        if self.embedder is not None and query_vector is None:
            query_vector = self.embedder.queries([clean(raw)])[0]
        with self._lock:
            return self._candidates(raw, query, query_vector, names)

    def _candidates(
        self,
        raw: str,
        query: Any,
        query_vector: np.ndarray | None,
        names: tuple[str, ...],
    ) -> Candidates:
        lex = self.lexical
        per_channel = lex.score(query)
        combined = sum(FIELD_WEIGHTS[f] * per_channel[f] for f in FIELDS)
        assert isinstance(combined, np.ndarray)
        slots: set[int] = set(_top(combined, CANDIDATES_LEXICAL))
        slots.update(_top(per_channel["chars"], CANDIDATES_CHARS))
        ids = [lex.slot_ids[s] for s in slots]
        cand = [i for i in ids if i is not None]

        cos_all: np.ndarray | None = None
        if self.semantic_available and query_vector is not None:
            cos_all = self.vectors.similarities(query_vector)
            for row in _top(cos_all, CANDIDATES_SEMANTIC):
                doc_id = self.vectors.ids[row]
                if doc_id is not None and doc_id not in cand:
                    cand.append(doc_id)
        if not cand:
            return Candidates([], np.zeros((0, len(names))), names)

        slot_of = lex.slot_of
        cslots = np.array([slot_of(i) for i in cand])
        lex_c = combined[cslots].astype(np.float64)
        title_c = per_channel["title"][cslots].astype(np.float64)
        chars_c = per_channel["chars"][cslots].astype(np.float64)
        feats: dict[str, np.ndarray] = {
            "lex_log": np.log1p(lex_c),
            "lex_rel": lex_c / max(lex_c.max(), 1e-6),
            "lex_rank": np.log1p(_ranks(lex_c)),
            "title_rel": title_c / max(title_c.max(), 1e-6),
            "chars_rel": chars_c / max(chars_c.max(), 1e-6),
        }
        overlap = self._overlap(query.words, cand)
        feats.update(overlap)
        feats["query_len"] = np.full(len(cand), math.log1p(len(set(query.words))))
        if cos_all is not None:
            rows = np.array([self.vectors.row_of.get(i, -1) for i in cand])
            cos = np.where(rows >= 0, cos_all[np.maximum(rows, 0)], 0.0)
            cos = cos.astype(np.float64)
            feats["cos"] = cos
            feats["cos_gap"] = cos - cos.max()
            feats["cos_rank"] = np.log1p(_ranks(cos))
        matrix = np.column_stack([feats[n] for n in names])
        return Candidates(cand, matrix, names)

    def _overlap(
        self, query_words: list[str], cand: list[str]
    ) -> dict[str, np.ndarray]:
        lex = self.lexical
        title = lex.channels["title"]
        qset = set(lex.words.lookup(query_words))
        q_ids = np.fromiter(qset, dtype=np.int64, count=len(qset))
        q_idf = float(title.idf_of(q_ids).sum()) or 1.0
        n = len(cand)
        out = {
            k: np.zeros(n)
            for k in ("cover_doc", "cover_query", "rare_shared", "num_hit", "num_miss")
        }
        numeric = lex.words.numeric
        for k, doc_id in enumerate(cand):
            terms = lex.terms[doc_id].channels
            dset = set(terms["title"].tolist()) | set(terms["claim"].tolist())
            if not dset:
                continue
            d_ids = np.fromiter(dset, dtype=np.int64, count=len(dset))
            d_idf = title.idf_of(d_ids)
            shared_mask = np.fromiter((t in qset for t in dset), bool, len(dset))
            s_idf = float(d_idf[shared_mask].sum())
            out["cover_doc"][k] = s_idf / (float(d_idf.sum()) or 1.0)
            out["cover_query"][k] = s_idf / q_idf
            # A term the main index has not seen yet is in a new fact-check only:
            # rare by definition.
            rare = int((title.df_of(d_ids[shared_mask]) <= RARE_DF).sum())
            out["rare_shared"][k] = math.log1p(rare)
            nums = dset & numeric
            if nums:
                hit = len(nums & qset)
                out["num_hit"][k] = hit / len(nums)
                out["num_miss"][k] = float(hit == 0)
        return out

    def prepare(self, texts: Sequence[object]) -> int:
        """Embed the messages ``search`` will be asked about, in one call: the
        model's batch call costs less per message than one call each, and an
        embedder that remembers (``matching_service``'s) then answers
        ``search`` from memory.  Returns how many texts were embedded."""
        if self.embedder is None:
            return 0
        queries = [clean(_as_text(t)[: QUERY_MAX_CHARS * 4]) for t in texts]
        unique = [q for q in dict.fromkeys(queries) if q]
        if unique:
            self.embedder.queries(unique)
        return len(unique)

    def search(
        self, text: object, top: int = 10, *, with_features: bool = False
    ) -> list[Match]:
        """Ranked fact-checks for a message, best first; ``score`` is the
        calibrated probability that the fact-check answers it.  Empty, blank,
        emoji-only or garbage input gives ``[]``."""
        return self._rank(self.candidates(text), top, with_features)

    def search_many(
        self, texts: Sequence[object], top: int = 10, *, with_features: bool = False
    ) -> list[list[Match]]:
        """``search`` for many messages, results in input order.

        Messages are embedded in chunks on a helper thread while the lexical
        stage and the re-ranker work on the previous chunk (the embedding runs
        in C without the GIL, so the two stages use two cores)."""
        raw = [_as_text(t)[: QUERY_MAX_CHARS * 4] for t in texts]
        chunks = [raw[i : i + BATCH] for i in range(0, len(raw), BATCH)]
        out: list[list[Match]] = []
        embedder = self.embedder
        if embedder is None:
            for text in raw:
                out.append(self._rank(self.candidates(text), top, with_features))
            return out

        def embed(chunk: list[str]) -> np.ndarray:
            return embedder.queries([clean(t) for t in chunk])

        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(embed, chunks[0]) if chunks else None
            for k, chunk in enumerate(chunks):
                assert pending is not None
                vectors = pending.result()
                if k + 1 < len(chunks):
                    pending = pool.submit(embed, chunks[k + 1])
                for text, vec in zip(chunk, vectors, strict=True):
                    cands = self.candidates(text, query_vector=vec)
                    out.append(self._rank(cands, top, with_features))
        return out

    def match_batch(
        self, items: Iterable[tuple[str, object]], top: int = 10
    ) -> list[tuple[str, list[Match], Decision]]:
        """For ``match_claims``: ``(id, text)`` pairs in, ``(id, matches,
        decision)`` out, in input order."""
        pairs = list(items)
        results = self.search_many([t for _, t in pairs], top=top)
        return [
            (key, matches, self.decide(matches, text))
            for (key, text), matches in zip(pairs, results, strict=True)
        ]

    def _rank(self, cands: Candidates, top: int, with_features: bool) -> list[Match]:
        if not cands.ids:
            return []
        probs = self.model.predict(cands.features)
        order = np.argsort(-probs, kind="stable")[: max(top, 0)]
        out = []
        for k in order:
            feats = (
                dict(zip(cands.feature_names, cands.features[k].tolist(), strict=True))
                if with_features
                else {}
            )
            out.append(Match(cands.ids[k], float(probs[k]), feats))
        return out

    def decide(self, matches: Sequence[Match], text: object = None) -> Decision:
        """``match`` when the top score reaches the match threshold, ``suggest``
        when it reaches the suggest threshold, else ``none``.

        Given the message, ``match`` also when it quotes the top fact-check's
        title or claim word for word (see ``quotes``)."""
        if not matches:
            return Decision.NONE
        if text is not None:
            top = max(matches, key=lambda m: m.score)
            if self.quotes(text, top.id):
                return Decision.MATCH
        scores = sorted((m.score for m in matches), reverse=True)
        best = scores[0]
        sure = self.model.match_confidence
        if sure is not None:
            # Re-trained thresholds: the lead over the runner-up counts too
            # (with a single match given, it has no known rival).
            second = scores[1] if len(scores) > 1 else 0.0
            if confidence(best, second) >= sure:
                return Decision.MATCH
        elif best >= self.match_threshold:
            return Decision.MATCH
        if best >= self.suggest_threshold:
            return Decision.SUGGEST
        return Decision.NONE

    def quotes(self, text: object, doc_id: str) -> bool:
        """Whether the message holds the fact-check's title or claim word for
        word (normalised words, at least ``QUOTE_MIN_WORDS`` of them). Hoaxes
        travel with the headline that fact-checkers then quote: on the shared
        benchmark's 3,722 messages, 30% quote a title or claim of the corpus,
        and the one they quote is the right fact-check for 98.9% of them."""
        doc = self.get(doc_id)
        if doc is None:
            return False
        words = self.normalizer.words
        message = " " + " ".join(words(text)) + " "
        for phrase in (doc.title, doc.claim):
            quoted = words(phrase)
            if len(quoted) >= QUOTE_MIN_WORDS and f" {' '.join(quoted)} " in message:
                return True
        return False

    # --- Persistence ----------------------------------------------------------

    def save(self, directory: str | Path) -> Path:
        """Write the index under ``directory`` (created; its previous content
        replaced).  Holds a manifest with the format version and ``index_id``."""
        path = Path(directory)
        with self._write_lock, self._lock:
            if path.exists():
                shutil.rmtree(path)
            path.mkdir(parents=True)
            self.lexical.save(path)
            if self.semantic_available:
                self.vectors.save(path)
            offsets = [0]
            with (path / "docs.jsonl").open("wb") as fh:
                for doc in self.docs.values():
                    line = json.dumps(doc.to_json(), ensure_ascii=False) + "\n"
                    offsets.append(offsets[-1] + fh.write(line.encode("utf-8")))
            np.save(path / "docs_offsets.npy", np.asarray(offsets, dtype=np.int64))
            (path / "docs.json").write_text(json.dumps(list(self.docs)))
            manifest = {
                "format_version": FORMAT_VERSION,
                "index_id": self.index_id,
                "documents": len(self.docs),
                "semantic": self.semantic_available,
                "embedding_model": getattr(self.embedder, "name", ""),
                "saved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
            (path / "manifest.json").write_text(json.dumps(manifest, indent=2))
        return path

    @classmethod
    def load(
        cls,
        directory: str | Path,
        *,
        index_id: str | None = None,
        semantic: bool = True,
        embedder: Embedder | None = None,
        mmap: bool = True,
    ) -> MatchingEngine:
        """Open a saved index.  ``index_id``, when given, must equal the saved
        one (two databases never share an index); a wrong format version raises
        ``IndexMismatchError``.  Embeddings missing from the saved index (saved
        lexical-only, or by another embedding model) are computed now.

        With ``mmap`` the arrays and documents are mapped from the files rather
        than read: every process on the machine that opens the same saved index
        shares one copy in the page cache.  Without, each holds its own."""
        path = Path(directory)
        manifest = json.loads((path / "manifest.json").read_text())
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexMismatchError(
                f"index format {manifest.get('format_version')} != {FORMAT_VERSION}"
            )
        if index_id is not None and manifest.get("index_id") != index_id:
            raise IndexMismatchError(
                f"index belongs to {manifest.get('index_id')!r}, not {index_id!r}"
            )
        engine = cls(
            index_id=manifest.get("index_id", ""), semantic=semantic, embedder=embedder
        )
        ids = json.loads((path / "docs.json").read_text(encoding="utf-8"))
        store = _DocStore(path, ids)
        engine.docs = store if mmap else {i: store[i] for i in store}
        try:
            engine.lexical = LexicalIndex.load(path, engine.normalizer, mmap=mmap)
        except (OSError, ValueError, KeyError) as exc:
            raise IndexMismatchError(f"index is damaged: {exc}") from exc
        if len(engine.lexical.terms) != len(ids) or any(
            i not in engine.lexical.terms for i in ids[:: max(1, len(ids) // 100)]
        ):
            raise IndexMismatchError("index is damaged: documents and terms disagree")
        if engine.semantic_available:
            same_model = manifest.get("embedding_model") == getattr(
                engine.embedder, "name", None
            )
            if same_model and (path / "vectors.npy").exists():
                engine.vectors = VectorIndex.load(path, mmap=mmap)
            missing = [engine.docs[i] for i in ids if i not in engine.vectors]
            if missing:
                engine.vectors.upsert(
                    [d.id for d in missing], engine._embed_passages(missing)
                )
        return engine

    def status(self) -> dict[str, Any]:
        return {
            "documents": len(self.docs),
            "semantic_available": self.semantic_available,
            "semantic_reason": self.semantic_reason,
            "index_id": self.index_id,
            "format_version": FORMAT_VERSION,
        }


def passage_text(doc: FactCheckDoc) -> str:
    """What the embedding reads of a fact-check: headline and claim first."""
    parts = [doc.title, doc.claim, doc.conclusion, doc.explanation]
    return ". ".join(p.strip() for p in parts if p and p.strip())


def _as_text(text: object) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, bytes | bytearray):
        return bytes(text).decode("utf-8", errors="replace")
    return "" if text is None else str(text)


def _top(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the k best positive scores."""
    n = len(scores)
    if n == 0 or k <= 0:
        return []
    k = min(k, n)
    idx = np.argpartition(-scores, k - 1)[:k]
    return [int(i) for i in idx if scores[i] > 0]


def _ranks(values: np.ndarray) -> np.ndarray:
    """0 for the best value, 1 for the next, … (ties share the better rank)."""
    sorted_desc = -np.sort(-values)
    return np.searchsorted(-sorted_desc, -values, side="left").astype(np.float64)


def new_engine(*, semantic: bool = True, index_id: str = "") -> MatchingEngine:
    """An empty engine (the Django adapter's entry point)."""
    return MatchingEngine(index_id=index_id, semantic=semantic)


def load_engine(
    directory: str | Path,
    *,
    semantic: bool = True,
    index_id: str | None = None,
    mmap: bool = True,
) -> MatchingEngine:
    """``MatchingEngine.load`` (the Django adapter's entry point)."""
    return MatchingEngine.load(
        directory, index_id=index_id, semantic=semantic, mmap=mmap
    )
