"""The Django side of the matching engine: deferred index saves."""

from __future__ import annotations

import pytest

from factcheck import matching_service
from factcheck.importing import Parsed, record_from_mapping
from factcheck.services import factchecks_import
from factcheck.tests.conftest import CORPUS


@pytest.mark.django_db
def test_an_import_in_batches_asks_the_worker_to_save_once(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:
    calls: list[int] = []
    real = matching_service._enqueue_sync

    def counted() -> None:
        calls.append(1)
        real()

    monkeypatch.setattr(matching_service, "_enqueue_sync", counted)
    items = [Parsed(n, record=record_from_mapping(r)) for n, r in enumerate(CORPUS)]
    # The test runs in a transaction: the batches' commit callbacks run when the
    # capture block ends, still inside the import's one_sync().
    with (
        matching_service.one_sync(),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        result = factchecks_import(items=items, batch_size=3)
    assert result.created == len(CORPUS)
    assert len(callbacks) == 3  # one per batch of 3
    assert calls == [1]
    # Every fact-check is matchable, and the saved index is current.
    assert len(matching_service.engine()) == len(CORPUS)
    assert matching_service.status()["saved_generation"] == (
        matching_service.state().generation
    )


@pytest.mark.django_db
def test_without_deferral_every_commit_asks_for_a_save(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(matching_service, "_enqueue_sync", lambda: calls.append(1))
    items = [Parsed(n, record=record_from_mapping(r)) for n, r in enumerate(CORPUS)]
    with django_capture_on_commit_callbacks(execute=True):
        factchecks_import(items=items[:4], batch_size=2)
    assert calls == [1, 1]


@pytest.mark.django_db
def test_a_process_maps_the_saved_index_and_remaps_a_newer_one(
    corpus, settings
) -> None:
    from factcheck.models import FactCheck

    settings.FACTCHECK_INDEX_MMAP = True
    matching_service.save()
    matching_service.reset_process_state()  # another process starting
    first = matching_service.engine()
    mapped = matching_service.status()
    assert mapped["mapped"] and mapped["documents"] == len(corpus)
    # A fact-check published elsewhere: this process catches up from the
    # database on its next match, holding the change privately (the delta).
    fc = FactCheck.objects.create(
        title="Ular raksasa muncul di Waduk Benanga Samarinda",
        verdict="hoaks",
        publisher="Tim Uji",
        external_id="t-ular",
    )
    generation = matching_service.factchecks_changed([fc.pk])
    hit = matching_service.match("ular raksasa muncul di waduk Benanga")
    assert hit["matches"][0]["external_id"] == "t-ular"
    assert matching_service._holder.mapped_generation < generation
    # The worker saves that generation (without mapping it itself, as if it
    # were another process); this process notices and maps the new files.
    settings.FACTCHECK_INDEX_MMAP = False
    matching_service.save()
    settings.FACTCHECK_INDEX_MMAP = True
    matching_service.match("apa saja")
    assert matching_service.engine() is not first
    assert matching_service._holder.mapped_generation == generation
    hit = matching_service.match("ular raksasa muncul di waduk Benanga")
    assert hit["matches"][0]["external_id"] == "t-ular"


@pytest.mark.django_db
def test_without_mmap_each_process_reads_its_own_copy(corpus, settings) -> None:
    settings.FACTCHECK_INDEX_MMAP = False
    matching_service.save()
    matching_service.reset_process_state()
    status = matching_service.status()
    assert not status["mapped"] and status["documents"] == len(corpus)
    assert matching_service.match(CORPUS[0]["title"])["matches"]


@pytest.mark.django_db
def test_each_machines_workers_keep_its_copy_current(corpus, settings) -> None:
    import fcntl

    settings.FACTCHECK_INDEX_MMAP = True
    path = matching_service.index_path()
    generation = matching_service.state().generation
    # Another machine's worker ran the save task: this machine's copy is behind.
    assert matching_service._read_generation(path) < generation
    lock = path.parent / f"{path.name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as held:  # a process of this machine is saving
        fcntl.flock(held, fcntl.LOCK_EX)
        assert matching_service.save_if_behind() is False
        fcntl.flock(held, fcntl.LOCK_UN)
    assert matching_service.save_if_behind() is True
    assert matching_service._read_generation(path) == generation
    assert matching_service.save_if_behind() is False  # current now
