"""The move onto channels (``newsroom/migrations/0004_to_channels.py``) run on a
populated database: migrated back to the state before it, filled through the
historical models, migrated forward, compared."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from channels import addresses
from channels.models import Consent, OutboxMessage
from newsroom.models import Delivery

BEFORE = [
    ("newsroom", "0003_delivery_outbox_message"),
    ("channels", "0001_initial"),
]


def _hash(channel: str, address: str) -> str:
    return addresses.address_hash(channel, address)


@pytest.mark.django_db(transaction=True)
def test_queued_deliveries_and_opt_outs_move_to_channels(
    kaltim: None, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://simpul.example"
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Dissemination = old.get_model("newsroom", "Dissemination")
    OldDelivery = old.get_model("newsroom", "Delivery")
    OptOut = old.get_model("newsroom", "OptOut")
    ShortLink = old.get_model("newsroom", "ShortLink")

    now = timezone.now()
    item = Dissemination.objects.create(
        item_ref="article:7",
        item_url="https://simpul.example/kabar/baca/amplang/",
        title="Amplang Udang Khas Tenggarong",
        summary="Kerupuk amplang buatan ibu-ibu KIM laris di pasar.",
        region_id="64.02",
        channels=["whatsapp", "sms", "email", "telegram"],
        status="sending",
        recipients=7,
    )
    for channel in item.channels:
        ShortLink.objects.create(
            code=f"c{channel[:3]}",
            target_url=item.item_url,
            dissemination=item,
            channel=channel,
        )
    retry_at = now + timedelta(minutes=4)

    def delivery(key: str, channel: str, address: str, **fields):  # type: ignore[no-untyped-def]
        return OldDelivery.objects.create(
            dissemination=item,
            item_ref=item.item_ref,
            recipient_key=key,
            channel=channel,
            address=address,
            source="subscriber",
            region_code="64.02",
            next_attempt_at=fields.pop("next_attempt_at", now),
            **fields,
        )

    rows = {
        # Waiting for a retry after a 502.
        "retry": delivery(
            "p:+6281200000001", "whatsapp", "+6281200000001",
            attempts=2, error="whatsapp: HTTP 502", next_attempt_at=retry_at,
        ),
        "queued_sms": delivery("p:+6281200000002", "sms", "+6281200000002"),
        "queued_tg": delivery("t:777", "telegram", "777"),
        # Opted out after it was queued: held, not sent.
        "opted_out": delivery("p:+6281200000003", "sms", "+6281200000003"),
        # Sent, its delivery report still to come.
        "sent": delivery(
            "e:siti@example.org", "email", "siti@example.org",
            status="sent", attempts=1, sent_at=now, provider_id="",
        ),
        "delivered": delivery(
            "p:+6281200000004", "whatsapp", "+6281200000004",
            status="delivered", attempts=1, sent_at=now, delivered_at=now,
            provider_id="wamid.old4",
        ),
        # Final: kept as history only.
        "read": delivery(
            "p:+6281200000005", "whatsapp", "+6281200000005",
            status="read", attempts=1, sent_at=now, delivered_at=now, read_at=now,
            provider_id="wamid.old5",
        ),
        "failed": delivery(
            "e:salah@example.org", "email", "salah@example.org",
            status="failed", attempts=1, error="email: recipient refused",
        ),
    }  # fmt: skip
    before = {
        name: OldDelivery.objects.filter(pk=row.pk).values().get()
        for name, row in rows.items()
    }
    # A KIM member keyed by phone but reached by email opted out by the email's
    # link: the key names the phone, the delivery the email address.
    member = delivery("p:+6281200000006", "email", "joko@example.org", status="read")
    OptOut.objects.create(recipient_key="p:+6281200000003", created_at=now)
    OptOut.objects.create(recipient_key="e:lama@example.org", created_at=now)
    OptOut.objects.create(recipient_key="t:888", created_at=now)
    OptOut.objects.create(recipient_key=member.recipient_key, created_at=now)
    OptOut.objects.create(recipient_key="p:not-a-number", created_at=now)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # Nothing lost from the deliveries: every column as it was, plus the link.
    for name, row in rows.items():
        after = dict(Delivery.objects.filter(pk=row.pk).values().get())
        changed = {k for k in before[name] if before[name][k] != after[k]}
        if name == "opted_out":
            assert changed == {"status", "error", "outbox_message_id"}
            assert (after["status"], after["error"]) == ("held", "opted out")
        elif name in ("read", "failed"):
            assert changed == set() and after["outbox_message_id"] is None
        else:
            assert changed == {"outbox_message_id"}, name

    def message(name: str) -> OutboxMessage:
        found = Delivery.objects.get(pk=rows[name].pk).outbox_message
        assert found is not None
        return found

    retry = message("retry")
    assert retry.dedupe_key == f"newsroom:{item.pk}:p:+6281200000001"
    assert (retry.channel, retry.to, retry.status) == (
        "whatsapp",
        "+6281200000001",
        "queued",
    )
    assert retry.address_hash == _hash("whatsapp", "+6281200000001")
    assert (retry.attempts, retry.not_before, retry.error) == (
        2,
        retry_at,
        "whatsapp: HTTP 502",
    )
    assert (retry.origin, retry.reference) == ("newsroom", item.item_ref)
    assert retry.template == settings.NEWSROOM_WHATSAPP_TEMPLATE
    assert retry.parameters == [
        item.title,
        item.summary,
        "https://simpul.example/s/cwha",
    ]
    sms = message("queued_sms")
    assert sms.status == "queued" and sms.body.endswith(
        " https://simpul.example/s/csms"
    )
    assert len(sms.body) <= 160
    assert message("queued_tg").body.startswith(item.title)
    assert message("opted_out").status == "held"
    sent = message("sent")
    assert (sent.status, sent.subject, sent.sent_at) == ("sent", item.title, now)
    delivered = message("delivered")
    assert (delivered.status, delivered.provider_message_id) == (
        "delivered",
        "wamid.old4",
    )
    assert OutboxMessage.objects.count() == 6

    # Opt-outs: one Consent per channel the key stops, hashed as channels does.
    stopped = set(
        Consent.objects.filter(
            status="opted_out", opted_out_source="newsroom.optout"
        ).values_list("channel", "address_hash")
    )
    assert stopped == {
        ("whatsapp", _hash("whatsapp", "+6281200000003")),
        ("sms", _hash("sms", "+6281200000003")),
        ("email", _hash("email", "lama@example.org")),
        ("telegram", _hash("telegram", "888")),
        ("whatsapp", _hash("whatsapp", "+6281200000006")),
        ("sms", _hash("sms", "+6281200000006")),
        ("email", _hash("email", "joko@example.org")),
    }
    assert (
        Consent.objects.get(
            channel="telegram", address_hash=_hash("telegram", "888")
        ).opted_out_at
        == now
    )
    assert "OptOut" not in {m.__name__ for m in executor.loader.project_state(
        executor.loader.graph.leaf_nodes()
    ).apps.get_models()}  # fmt: skip

    # A status report on the one webhook now reaches a delivery sent before.
    from channels import services as outbox

    assert outbox.message_status_update(
        channel="whatsapp", provider_message_id="wamid.old4", status="read"
    )
    assert Delivery.objects.get(pk=rows["delivered"].pk).status == "read"
