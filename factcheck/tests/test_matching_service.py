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
