"""The outbox: queueing, consent, sending one by one, retries, status reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from channels import addresses, routes, services
from channels.models import Consent, OutboxMessage
from channels.senders import Outgoing, Sender, WhatsAppSender

S = OutboxMessage.Status
pytestmark = pytest.mark.django_db
PHONE = "+6281234567890"


def send(**kwargs):
    defaults = {
        "channel": "whatsapp",
        "to": PHONE,
        "body": "Halo",
        "dedupe_key": "k1",
        "origin": "newsroom",
    }
    return services.message_send(**{**defaults, **kwargs})


def test_message_send_is_idempotent_on_the_dedupe_key() -> None:
    first = send(to="0812-3456-7890")
    again = send(body="Another body")
    assert first.pk == again.pk
    assert OutboxMessage.objects.count() == 1
    row = OutboxMessage.objects.get()
    assert row.to == PHONE and row.status == S.QUEUED and row.body == "Halo"
    # The same key on another channel is another message.
    send(channel="sms")
    assert OutboxMessage.objects.count() == 2


def test_message_send_refuses_bad_input_and_stores_nothing() -> None:
    with pytest.raises(ValidationError):
        send(to="12")
    with pytest.raises(ValidationError):
        send(body="")
    with pytest.raises(ValidationError):
        send(interactive={"buttons": [{"id": 1}]})
    with pytest.raises(ValidationError):
        send(channel="fax")
    assert not OutboxMessage.objects.exists()


def test_opted_out_address_gets_a_held_row_and_nothing_is_sent(fake_whatsapp) -> None:
    services.consent_opt_out(channel="whatsapp", address=PHONE, source="command")
    row = send()
    assert row.status == S.HELD and row.error == "opted out"
    assert services.outbox_send_due(channel="whatsapp") == {
        "sent": 0,
        "retry": 0,
        "failed": 0,
        "held": 0,
    }
    assert fake_whatsapp.requests == []


def test_rows_held_at_once_are_reported_to_their_app() -> None:
    changes: list = []
    routes.register_status_handler(origin="newsroom", handler=changes.append)
    services.consent_opt_out(channel="whatsapp", address=PHONE, source="command")
    send(dedupe_key="one")
    services.messages_send_bulk(
        channel="whatsapp",
        drafts=[
            services.Draft(to=PHONE, dedupe_key="bulk", body="Halo"),
            services.Draft(to="+6281200000009", dedupe_key="other", body="Halo"),
        ],
        origin="newsroom",
    )
    assert [(c.status, c.error) for c in changes] == [
        (S.HELD, "opted out"),
        (S.HELD, "opted out"),
    ]
    assert {c.message_id for c in changes} == set(
        OutboxMessage.objects.filter(status=S.HELD).values_list("pk", flat=True)
    )


def test_opt_out_holds_what_is_already_queued(fake_whatsapp) -> None:
    send(dedupe_key="a")
    send(dedupe_key="b", origin="factcheck")
    services.consent_opt_out(channel="whatsapp", address="081234567890", source="x")
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {S.HELD}
    services.outbox_send_due(channel="whatsapp")
    assert fake_whatsapp.requests == []
    # Other channels of the same number are not concerned.
    assert send(channel="sms", dedupe_key="c").status == S.QUEUED


def test_consent_keeps_source_and_time_without_the_number() -> None:
    services.consent_opt_in(channel="sms", address=PHONE, source="newsroom.subscribe")
    consent = Consent.objects.get()
    assert consent.status == Consent.Status.OPTED_IN
    assert consent.opted_in_source == "newsroom.subscribe"
    assert consent.opted_in_at is not None
    assert "6281234567890" not in f"{consent.address_hash}{consent.address_masked}"
    services.consent_opt_out(channel="sms", address=PHONE, source="command")
    consent.refresh_from_db()
    assert consent.status == Consent.Status.OPTED_OUT
    assert consent.opted_in_source == "newsroom.subscribe"  # the history stays


def test_send_due_marks_each_row_sent_with_the_provider_id(fake_whatsapp) -> None:
    changes: list[routes.StatusChange] = []
    routes.register_status_handler(origin="newsroom", handler=changes.append)
    for n in range(3):
        send(dedupe_key=f"k{n}", to=f"+62812345678{n}0", reference=f"d{n}")
    totals = services.outbox_send_due(channel="whatsapp")
    assert totals["sent"] == 3
    rows = list(OutboxMessage.objects.order_by("pk"))
    assert [r.status for r in rows] == [S.SENT] * 3
    assert [r.provider_message_id for r in rows] == [
        "wamid.fake1",
        "wamid.fake2",
        "wamid.fake3",
    ]
    assert all(r.attempts == 1 and r.sent_at and r.claimed_until is None for r in rows)
    assert [(c.reference, c.status) for c in changes] == [
        ("d0", "sent"),
        ("d1", "sent"),
        ("d2", "sent"),
    ]
    # Run again: nothing more goes out.
    services.outbox_send_due(channel="whatsapp")
    assert len(fake_whatsapp.requests) == 3


def test_not_before_defers_a_message(fake_whatsapp) -> None:
    later = timezone.now() + timedelta(hours=8)
    send(not_before=later)
    services.outbox_send_due(channel="whatsapp")
    assert fake_whatsapp.requests == []
    services.outbox_send_due(channel="whatsapp", now=later + timedelta(seconds=1))
    assert len(fake_whatsapp.requests) == 1


def test_whatsapp_window_picks_text_or_template(fake_whatsapp) -> None:
    send(dedupe_key="closed", template="hasil_cek_fakta", parameters=["Hoaks"])
    services.outbox_send_due(channel="whatsapp")
    services.inbound_seen(channel="whatsapp", address=PHONE)
    send(dedupe_key="open", template="hasil_cek_fakta", parameters=["Hoaks"])
    services.outbox_send_due(channel="whatsapp")
    first, second = (r.body for r in fake_whatsapp.requests)
    assert first["type"] == "template"
    assert second["type"] == "text" and second["text"]["body"] == "Halo"


def test_temporary_errors_are_retried_with_backoff_then_fail(
    fake_whatsapp, settings
) -> None:
    settings.CHANNELS_MAX_ATTEMPTS = 2
    send()
    fake_whatsapp.fail_next(503, {}, times=2)
    assert services.outbox_send_due(channel="whatsapp")["retry"] == 1
    row = OutboxMessage.objects.get()
    assert row.status == S.QUEUED and row.attempts == 1 and "503" in row.error
    assert row.not_before > timezone.now() + timedelta(seconds=50)
    services.outbox_send_due(channel="whatsapp")  # not due yet
    assert len(fake_whatsapp.requests) == 1
    services.outbox_send_due(channel="whatsapp", now=row.not_before)
    row.refresh_from_db()
    assert row.status == S.FAILED and row.attempts == 2


def test_retry_after_stops_the_batch_and_is_honoured(fake_telegram) -> None:
    for n in range(3):
        send(channel="telegram", to=str(100 + n), dedupe_key=f"t{n}")
    fake_telegram.flood(retry_after=600)
    totals = services.outbox_send_due(channel="telegram")
    assert totals["retry"] == 1 and totals["sent"] == 0
    assert len(fake_telegram.requests) == 1  # the rest wait for the next run
    first = OutboxMessage.objects.order_by("pk").first()
    assert first.not_before >= timezone.now() + timedelta(seconds=590)
    # The others were released at once, not left leased.
    assert services.outbox_send_due(channel="telegram")["sent"] == 2


def test_permanent_error_fails_at_once(fake_telegram) -> None:
    send(channel="telegram", to="100")
    fake_telegram.blocked()
    assert services.outbox_send_due(channel="telegram")["failed"] == 1
    row = OutboxMessage.objects.get()
    assert row.status == S.FAILED and "blocked" in row.error and row.attempts == 1


class DiesAfter(Sender):
    """Hands messages to the real sender, then the worker dies (SIGTERM's
    SystemExit) after the provider accepted the ``n``-th: before it is marked."""

    channel = "whatsapp"

    def __init__(self, n: int) -> None:
        self.inner = WhatsAppSender()
        self.n = n
        self.count = 0

    def send(self, message: Outgoing) -> str:
        provider_id = self.inner.send(message)
        self.count += 1
        if self.count == self.n:
            raise SystemExit(1)
        return provider_id


def test_a_worker_killed_mid_batch_resends_nothing(fake_whatsapp, settings) -> None:
    for n in range(10):
        send(dedupe_key=f"k{n}", to=f"+6281234567{n:03d}")
    with pytest.raises(SystemExit):
        services.outbox_send_due(channel="whatsapp", sender=DiesAfter(4))
    assert len(fake_whatsapp.requests) == 4
    statuses = list(
        OutboxMessage.objects.order_by("pk").values_list("status", flat=True)
    )
    assert statuses[:3] == [S.SENT] * 3
    assert statuses[3] == S.SENDING  # accepted by the provider, not yet marked
    assert statuses[4:] == [S.QUEUED] * 6
    # The next worker sends the rest, and never the one in doubt.
    assert services.outbox_send_due(channel="whatsapp")["sent"] == 6
    later = timezone.now() + timedelta(seconds=settings.CHANNELS_SEND_LEASE_SECONDS + 1)
    assert services.outbox_interrupted_fail(now=later) == 1
    services.outbox_send_due(channel="whatsapp", now=later)
    recipients = [r.body["to"] for r in fake_whatsapp.requests]
    assert sorted(recipients) == sorted(f"6281234567{n:03d}" for n in range(10))
    assert OutboxMessage.objects.get(status=S.FAILED).error.startswith("interrupted")


def test_status_reports_only_move_forward() -> None:
    row = send()
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=S.SENT, provider_message_id="w1"
    )

    def update(status: str) -> str:
        services.message_status_update(
            channel="whatsapp", provider_message_id="w1", status=status, error="e"
        )
        row.refresh_from_db()
        return row.status

    assert update("read") == S.READ
    assert row.read_at and row.delivered_at
    assert update("delivered") == S.READ  # late report: no step back
    assert update("failed") == S.READ  # failed replaces only queued/sending/sent
    OutboxMessage.objects.filter(pk=row.pk).update(status=S.SENT)
    assert update("failed") == S.FAILED and row.error == "e"
    assert (
        services.message_status_update(
            channel="sms", provider_message_id="w1", status="read"
        )
        == 0
    )  # another channel's id


def test_bulk_fan_out(fake_sms) -> None:
    services.consent_opt_out(channel="sms", address="+6281200000003", source="x")
    drafts = [
        services.Draft(
            to=f"+628120000000{n}", dedupe_key=f"item1:{n}", body=f"Kabar {n}"
        )
        for n in range(6)
    ] + [services.Draft(to="bad", dedupe_key="item1:bad", body="x")]
    assert (
        services.messages_send_bulk(
            channel="sms", drafts=drafts, origin="newsroom", batch_size=4
        )
        == 6
    )
    # Run again (a fan-out resumed after a crash): nothing doubles.
    services.messages_send_bulk(channel="sms", drafts=drafts, origin="newsroom")
    assert OutboxMessage.objects.count() == 6
    assert OutboxMessage.objects.get(to="+6281200000003").status == S.HELD
    assert services.outbox_send_due(channel="sms")["sent"] == 5
    assert sorted(b["text"] for b in fake_sms.bodies()) == [
        f"Kabar {n}" for n in (0, 1, 2, 4, 5)
    ]


def test_email_gets_a_working_unsubscribe_link(mail, client) -> None:
    send(channel="email", to="Ani@Example.org", subject="Kabar", body="Isi")
    services.outbox_send_due(channel="email")
    link = mail[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("http://testserver")
    page = client.get(path)
    assert page.status_code == 200
    assert not Consent.objects.filter(status=Consent.Status.OPTED_OUT).exists()
    assert client.post(path).status_code == 200
    consent = Consent.objects.get(channel="email")
    assert consent.status == Consent.Status.OPTED_OUT
    assert consent.opted_out_source == "unsubscribe_link"
    assert send(channel="email", to="ani@example.org", dedupe_key="k2").status == S.HELD
    assert client.get("/berhenti/forged/").status_code == 400


def test_the_email_link_offers_erasure_of_its_own_address(mail, client) -> None:
    """The link carries the address sealed (never in clear); its page's second
    button erases, the first and the mail client's one-click only stop."""
    erased = []

    def erase(*, channel: str, address: str) -> int:
        erased.append((channel, address))
        return 1

    routes.register_data_provider(
        "newsroom", summary=lambda channel, address: [], erase=erase
    )
    send(channel="email", to="Ani@Example.org", subject="Kabar", body="Isi")
    services.outbox_send_due(channel="email")
    link = mail[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert "ani" not in link.lower()
    path = link.removeprefix("http://testserver")
    assert 'name="erase"' in client.get(path).content.decode()
    client.post(path, {"List-Unsubscribe": "One-Click"})
    assert erased == [] and Consent.objects.get().erased_at is None
    page = client.post(path, {"erase": "1"}).content.decode()
    assert "dihapus" in page
    assert erased == [("email", "ani@example.org")]
    assert Consent.objects.get().erased_at is not None
    assert OutboxMessage.objects.get().to == ""
    # A token whose sealed address is not the hashed one offers the stop alone.
    other = signing.dumps(
        {
            "c": "email",
            "h": addresses.address_hash("email", "ani@example.org"),
            "a": addresses.seal("budi@example.org"),
        },
        salt=services.UNSUBSCRIBE_SALT,
    )
    assert 'name="erase"' not in client.get(f"/berhenti/{other}/").content.decode()
    client.post(f"/berhenti/{other}/", {"erase": "1"})
    assert erased == [("email", "ani@example.org")]


def test_erase_removes_content_and_asks_the_apps() -> None:
    erased = []

    def erase(*, channel: str, address: str) -> int:
        erased.append((channel, address))
        return 1

    routes.register_data_provider(
        "newsroom", summary=lambda channel, address: ["Langganan: 1"], erase=erase
    )
    send(body="Rahasia")
    counts = services.address_erase(channel="whatsapp", address=PHONE)
    assert counts["newsroom"] == 1 and erased == [("whatsapp", PHONE)]
    row = OutboxMessage.objects.get()
    assert row.to == "" and row.body == "" and row.status == S.HELD
    assert row.dedupe_key == f"erased:{row.pk}"
    consent = Consent.objects.get()
    assert consent.erased_at and consent.status == Consent.Status.OPTED_OUT
    lines = services.data_summary(channel="whatsapp", address=PHONE)
    assert "Langganan: 1" in lines


class Broken(Sender):
    channel = "whatsapp"

    def __init__(self) -> None:
        self.inner = WhatsAppSender()

    def send(self, message: Outgoing) -> str:
        if message.body == "bad":
            raise KeyError("title")
        return self.inner.send(message)


def test_a_fault_with_one_row_does_not_stop_the_queue(fake_whatsapp, caplog) -> None:
    send(dedupe_key="a", body="bad")
    send(dedupe_key="b", body="good")
    totals = services.outbox_send_due(channel="whatsapp", sender=Broken())
    assert totals["failed"] == 1 and totals["sent"] == 1
    assert OutboxMessage.objects.get(dedupe_key="a").error.startswith("internal error")
    assert "sending outbox message" in caplog.text
