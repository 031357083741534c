"""The one place where Django meets the claim-matching engine (``factcheck.matching``).

- Documents are built from published ``FactCheck`` rows (id = the row's pk).
- Each process keeps one engine, loaded from
  ``FACTCHECK_INDEX_DIR/<database id>/`` where the database id is a UUID kept in
  the database (``MatchingIndexState``): a data folder that ends up next to
  another database never serves that database's fact-checks.
- Every change of fact-checks bumps the state's ``generation`` and records which
  fact-checks changed (``IndexChange``) in the writer's transaction; after the
  commit the writing process applies the change to its own engine, and a task
  lets the worker do the same and save the index to disk. Any other process
  notices that its generation is behind on its next match and catches up
  incrementally (or reloads/rebuilds if it is too far behind).
- With ``FACTCHECK_INDEX_MMAP`` (the default) a process maps the saved index
  (plain ``.npy`` arrays and the documents file) read-only instead of building
  its own copy: the operating system keeps one copy in the page cache for every
  process of the machine.  Changes since the save are held privately (the
  engine's delta); when the worker saves a newer index (seen with one ``stat``
  of its generation file per match) the process maps that one instead, which
  gives back the private memory.
- If the embedding model cannot load, the engine matches lexically and
  ``status()`` says so (for /healthz and the staff dashboard).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from factcheck.models import FactCheck, IndexChange, MatchingIndexState

log = logging.getLogger(__name__)

# Catching up on more changes than this is slower than rebuilding.
MAX_INCREMENTAL = 5000
_GENERATION_FILE = "simpul-generation"
_lock = threading.RLock()


class _Holder:
    engine: Any = None
    database_id: str = ""
    generation: int = -1  # of the fact-checks the in-memory engine reflects
    saved_generation: int = -1
    load_error: str = ""
    mapped_generation: int = -1  # of the saved index mapped; -1: built in memory
    seen: tuple[int, int] | None = None  # the generation file's inode and mtime
    # The deployment's re-trained weights in use: which engine they were put
    # into, and the (mtime, size, inode) of the file they came from.
    models_engine: Any = None
    models_key: tuple[int, int, int] | None = None
    models_info: dict[str, Any] = {}


_holder = _Holder()


# --- The engine package ---------------------------------------------------------


def _m() -> Any:
    from factcheck import matching

    return matching


class _CachedEmbedder:
    """The engine's embedder with a small memory of recent texts: a viral
    message arrives hundreds of times (and a rebuild re-reads unchanged
    fact-checks), and each embedding costs milliseconds of CPU."""

    def __init__(self, inner: Any, *, queries: int = 2048, passages: int = 4096):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._caps = {"q": queries, "p": passages}
        self._memo: dict[str, OrderedDict[str, Any]] = {
            "q": OrderedDict(),
            "p": OrderedDict(),
        }
        self._memo_lock = threading.Lock()

    def _get(self, kind: str, texts: Sequence[str], embed: Any) -> Any:
        import numpy as np

        memo = self._memo[kind]
        with self._memo_lock:
            rows = {t: memo[t] for t in texts if t in memo}
            for text in rows:
                memo.move_to_end(text)
        missing = [t for t in dict.fromkeys(texts) if t not in rows]
        if missing:
            rows.update(zip(missing, embed(missing), strict=True))
            with self._memo_lock:
                for text in missing:
                    memo[text] = rows[text]
                while len(memo) > self._caps[kind]:
                    memo.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([rows[t] for t in texts]).astype(np.float32, copy=False)

    def queries(self, texts: Sequence[str]) -> Any:
        return self._get("q", texts, self.inner.queries)

    def passages(self, texts: Sequence[str]) -> Any:
        return self._get("p", texts, self.inner.passages)

    def forget(self) -> None:
        with self._memo_lock:
            for memo in self._memo.values():
                memo.clear()


class _Model:
    """The embedding model, loaded once per process and shared by every engine
    this process builds or loads (loading takes a while; indexes come and go)."""

    loaded = False
    embedder: _CachedEmbedder | None = None
    reason = ""


def _embedder() -> tuple[Any, str]:
    if not settings.FACTCHECK_SEMANTIC:
        return None, "semantic matching switched off (FACTCHECK_SEMANTIC)"
    with _lock:
        if not _Model.loaded:
            from factcheck.matching.semantic import load_embedder

            inner, _Model.reason = load_embedder()
            _Model.embedder = _CachedEmbedder(inner) if inner is not None else None
            _Model.loaded = True
    return _Model.embedder, _Model.reason


def forget_embeddings() -> None:
    """Drop the remembered embeddings (the benchmark times a cold rebuild)."""
    if _Model.embedder is not None:
        _Model.embedder.forget()


def _new_engine(database_id: str) -> Any:
    embedder, reason = _embedder()
    engine = _m().MatchingEngine(
        index_id=database_id, semantic=embedder is not None, embedder=embedder
    )
    engine.semantic_reason = reason
    return engine


def _load_engine(path: Path, database_id: str) -> Any:
    embedder, reason = _embedder()
    engine = _m().MatchingEngine.load(
        path,
        index_id=database_id,
        semantic=embedder is not None,
        embedder=embedder,
        mmap=settings.FACTCHECK_INDEX_MMAP,
    )
    engine.semantic_reason = reason
    return engine


def _doc(fc: FactCheck) -> Any:
    return _m().FactCheckDoc(
        id=str(fc.pk),
        title=fc.title,
        claim=fc.claim_reviewed,
        explanation=fc.explanation,
        conclusion=fc.conclusion,
        verdict=fc.verdict,
        published=fc.published_on,
        source=fc.publisher,
        url=fc.url,
    )


# --- State ----------------------------------------------------------------------


def state() -> MatchingIndexState:
    obj, _ = MatchingIndexState.objects.get_or_create(id=1)
    return obj


def index_path(database_id: str | None = None) -> Path:
    return Path(settings.FACTCHECK_INDEX_DIR) / (
        database_id or str(state().database_id)
    )


def _published() -> Any:
    return FactCheck.objects.filter(status=FactCheck.Status.PUBLISHED)


def _read_generation(path: Path) -> int:
    try:
        return int((path / _GENERATION_FILE).read_text().strip())
    except (OSError, ValueError):
        return -1


def factchecks_changed(ids: Iterable[int]) -> int:
    """Record that these fact-checks changed (call inside the writer's
    transaction). Returns the new generation."""
    ids = sorted(set(ids))
    if not ids:
        return state().generation
    state()
    with transaction.atomic():
        MatchingIndexState.objects.filter(id=1).update(generation=F("generation") + 1)
        generation = MatchingIndexState.objects.get(id=1).generation
        IndexChange.objects.bulk_create(
            [IndexChange(generation=generation, factcheck_id=pk) for pk in ids],
            batch_size=1000,
        )
    transaction.on_commit(_after_commit)
    return generation


class _Deferral(threading.local):
    depth = 0
    pending = False


_deferral = _Deferral()


@contextmanager
def one_sync() -> Iterator[None]:
    """Within this block, changes are applied to this process's engine as
    usual but the worker is asked to save the index once, on leaving, not after
    every transaction (an import of 10,000 fact-checks commits 20 batches)."""
    _deferral.depth += 1
    try:
        yield
    finally:
        _deferral.depth -= 1
        if _deferral.depth == 0 and _deferral.pending:
            _deferral.pending = False
            _enqueue_sync()


def _enqueue_sync() -> None:
    from factcheck.tasks import matching_index_sync_task

    matching_index_sync_task.enqueue()


def _after_commit() -> None:
    try:
        engine()  # this process sees its own change at once
    except Exception:  # never fail the writer's request over the index
        log.exception("matching: could not apply the change in this process")
    if _deferral.depth:
        _deferral.pending = True
    else:
        _enqueue_sync()


# --- Loading and catching up ----------------------------------------------------


def engine() -> Any:
    """This process's engine, up to date with the database."""
    current = state()
    database_id = str(current.database_id)
    with _lock:
        if (
            _holder.engine is None
            or _holder.database_id != database_id
            or (settings.FACTCHECK_INDEX_MMAP and _newer_saved(database_id))
        ):
            _open(database_id)
        if _holder.generation < current.generation:
            _catch_up(current)
        _refresh_models(database_id)
        return _holder.engine


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path / _GENERATION_FILE)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def _newer_saved(database_id: str) -> bool:
    """Whether the worker saved an index newer than the one this process maps
    (a save replaces the folder, so the generation file's inode changes)."""
    path = index_path(database_id)
    seen = _stat(path)
    if seen is None or seen == _holder.seen:
        return False
    _holder.seen = seen
    return _read_generation(path) > _holder.mapped_generation


def _open(database_id: str) -> None:
    path = index_path(database_id)
    _holder.engine, _holder.database_id = None, database_id
    _holder.mapped_generation = -1
    if (path / _GENERATION_FILE).exists():
        try:
            _holder.seen = _stat(path)
            _holder.engine = _load_engine(path, database_id)
            _holder.generation = _holder.saved_generation = _read_generation(path)
            if settings.FACTCHECK_INDEX_MMAP:
                _holder.mapped_generation = _holder.generation
            _holder.load_error = ""
            return
        except Exception as exc:  # a damaged or incompatible index: rebuild it
            log.warning("matching: index at %s unusable (%s); rebuilding", path, exc)
            _holder.load_error = f"{exc.__class__.__name__}: {exc}"
    _rebuild_in_memory()


def _rebuild_in_memory() -> None:
    current = state()
    new = _new_engine(str(current.database_id))
    docs = [_doc(fc) for fc in _published().iterator(chunk_size=2000)]
    if docs:
        new.add_or_update(docs)
    _holder.engine = new
    _holder.generation = current.generation
    _holder.saved_generation = -1


def _catch_up(current: MatchingIndexState) -> None:
    since = _holder.generation
    if since < current.pruned_through:
        saved = _read_generation(index_path(str(current.database_id)))
        if saved >= current.pruned_through:
            _open(str(current.database_id))
            if _holder.generation >= current.generation:
                return
            since = _holder.generation
        else:
            _rebuild_in_memory()
            return
    changed = list(
        IndexChange.objects.filter(
            generation__gt=since, generation__lte=current.generation
        )
        .values_list("factcheck_id", flat=True)
        .distinct()
    )
    if len(changed) > MAX_INCREMENTAL:
        _rebuild_in_memory()
        return
    _apply(changed)
    _holder.generation = current.generation


def _apply(ids: Sequence[int]) -> None:
    live = list(_published().filter(pk__in=ids))
    gone = sorted(set(ids) - {fc.pk for fc in live})
    if live:
        _holder.engine.add_or_update([_doc(fc) for fc in live])
    if gone:
        _holder.engine.remove([str(pk) for pk in gone])


def save() -> Path:
    """Write this process's engine to disk if the disk copy is older."""
    path = index_path()
    with _lock:
        current = engine()
        if _read_generation(path) >= _holder.generation:
            _holder.saved_generation = _holder.generation
            return path
        staging = path.with_name(f"{path.name}.tmp-{time.time_ns()}")
        staging.mkdir(parents=True)
        current.save(staging)
        (staging / _GENERATION_FILE).write_text(str(_holder.generation))
        old = path.with_name(f"{path.name}.old-{time.time_ns()}")
        if path.exists():
            path.rename(old)
        staging.rename(path)
        # Processes that map the old files keep them (unlinked files stay
        # readable while mapped) until they map the new ones.
        shutil.rmtree(old, ignore_errors=True)
        _holder.saved_generation = _holder.generation
        if settings.FACTCHECK_INDEX_MMAP:
            # The saver maps what it wrote too: its private copy goes.
            _open(_holder.database_id)
    return path


def save_if_behind() -> bool:
    """Save this machine's copy of the index if it is behind the database (run
    by every worker's heartbeat, ``core.schedule.register_beat``).

    The save task after a change runs on one worker, on one machine; each other
    machine's web processes would otherwise keep catching up privately forever.
    One process per machine saves (a lock file beside the index); the others
    find the copy current.  Returns whether it saved."""
    if not settings.FACTCHECK_INDEX_MMAP:
        return False
    current = state()
    path = index_path(str(current.database_id))
    if current.generation == 0 or _read_generation(path) >= current.generation:
        return False  # nothing ever indexed, or the copy is current
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / f"{path.name}.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # another process of this machine is saving
        try:
            if _read_generation(path) >= state().generation:
                return False
            save()
            return True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def rebuild() -> dict[str, Any]:
    """Build the index from the database and save it (``manage.py
    rebuild_matching_index``)."""
    started = time.perf_counter()
    with _lock:
        current = state()
        _holder.database_id = str(current.database_id)
        _rebuild_in_memory()
        path = index_path(_holder.database_id)
        if path.exists():
            shutil.rmtree(path)
        save()
    return {
        "documents": _published().count(),
        "seconds": round(time.perf_counter() - started, 2),
        "path": str(path),
        "generation": _holder.generation,
    }


def prune_changes(*, keep: int = 20_000) -> int:
    """Forget change records older than the last ``keep`` generations."""
    with transaction.atomic():
        current = MatchingIndexState.objects.select_for_update().get_or_create(id=1)[0]
        cutoff = current.generation - keep
        if cutoff <= current.pruned_through:
            return 0
        deleted, _ = IndexChange.objects.filter(generation__lte=cutoff).delete()
        current.pruned_through = cutoff
        current.save(update_fields=["pruned_through", "updated_at"])
    return deleted


def reset_process_state() -> None:
    """Forget this process's engine (tests; after the database was swapped)."""
    with _lock:
        _holder.engine = None
        _holder.database_id = ""
        _holder.generation = _holder.saved_generation = -1
        _holder.mapped_generation = -1
        _holder.seen = None
        _holder.models_engine, _holder.models_key = None, None
        _holder.models_info = {}


# --- Re-trained weights ---------------------------------------------------------


def weights_path(database_id: str | None = None) -> Path:
    """The deployment's re-trained re-ranker (``manage.py retrain_matcher``),
    beside its index and named after its database like the index."""
    return Path(settings.FACTCHECK_INDEX_DIR) / (
        f"{database_id or state().database_id}.weights.json"
    )


def _file_key(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _refresh_models(database_id: str) -> None:
    """Put the deployment's weights into this process's engine when they
    changed (one stat per match): a re-training reaches every web process
    without a restart. A missing or unreadable file means the shipped ones."""
    path = weights_path(database_id)
    key = _file_key(path)
    engine = _holder.engine
    if engine is _holder.models_engine and key == _holder.models_key:
        return
    from factcheck.matching.ranker import LogisticModel, load_models

    models, info = load_models(), {"kind": "shipped"}
    if key is not None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            loaded = {
                name: LogisticModel.from_json(m) for name, m in data["models"].items()
            }
            models.update(loaded)
            info = {**data.get("retrained", {}), "kind": "retrained"}
        except (OSError, KeyError, TypeError, ValueError) as exc:
            log.warning("matching: weights at %s unusable (%s)", path, exc)
            info = {"kind": "shipped", "error": f"{exc.__class__.__name__}: {exc}"}
    engine.models = models
    _holder.models_engine, _holder.models_key = engine, key
    _holder.models_info = info


def weights_install(payload: dict[str, Any], database_id: str | None = None) -> Path:
    """Write re-trained weights atomically (a reader sees the old file or the
    new one, never half of one)."""
    path = weights_path(database_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f"{path.name}.tmp-{time.time_ns()}")
    staging.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    os.replace(staging, path)
    return path


def model_info() -> dict[str, Any]:
    """Which re-ranker this process uses: shipped or re-trained (when, on how
    many pairs), and its thresholds."""
    engine = _holder.engine
    info = dict(_holder.models_info or {"kind": "shipped"})
    with suppress(KeyError, ValueError):
        info["when"] = datetime.fromisoformat(str(info["at"]))
    if engine is not None:
        info["match_threshold"] = round(float(engine.match_threshold), 4)
        info["suggest_threshold"] = round(float(engine.suggest_threshold), 4)
        sure = engine.model.match_confidence
        info["match_confidence"] = None if sure is None else round(float(sure), 4)
    return info


# --- Matching -------------------------------------------------------------------


def _rows(ids: Sequence[str]) -> dict[str, FactCheck]:
    pks = [int(i) for i in ids if str(i).isdigit()]
    return {str(fc.pk): fc for fc in _published().filter(pk__in=pks)}


def public_id(factcheck: FactCheck) -> str:
    """The id a fact-check goes by outside (batch matching, exported pairs)."""
    return factcheck.external_id or f"simpul-{factcheck.pk}"


def _describe(hits: Sequence[Any], decision: str) -> dict[str, Any]:
    rows = _rows([h.id for h in hits])
    matches = []
    for hit in hits:
        fc = rows.get(str(hit.id))
        if fc is None:
            continue  # unpublished since the index last heard of it
        matches.append(
            {
                "id": fc.pk,
                "external_id": public_id(fc),
                "score": round(float(hit.score), 4),
                "verdict": fc.verdict_label,
                "title": fc.title,
                "url": fc.url or fc.get_absolute_url(),
            }
        )
    if not matches:
        decision = "none"
    return {"decision": decision, "matches": matches}


def describe(hits: Sequence[Any], decision: str) -> dict[str, Any]:
    """The result for ranked hits (each with ``id`` and ``score``): image tips
    rank their own candidates and describe them here."""
    return _describe(hits, decision)


def match(text: str, *, top: int = 10) -> dict[str, Any]:
    """``{"decision": "match"|"suggest"|"none", "matches": [{"id",
    "external_id", "score", "verdict", "title", "url"}, …]}``."""
    current = engine()
    hits = list(current.search(text, top=top))
    return _describe(hits, str(current.decide(hits, text)))


def prepare(texts: Sequence[str]) -> int:
    """Embed at once texts about to be ``match``ed one by one (a batch of tips
    taken by one task): each ``match`` then finds its text's embedding
    remembered, and its result is the same as without.  0 when matching is
    lexical only."""
    return int(engine().prepare(list(texts)))


def match_many(texts: Sequence[str], *, top: int = 10) -> list[dict[str, Any]]:
    """``match`` for many texts, in order, using the engine's batch search."""
    current = engine()
    results = current.search_many(list(texts), top=top)
    return [
        _describe(hits, str(current.decide(hits, text)))
        for text, hits in zip(texts, results, strict=True)
    ]


def status(*, load: bool = True) -> dict[str, Any]:
    """For /healthz and the dashboard: "ok", or "degraded" (lexical only) with the
    reason, or "error" if no engine could be built.

    With ``load=False`` (/healthz, which must answer within 2 s) the engine this
    process already holds is described as it is: loading or rebuilding an index
    takes seconds to minutes, and a web process loads it at its first match."""
    if not load:
        current = _holder.engine
        if current is None:
            return {
                "status": "ok",
                "mode": "not loaded in this process yet",
                "reason": _holder.load_error,
                "generation": _holder.generation,
                "saved_generation": _holder.saved_generation,
            }
    else:
        try:
            current = engine()
        except Exception as exc:
            return {"status": "error", "reason": f"{exc.__class__.__name__}: {exc}"}
    semantic = bool(getattr(current, "semantic_available", False))
    reason = str(getattr(current, "semantic_reason", "") or "")
    return {
        "status": "ok" if semantic else "degraded",
        "mode": "semantic+lexical" if semantic else "lexical",
        "reason": "" if semantic else reason,
        "documents": len(current),
        "mapped": _holder.mapped_generation >= 0,
        "generation": _holder.generation,
        "saved_generation": _holder.saved_generation,
        "model": model_info(),
    }
