"""The periodic task and the claims that keep workers apart."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from channels import services, tasks
from channels.models import InboundEvent, OutboxMessage, WebhookCall
from channels.testing import telegram_update
from channels.tests.fixtures import keep

pytestmark = pytest.mark.django_db


def queue_one(i: int) -> None:
    services.message_send(
        channel="telegram",
        to=str(200 + i),
        body="x",
        dedupe_key=f"burst{i}",
        origin="newsroom",
    )


def queue(n: int) -> None:
    for i in range(n):
        queue_one(i)


def test_periodic_task_is_registered() -> None:
    from core.schedule import registered_periodic

    assert "channels.outbox_due" in {p.name for p in registered_periodic()}


def test_a_claimed_batch_is_left_to_its_worker(settings) -> None:
    settings.CHANNELS_SEND_BATCH = 3
    queue(5)
    now = timezone.now()
    first = services._claim("telegram", now, 3)
    second = services._claim("telegram", now, 3)
    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)
    assert services._claim("telegram", now, 3) == []
    # Past the lease (the worker died): claimable again.
    later = now + timedelta(seconds=settings.CHANNELS_SEND_LEASE_SECONDS + 1)
    assert sorted(services._claim("telegram", later, 10)) == sorted(first + second)


def test_due_task_sends_retries_and_cleans_up(fake_telegram, settings) -> None:
    from channels import routes

    queue(2)
    stuck = OutboxMessage.objects.order_by("pk").first()
    old = timezone.now() - timedelta(seconds=settings.CHANNELS_SEND_LEASE_SECONDS + 5)
    OutboxMessage.objects.filter(pk=stuck.pk).update(status="sending", updated_at=old)
    # A webhook call whose task was lost, and a processed one past retention.
    seen: list = []
    routes.register_route(kind="text", handler=keep(seen, lambda e: e.text))
    lost = WebhookCall.objects.create(
        channel="telegram",
        key="update:1",
        body=json.dumps(telegram_update(1, 7, "lost")),
        received_at=timezone.now() - timedelta(minutes=5),
    )
    ancient = timezone.now() - timedelta(days=settings.CHANNELS_RAW_RETENTION_DAYS + 1)
    WebhookCall.objects.create(
        channel="telegram",
        key="update:0",
        body="{}",
        received_at=ancient,
        processed_at=ancient,
    )
    InboundEvent.objects.create(
        channel="telegram",
        event_key="update:0",
        kind="text",
        address="7",
        text="lama",
        created_at=ancient,
    )

    assert tasks.outbox_due_task.call() == ["telegram"]
    stuck.refresh_from_db()
    assert stuck.status == "failed" and stuck.error.startswith("interrupted")
    assert OutboxMessage.objects.filter(status="sent").count() == 1
    assert len(fake_telegram.requests) == 1  # the one in doubt was not resent
    assert seen == ["lost"]
    lost.refresh_from_db()
    assert lost.processed_at is not None
    assert not WebhookCall.objects.filter(key="update:0").exists()
    old_event = InboundEvent.objects.get(event_key="update:0")
    assert old_event.text == "" and old_event.address == ""


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def _send_tasks_waiting() -> list:
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(
            task_path=tasks.outbox_send_task.module_path, status="READY"
        )
    )


def test_a_burst_of_messages_enqueues_one_send_task_and_sends_each_once(
    settings, fake_telegram, django_capture_on_commit_callbacks
) -> None:
    """Each reply of a surge used to enqueue its own send task (hundreds doing
    nothing after the first): one waiting task sends them all."""
    settings.TASKS = DB_TASKS
    for i in range(5):  # five replies, each committed on its own
        with django_capture_on_commit_callbacks(execute=True):
            queue_one(i)
    waiting = _send_tasks_waiting()
    assert len(waiting) == 1
    tasks.outbox_send_task.call("telegram")  # what the worker runs
    assert OutboxMessage.objects.filter(status="sent").count() == 5
    assert len(fake_telegram.bodies("sendMessage")) == 5
    # Once it started, the next message gets a task of its own (the running one
    # may have claimed its last batch already).
    with django_capture_on_commit_callbacks(execute=True):
        queue_one(5)
    assert len(_send_tasks_waiting()) == 2  # the first is still READY here


def test_a_lost_waiting_mark_costs_a_task_never_a_message(
    settings, fake_telegram, django_capture_on_commit_callbacks
) -> None:
    from django.core.cache import cache

    settings.TASKS = DB_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        queue_one(0)
    cache.clear()  # the cache restarted: the mark is gone, the task is not
    with django_capture_on_commit_callbacks(execute=True):
        queue_one(1)
    assert len(_send_tasks_waiting()) == 2
    tasks.outbox_send_task.call("telegram")
    tasks.outbox_send_task.call("telegram")
    assert OutboxMessage.objects.filter(status="sent").count() == 2
    assert len(fake_telegram.bodies("sendMessage")) == 2


@pytest.mark.django_db(transaction=True)
def test_replies_go_out_before_a_backlog_of_inbound_calls(
    settings, fake_telegram, monkeypatch
) -> None:
    """A surge leaves thousands of inbound calls queued: the send task enqueued
    after them still runs first, so replies already queued do not wait for
    the whole backlog."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    import core.schedule

    monkeypatch.setattr(core.schedule, "_periodic", {})
    settings.TASKS = DB_TASKS
    for i in range(3):
        services.webhook_call_store(
            channel="telegram",
            key=f"update:{i}",
            body=json.dumps(telegram_update(i, 500 + i, "halo")),
        )
    queue_one(0)  # committed at once here: its send task is enqueued last
    call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    order = list(
        DBTaskResult.objects.order_by("started_at").values_list("task_path", flat=True)
    )
    assert order[0] == tasks.outbox_send_task.module_path
    assert order.count(tasks.inbound_process_task.module_path) == 3
    assert OutboxMessage.objects.get(dedupe_key="burst0").status == "sent"
