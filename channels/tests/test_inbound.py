"""Inbound calls processed in batches (issue 16): a task takes the calls
waiting with its own, the apps prepare the batch at once, each call is then
processed alone; a call taken by one worker is left to it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from channels import inbound, routes, services, tasks
from channels.models import InboundEvent, WebhookCall
from channels.testing import telegram_update
from channels.tests.fixtures import keep

pytestmark = pytest.mark.django_db


def stored(n: int, start: int = 1) -> list[WebhookCall]:
    """``n`` Telegram calls stored and not processed (their tasks not run)."""
    return [
        WebhookCall.objects.create(
            channel="telegram",
            key=f"update:{i}",
            body=json.dumps(telegram_update(i, 700 + i, f"pesan {i}")),
        )
        for i in range(start, start + n)
    ]


def test_a_task_takes_the_calls_waiting_and_handles_each_event_once() -> None:
    handled: list[str] = []
    batches: list[list[str]] = []
    routes.register_route(kind="text", handler=keep(handled, lambda e: e.text))
    routes.register_batch_preparer(
        lambda events: batches.append([e.text for e in events])
    )
    first, second, third = stored(3)

    assert tasks.inbound_process_task.call(first.pk) == ["channels.tests.fixtures"]
    # One batch: the preparer saw the three messages before any was handled.
    assert batches == [["pesan 1", "pesan 2", "pesan 3"]]
    assert handled == ["pesan 1", "pesan 2", "pesan 3"]
    assert not WebhookCall.objects.filter(processed_at__isnull=True).exists()
    # The tasks of the calls the batch took find them done: nothing again.
    assert tasks.inbound_process_task.call(second.pk) == []
    assert tasks.inbound_process_task.call(third.pk) == []
    assert handled == ["pesan 1", "pesan 2", "pesan 3"]
    assert InboundEvent.objects.count() == 3


def test_a_batch_is_at_most_its_size(settings) -> None:
    settings.CHANNELS_INBOUND_BATCH = 2
    handled: list[str] = []
    routes.register_route(kind="text", handler=keep(handled, lambda e: e.text))
    calls = stored(3)
    tasks.inbound_process_task.call(calls[0].pk)
    assert handled == ["pesan 1", "pesan 2"]
    tasks.inbound_process_task.call(calls[2].pk)
    assert handled == ["pesan 1", "pesan 2", "pesan 3"]


def test_two_workers_take_separate_calls() -> None:
    a, b, c, d = stored(4)

    def claim(call: WebhookCall, size: int) -> list[int]:
        return [c.pk for c in inbound.calls_claim(call_id=call.pk, size=size)]

    assert claim(b, 2) == [a.pk, b.pk]  # its own, and the oldest waiting
    # Another worker's task for a finds it taken; its own batch is the rest.
    assert claim(a, 5) == []
    assert claim(d, 5) == [c.pk, d.pk]


def test_a_dead_workers_calls_are_processed_after_its_lease(settings) -> None:
    handled: list[str] = []
    routes.register_route(kind="text", handler=keep(handled, lambda e: e.text))
    (call,) = stored(1)
    # Taken by a worker that died before processing it.
    taken = timezone.now() + timedelta(seconds=60)
    WebhookCall.objects.filter(pk=call.pk).update(
        claimed_until=taken, received_at=timezone.now() - timedelta(minutes=5)
    )
    assert tasks.inbound_process_task.call(call.pk) == []
    # The sweep leaves it to its holder meanwhile.
    assert services.webhook_calls_unprocessed(older_than=timezone.now()) == []
    WebhookCall.objects.filter(pk=call.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert services.webhook_calls_unprocessed(older_than=timezone.now()) == [call.pk]
    assert tasks.inbound_process_task.call(call.pk) == ["channels.tests.fixtures"]
    assert handled == ["pesan 1"]


def test_a_failing_preparer_costs_no_message() -> None:
    handled: list[str] = []
    routes.register_route(kind="text", handler=keep(handled, lambda e: e.text))

    def broken(events: list[routes.Inbound]) -> None:
        raise RuntimeError("model unavailable")

    routes.register_batch_preparer(broken)
    first, _ = stored(2)
    tasks.inbound_process_task.call(first.pk)
    assert handled == ["pesan 1", "pesan 2"]


def test_an_error_mid_batch_frees_what_was_left(monkeypatch) -> None:
    first, second = stored(2)
    real = inbound._call_events_handle

    def dies_on_second(call: WebhookCall, events: list) -> list[str]:
        if call.pk == second.pk:
            raise RuntimeError("connection lost")
        return real(call, events)

    monkeypatch.setattr(inbound, "_call_events_handle", dies_on_second)
    with pytest.raises(RuntimeError):
        inbound.calls_process(call_id=first.pk)
    second.refresh_from_db()
    assert second.processed_at is None and second.claimed_until is None
    monkeypatch.setattr(inbound, "_call_events_handle", real)
    assert inbound.calls_process(call_id=second.pk) == ["unrouted"]


@pytest.mark.django_db(transaction=True)
def test_a_claim_skips_the_rows_another_worker_is_claiming() -> None:
    """Row locks (PostgreSQL): while one worker's claim has not committed its
    lease yet, another's claim neither waits for nor takes the same calls."""
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite has no row locks")
    a, b, c, d = stored(4)
    got: dict[str, list[int]] = {}

    def other_worker() -> None:
        try:
            for name, call in (("a", a), ("c", c)):
                claimed = inbound.calls_claim(call_id=call.pk, size=5)
                got[name] = [x.pk for x in claimed]
        finally:
            connections.close_all()

    with transaction.atomic():  # the first worker, mid-claim
        locked = WebhookCall.objects.select_for_update().filter(pk__in=[a.pk, b.pk])
        assert len(list(locked)) == 2
        thread = threading.Thread(target=other_worker)
        thread.start()
        thread.join(timeout=30)
    assert got == {"a": [], "c": [c.pk, d.pk]}
