"""Migration 0005: a database with factcheck's old outbox, migrated forward,
has every message in channels' outbox and every tipline STOP in ``Consent``.

In the manner of django-test-migrations: migrate back to the state before, make
rows with the historical models, migrate forward, compare. Runs on the test
database of ``DATABASE_URL`` (SQLite by default; PostgreSQL in CI's second run).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from channels.addresses import address_hash
from channels.models import Consent, OutboxMessage
from factcheck.personal import contact_encrypt, contact_hash

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("factcheck", "0004_claim_appearance")]
AFTER = [("factcheck", "0006_drop_outgoing_message")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaf() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_database(apps: Any, now: Any) -> dict[str, Any]:
    Tipster = apps.get_model("factcheck", "Tipster")
    Claim = apps.get_model("factcheck", "Claim")
    Tip = apps.get_model("factcheck", "Tip")
    Outgoing = apps.get_model("factcheck", "OutgoingMessage")

    def tipster(channel: str, contact: str, subscribed: bool = True) -> Any:
        return Tipster.objects.create(
            channel=channel,
            contact_hash=contact_hash(channel, contact),
            contact_encrypted=contact_encrypt(contact),
            masked=f"{channel}:masked",
            subscribed=subscribed,
        )

    tg = tipster("telegram", "4242")
    stopped = tipster("whatsapp", "+6281234567890", subscribed=False)
    wa = tipster("whatsapp", "+6281200001111")
    claim = Claim.objects.create(text="Jembatan Mahakam ditutup permanen")
    for who, hours in ((tg, 2), (stopped, 30), (wa, 1)):
        Tip.objects.create(
            claim=claim,
            tipster=who,
            channel=who.channel,
            text="Jembatan Mahakam ditutup permanen",
            decision="none",
            received_at=now - timedelta(hours=hours),
        )

    def message(**fields: Any) -> Any:
        fields.setdefault("kind", "reply")
        fields.setdefault("created_at", now - timedelta(hours=1))
        return Outgoing.objects.create(**fields)

    return {
        "tg": tg,
        "stopped": stopped,
        "wa": wa,
        "claim": claim,
        "pending": message(tipster=tg, channel="telegram", text="Terima kasih"),
        "sent_verdict": message(
            tipster=tg,
            channel="telegram",
            kind="verdict",
            claim=claim,
            text="HOAKS: Jembatan Mahakam",
            status="sent",
            attempts=1,
            sent_at=now - timedelta(minutes=30),
        ),
        "retry": message(
            tipster=wa,
            channel="whatsapp",
            text="Terima kasih",
            status="failed",
            attempts=2,
            error="whatsapp: HTTP 500",
        ),
        "given_up": message(
            tipster=wa,
            channel="whatsapp",
            kind="verdict",
            claim=claim,
            text="HOAKS: Jembatan Mahakam",
            status="failed",
            attempts=5,
            error="whatsapp: HTTP 400",
        ),
        "goodbye": message(
            channel="whatsapp",
            text="Nomor Anda sudah kami hapus",
            contact_encrypted=contact_encrypt("+6281299990000"),
        ),
        "cancelled": message(
            channel="telegram", text="", status="cancelled", attempts=0
        ),
        "to_stopped": message(
            tipster=stopped,
            channel="whatsapp",
            kind="verdict",
            claim=claim,
            text="HOAKS: Jembatan Mahakam",
        ),
        "no_contact": message(channel="telegram", text="Halo"),
    }


def test_the_old_outbox_moves_into_channels_losing_nothing() -> None:
    now = timezone.now()
    try:
        old = _old_database(_migrate(BEFORE), now)
        _migrate(AFTER)
        rows = {row.dedupe_key: row for row in OutboxMessage.objects.all()}
        assert len(rows) == 8
        assert {row.origin for row in rows.values()} == {"factcheck"}

        def row(name: str) -> OutboxMessage:
            return rows[f"factcheck:outgoing:{old[name].pk}"]

        def verdict(tipster: str) -> OutboxMessage:
            return rows[f"factcheck:verdict:{old['claim'].pk}:{old[tipster].pk}"]

        pending = row("pending")
        assert (pending.status, pending.to, pending.body) == (
            "queued",
            "4242",
            "Terima kasih",
        )
        assert pending.address_hash == address_hash("telegram", "4242")
        assert pending.created_at == old["pending"].created_at
        assert pending.reference == f"reply:{old['tg'].pk}"
        sent = verdict("tg")
        assert (sent.status, sent.attempts) == ("sent", 1)
        assert sent.sent_at == old["sent_verdict"].sent_at
        assert sent.body == "HOAKS: Jembatan Mahakam"
        # Failed with tries left: queued again (the old retry task's job).
        retry = row("retry")
        assert (retry.status, retry.attempts, retry.error) == (
            "queued",
            2,
            "whatsapp: HTTP 500",
        )
        assert retry.to == "+6281200001111"
        assert retry.template == "hasil_cek_fakta"
        assert retry.parameters == ["Terima kasih"]
        given_up = verdict("wa")
        assert (given_up.status, given_up.attempts) == ("failed", 5)
        # The goodbye of a deleted tipster kept its own copy of the number.
        goodbye = row("goodbye")
        assert (goodbye.status, goodbye.to) == ("queued", "+6281299990000")
        assert (row("cancelled").status, row("cancelled").error) == (
            "failed",
            "cancelled",
        )
        # The tipline STOP now holds every app's messages to that number.
        assert verdict("stopped").status == "held"
        no_contact = row("no_contact")
        assert no_contact.status == "failed" and "no contact" in no_contact.error

        consents = {c.address_hash: c for c in Consent.objects.all()}
        stopped = consents[address_hash("whatsapp", "+6281234567890")]
        assert stopped.status == "opted_out"
        assert stopped.opted_out_source == "factcheck.stop"
        wa = consents[address_hash("whatsapp", "+6281200001111")]
        assert wa.status == "unknown"
        assert wa.last_inbound_at == now - timedelta(hours=1)
        tg = consents[address_hash("telegram", "4242")]
        assert tg.last_inbound_at == now - timedelta(hours=2)

        # Back again: the rows return to the old table.
        back = _migrate(BEFORE)
        assert back.get_model("factcheck", "OutgoingMessage").objects.count() == 8
    finally:
        _leaf()
