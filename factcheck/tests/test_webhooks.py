"""The tipline's bots through channels' one webhook per provider: tips, commands
and buttons routed to factcheck (``factcheck.hooks`` → ``tipline.register``),
BERHENTI/HAPUS/DATA handled by channels, replies sent to channels' fakes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import Role
from channels.models import Consent, InboundEvent, OutboxMessage
from channels.testing import (
    telegram_update,
    whatsapp_payload,
    whatsapp_text,
)
from factcheck import services
from factcheck.models import Claim, FactCheck, Tip, Tipster
from factcheck.tests.conftest import KNOWN_HOAX, NEW_RUMOUR

pytestmark = pytest.mark.django_db
TG = "/hooks/telegram/"
WA = "/hooks/whatsapp/"
CHAT = 4242
PHONE = "+6281234567890"


def tg_texts(fake_telegram) -> list[str]:
    return [b["text"] for b in fake_telegram.bodies("/sendMessage")]


def handled_by(update_key: str) -> str:
    return InboundEvent.objects.get(event_key=update_key).handled_by


def test_one_telegram_url_takes_a_tip_a_stop_and_a_button(
    client: Client, corpus, hooks, fake_telegram
) -> None:
    """The same webhook URL: the tip becomes a Tip and a Claim, /berhenti opts
    the chat out in channels, the button reply reaches factcheck's button route."""
    assert hooks.tg(client, 1, NEW_RUMOUR).json()["result"] == "queued"
    tip = Tip.objects.get()
    assert tip.channel == "telegram" and tip.claim == Claim.objects.get()
    assert tip.tipster.channel == "telegram"
    assert handled_by("update:1") == "factcheck.tip"
    assert "sedang mengeceknya" in tg_texts(fake_telegram)[-1]

    hooks.tg(client, 2, "/berhenti")
    consent = Consent.objects.get(channel="telegram")
    assert consent.status == Consent.Status.OPTED_OUT
    assert consent.opted_out_source == "command"
    assert handled_by("update:2") == "channels.stop"
    assert "tidak akan menerima" in tg_texts(fake_telegram)[-1]

    blt = FactCheck.objects.get(external_id="t-blt")
    hooks.telegram(
        client,
        {
            "update_id": 3,
            "callback_query": {
                "id": "cq1",
                "from": {"id": CHAT},
                "data": f"fc:fakta:{blt.pk}",
                "message": {"message_id": 5, "chat": {"id": CHAT}},
            },
        },
    )
    assert handled_by("update:3") == "factcheck.button"
    event = InboundEvent.objects.get(event_key="update:3")
    answer = OutboxMessage.objects.get(dedupe_key__endswith=f":event:{event.pk}")
    # Answered by its route, and held: the chat had opted out just before.
    assert blt.title in answer.body and answer.status == "held"
    assert fake_telegram.bodies("answerCallbackQuery") == [{"callback_query_id": "cq1"}]


def test_whatsapp_tip_on_the_one_url_is_answered(
    client: Client, corpus, hooks, fake_whatsapp
) -> None:
    assert hooks.wa(client, "wamid.A", KNOWN_HOAX).json()["result"] == "queued"
    tip = Tip.objects.get()
    assert tip.channel == "whatsapp" and tip.decision == "match"
    assert tip.tipster.masked == "+62812•••••890"
    assert Claim.objects.get().tip_count == 1
    (sent,) = fake_whatsapp.requests
    assert sent.path == "/v21.0/1055/messages"
    assert sent.body["to"] == "6281234567890" and sent.body["type"] == "text"
    assert "PENIPUAN" in sent.body["text"]["body"]
    # A replay of Meta's call, or the same message in a new call: one tip.
    hooks.wa(client, "wamid.A", KNOWN_HOAX)
    hooks.whatsapp(
        client,
        whatsapp_payload(
            messages=[whatsapp_text("6281234567890", KNOWN_HOAX, "wamid.A")],
            statuses=[],
        ),
    )
    assert Tip.objects.count() == 1 and len(fake_whatsapp.requests) == 1


def test_a_verdict_is_held_back_after_berhenti(
    client: Client, corpus, hooks, fake_whatsapp, make_user
) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    hooks.wa(client, "wamid.1", NEW_RUMOUR)
    hooks.wa(client, "wamid.2", "BERHENTI")
    assert Consent.objects.get(channel="whatsapp").status == "opted_out"
    sent_before = len(fake_whatsapp.requests)
    claim = Claim.objects.get()
    erau = FactCheck.objects.get(external_id="t-erau")
    services.claim_confirm_match(actor=checker, claim=claim, factcheck=erau)
    verdict = OutboxMessage.objects.get(reference__startswith="verdict:")
    assert verdict.status == "held" and verdict.error == "opted out"
    assert len(fake_whatsapp.requests) == sent_before  # nothing went out
    # The desk sees that this sender stopped (the number stays masked).
    client.force_login(checker)
    page = client.get(f"/staf/cek-fakta/klaim/{claim.pk}/").content.decode()
    assert '+62812•••••890 <span class="muted">(berhenti berlangganan)' in page


def test_telegram_replays_are_processed_once(
    client: Client, corpus, hooks, fake_telegram
) -> None:
    assert hooks.tg(client, 11, NEW_RUMOUR).json()["result"] == "queued"
    assert hooks.tg(client, 11, NEW_RUMOUR).json()["result"] == "duplicate"
    assert Tip.objects.count() == 1
    (text,) = tg_texts(fake_telegram)
    assert "sedang mengeceknya" in text


def test_commands_and_bad_messages_get_polite_replies(
    client: Client, corpus, hooks, fake_telegram
) -> None:
    cases = [
        ("/start", "factcheck.start", "Cek Fakta"),
        ("menu", "factcheck.tip", "Cek Fakta"),
        ("🙏🙏🙏", "factcheck.tip", "Maaf"),
        ("x" * 6000, "factcheck.tip", "terlalu panjang"),
        ("<script>alert(1)</script>", "factcheck.tip", "kosong"),
        ("WILAYAH Kukar", "factcheck.tip", "Kutai Kartanegara"),
        ("/wilayah Berau", "factcheck.region", "Berau"),
        ("/wilayah Atlantis", "factcheck.region", "tidak menemukan"),
    ]
    for n, (text, route, reply) in enumerate(cases, start=100):
        assert hooks.tg(client, n, text).status_code == 200
        assert handled_by(f"update:{n}") == route, text
        assert reply in tg_texts(fake_telegram)[-1], text
    photo = {
        "update_id": 200,
        "message": {
            "message_id": 200,
            "chat": {"id": CHAT},
            "photo": [{"file_id": "small"}, {"file_id": "big"}],
        },
    }
    hooks.telegram(client, photo)
    # The picture is not on the (fake) server: a polite answer, nothing stored.
    assert "gambar Anda tidak dapat kami ambil" in tg_texts(fake_telegram)[-1]
    photo["update_id"] = 201
    photo["message"]["caption"] = KNOWN_HOAX  # type: ignore[index]
    hooks.telegram(client, photo)
    assert "PENIPUAN" in tg_texts(fake_telegram)[-1]
    assert Tipster.objects.get().region_id == "64.03"  # Berau, the last one set
    assert Tip.objects.count() == 1


def test_hapus_erases_the_tipster_through_channels(
    client: Client, corpus, hooks, fake_telegram
) -> None:
    hooks.tg(client, 300, NEW_RUMOUR)
    hooks.tg(client, 301, "DATA")
    assert "Cek Fakta: 1 pesan yang Anda kirim" in tg_texts(fake_telegram)[-1]
    hooks.tg(client, 302, "HAPUS")
    assert handled_by("update:302") == "channels.erase"
    assert not Tipster.objects.exists()
    tip = Tip.objects.get()
    assert tip.tipster is None and tip.text  # the tip stays, without its sender
    assert "dihapus" in tg_texts(fake_telegram)[-1].lower() or "erased" in (
        tg_texts(fake_telegram)[-1].lower()
    )
    assert Consent.objects.get(channel="telegram").erased_at is not None


def test_tips_are_rate_limited_per_chat(
    client: Client, corpus, hooks, settings
) -> None:
    settings.TIPLINE_RATE = "2/m"
    for n in range(3):
        hooks.tg(client, 400 + n, NEW_RUMOUR + f" {n}")
    assert Tip.objects.count() == 2
    hooks.tg(client, 500, NEW_RUMOUR, chat=777)
    assert Tip.objects.count() == 3


def test_the_old_tipline_urls_are_aliases_of_the_hooks(
    client: Client, corpus, hooks, fake_whatsapp, caplog
) -> None:
    old_tg, old_wa = "/tipline/telegram/", "/tipline/whatsapp/"
    refused = hooks.telegram(
        client, telegram_update(1, CHAT, NEW_RUMOUR), url=old_tg, secret="x"
    )
    assert refused.status_code == 403 and "bad secret token" in caplog.text
    assert (
        hooks.telegram(
            client, telegram_update(1, CHAT, NEW_RUMOUR), url=old_tg
        ).status_code
        == 200
    )
    assert Tip.objects.filter(channel="telegram").count() == 1
    payload = whatsapp_payload(
        messages=[whatsapp_text("6281234567890", KNOWN_HOAX, "w1")]
    )
    assert hooks.whatsapp(client, payload, url=old_wa, secret="x").status_code == 403
    assert hooks.whatsapp(client, payload, url=old_wa).status_code == 200
    assert Tip.objects.filter(channel="whatsapp").count() == 1
    verify = client.get(
        old_wa,
        {
            "hub.mode": "subscribe",
            "hub.verify_token": "wa-verify",
            "hub.challenge": "42",
        },
    )
    assert verify.status_code == 200 and verify.content == b"42"


def test_another_apps_opt_in_word_is_not_taken_for_a_tip(
    client: Client, corpus, hooks, fake_whatsapp
) -> None:
    hooks.wa(client, "wamid.L", "LANGGANAN Samarinda")
    assert not Tip.objects.exists()
    assert handled_by("wamid.L") != "factcheck.tip"
    assert Consent.objects.get(channel="whatsapp").status == "opted_in"


def test_the_show_button_on_whatsapp_answers_with_the_verdict(
    client: Client, corpus, hooks, fake_whatsapp
) -> None:
    blt = FactCheck.objects.get(external_id="t-blt")
    press: dict[str, Any] = {
        "from": "6281234567890",
        "id": "wamid.btn",
        "timestamp": "1",
        "type": "interactive",
        "interactive": {
            "type": "button_reply",
            "button_reply": {"id": f"fc:fakta:{blt.pk}", "title": "Lihat hasilnya"},
        },
    }
    hooks.whatsapp(client, whatsapp_payload(messages=[press]))
    assert handled_by("wamid.btn") == "factcheck.button"
    (sent,) = fake_whatsapp.requests
    assert sent.body["type"] == "text" and blt.title in sent.body["text"]["body"]
    # A button of ours with an id that is not (or no longer) a published one.
    press["id"] = "wamid.b2"
    press["interactive"] = {
        "type": "button_reply",
        "button_reply": {"id": "fc:fakta:0", "title": "Lihat hasilnya"},
    }
    hooks.whatsapp(client, whatsapp_payload(messages=[press]))
    assert "tidak lagi tersedia" in fake_whatsapp.requests[-1].body["text"]["body"]
    assert not Tip.objects.exists()


def _queries_of_a_whatsapp_tip(
    client: Client, hooks, message_id: str, text: str
) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert hooks.wa(client, message_id, text).json()["result"] == "queued"
    return len(queries.captured_queries)


def test_a_whatsapp_tip_costs_a_bounded_number_of_queries(
    client: Client, corpus, hooks, fake_whatsapp
) -> None:
    """Webhook, processing, matching, claim, tip, reply and its sending, for a
    sender seen for the first time: in a surge every query is paid ten
    thousand times a minute (rows read or made in the same transaction are not looked
    up again to validate them)."""
    first = _queries_of_a_whatsapp_tip(client, hooks, "wamid.Q1", NEW_RUMOUR)
    assert Tip.objects.count() == 1 and len(fake_whatsapp.requests) == 1
    # 71 before (SQLite here; PostgreSQL adds savepoints); 2 of these are the
    # batch's claim of calls waiting (alone here, shared by a surge's batch).
    assert first <= 63
    # The answer is still the claim's, the tip still its claim's and sender's.
    tip = Tip.objects.get()
    assert tip.claim.tip_count == 1 and tip.tipster.channel == "whatsapp"
    assert "sedang mengeceknya" in fake_whatsapp.requests[0].body["text"]["body"]
