"""The bots' confirmation step: a likely match is answered with the candidates
and a button each (Telegram inline keyboard, WhatsApp reply buttons or list),
a press gives the verdict and links the tip, "Tidak ada" goes to the desk."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from channels.models import InboundEvent, OutboxMessage
from channels.routes import Inbound
from channels.testing import telegram_callback, whatsapp_payload, whatsapp_reply
from factcheck.models import (
    Claim,
    ConfirmationState,
    FactCheck,
    MatchPair,
    Tip,
    TipConfirmation,
)
from factcheck.tests.conftest import KNOWN_HOAX, NEW_RUMOUR

pytestmark = pytest.mark.django_db
# A paraphrase of the BTS tower hoax: likely (``suggest``), not certain.
PARAPHRASE = "katanya tower sinyal baru di kampung bikin kanker, tolak aja"
CHAT = 4242
PHONE = "6281234567890"


def keyboard(fake_telegram: Any) -> list[dict[str, str]]:
    (sent,) = [b for b in fake_telegram.bodies("/sendMessage") if "reply_markup" in b]
    return [row[0] for row in sent["reply_markup"]["inline_keyboard"]]


def last_text(fake_telegram: Any) -> str:
    return fake_telegram.bodies("/sendMessage")[-1]["text"]


def test_telegram_tip_gets_a_keyboard_and_a_press_gives_the_verdict(
    client: Client, corpus, hooks, fake_telegram
) -> None:
    hooks.tg(client, 1, PARAPHRASE)
    tip = Tip.objects.get()
    assert tip.decision == "suggest"
    assert tip.claim.status == Claim.Status.AWAITING  # not at the desk yet
    question = last_text(fake_telegram)
    assert "Apakah salah satu ini pesan yang Anda terima?" in question
    assert "belum pernah" not in question.lower()
    buttons = keyboard(fake_telegram)
    assert len(buttons) == 4 and buttons[-1]["text"] == "Tidak ada"
    tower = FactCheck.objects.get(external_id="t-tower")
    assert buttons[0]["text"].startswith("1. SALAH: Menara BTS")
    # The callback data is an opaque reference: no chat id, no text.
    for button in buttons:
        assert button["callback_data"].startswith("fc:k:")
        assert str(CHAT) not in button["callback_data"]
        assert len(button["callback_data"].encode()) <= 64

    hooks.telegram(client, telegram_callback(2, CHAT, buttons[0]["callback_data"]))
    assert InboundEvent.objects.get(event_key="update:2").handled_by == (
        "factcheck.confirm"
    )
    reply = last_text(fake_telegram)
    assert "SALAH" in reply and tower.title in reply
    tip.refresh_from_db()
    assert tip.matched == tower and tip.claim.factcheck == tower
    assert tip.claim.status == Claim.Status.PUBLISHED
    confirmation = TipConfirmation.objects.get()
    assert confirmation.state == ConfirmationState.CONFIRMED
    assert confirmation.chosen == tower and confirmation.answered_at is not None
    pair = MatchPair.objects.get()
    assert (pair.tip, pair.factcheck, pair.source) == (tip, tower, "tipster_telegram")
    assert fake_telegram.bodies("answerCallbackQuery")


def test_a_replayed_or_second_press_is_answered_once_politely(
    client: Client, corpus, hooks, fake_telegram
) -> None:
    hooks.tg(client, 1, PARAPHRASE)
    buttons = keyboard(fake_telegram)
    press = telegram_callback(2, CHAT, buttons[0]["callback_data"])
    hooks.telegram(client, press)
    sent = len(fake_telegram.bodies("/sendMessage"))
    assert hooks.telegram(client, press).json()["result"] == "duplicate"
    assert len(fake_telegram.bodies("/sendMessage")) == sent
    # Another button of the same question, later: nothing changes.
    hooks.telegram(client, telegram_callback(3, CHAT, buttons[1]["callback_data"]))
    assert "sudah kami catat" in last_text(fake_telegram)
    assert TipConfirmation.objects.get().chosen.external_id == "t-tower"
    assert MatchPair.objects.count() == 1


def test_a_press_from_another_chat_changes_nothing(
    client: Client, corpus, hooks, fake_telegram
) -> None:
    hooks.tg(client, 1, PARAPHRASE)
    data = keyboard(fake_telegram)[0]["callback_data"]
    hooks.telegram(client, telegram_callback(2, 999, data))
    assert "tidak lagi tersedia" in last_text(fake_telegram)
    assert TipConfirmation.objects.get().state == ConfirmationState.PENDING
    assert not MatchPair.objects.exists()


def test_whatsapp_tip_gets_a_list_and_a_row_reply_confirms(
    client: Client, corpus, hooks, fake_whatsapp
) -> None:
    hooks.wa(client, "wamid.A", PARAPHRASE)
    (sent,) = fake_whatsapp.requests
    interactive = sent.body["interactive"]
    # Three candidates and "Tidak ada" are four choices: a list, not buttons.
    assert interactive["type"] == "list"
    rows = interactive["action"]["sections"][0]["rows"]
    assert [r["title"] for r in rows][-1] == "Tidak ada" and len(rows) == 4
    assert OutboxMessage.objects.get().status == "sent"  # the fake accepted it
    hooks.whatsapp(
        client,
        whatsapp_payload(
            messages=[
                whatsapp_reply(
                    PHONE, rows[0]["id"], rows[0]["title"], "wamid.B", kind="list"
                )
            ]
        ),
    )
    reply = fake_whatsapp.requests[-1].body
    assert "SALAH" in reply["text"]["body"]
    pair = MatchPair.objects.get()
    assert pair.source == "tipster_whatsapp"
    assert pair.factcheck.external_id == "t-tower"


def test_whatsapp_tidak_ada_sends_the_claim_to_the_desk(
    client: Client, corpus, hooks, fake_whatsapp
) -> None:
    hooks.wa(client, "wamid.A", PARAPHRASE)
    rows = fake_whatsapp.requests[0].body["interactive"]["action"]["sections"][0][
        "rows"
    ]
    claim = Claim.objects.get()
    assert claim.status == Claim.Status.AWAITING
    hooks.whatsapp(
        client,
        whatsapp_payload(
            messages=[whatsapp_reply(PHONE, rows[-1]["id"], "Tidak ada", "wamid.B")]
        ),
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.NEW and claim.factcheck is None
    assert TipConfirmation.objects.get().state == ConfirmationState.NONE
    assert "tim pemeriksa fakta" in fake_whatsapp.requests[-1].body["text"]["body"]
    assert not MatchPair.objects.exists()


def test_whatsapp_reply_buttons_when_the_choices_fit(
    client: Client, corpus, hooks, fake_whatsapp, monkeypatch
) -> None:
    """Two candidates and "Tidak ada": three reply buttons of ≤20 characters."""
    from factcheck.services import tips

    monkeypatch.setattr(tips, "CANDIDATES", 2)
    hooks.wa(client, "wamid.A", PARAPHRASE)
    interactive = fake_whatsapp.requests[0].body["interactive"]
    assert interactive["type"] == "button"
    buttons = [b["reply"] for b in interactive["action"]["buttons"]]
    assert [b["title"] for b in buttons] == [
        "1. SALAH",
        buttons[1]["title"],
        "Tidak ada",
    ]
    assert all(len(b["title"]) <= 20 for b in buttons)
    hooks.whatsapp(
        client,
        whatsapp_payload(
            messages=[whatsapp_reply(PHONE, buttons[0]["id"], "1. SALAH", "wamid.B")]
        ),
    )
    assert MatchPair.objects.get().source == "tipster_whatsapp"


# --- a batch of tips (issue 16) -------------------------------------------------------
BATCH_TIPS = [
    (f"+62811000000{n}", text)
    for n, text in enumerate(
        [
            KNOWN_HOAX,
            PARAPHRASE,
            NEW_RUMOUR,
            "apakah benar air kelapa bisa menyembuhkan demam berdarah?",
        ]
    )
]


def test_a_batch_of_tips_is_matched_as_one_by_one_and_each_answered_once(
    corpus, fake_whatsapp, django_capture_on_commit_callbacks
) -> None:
    from channels import tasks
    from channels.models import WebhookCall
    from channels.testing import whatsapp_text
    from factcheck import matching_service, services

    expected = [
        matching_service.match(services.tip_text_clean(text), top=5)
        for _, text in BATCH_TIPS
    ]
    matching_service.forget_embeddings()  # the batch embeds them afresh
    calls = [
        WebhookCall.objects.create(
            channel="whatsapp",
            key=f"batch{n}",
            body=json.dumps(
                whatsapp_payload(
                    messages=[whatsapp_text(phone.lstrip("+"), text, f"wamid.b{n}")]
                )
            ),
        )
        for n, (phone, text) in enumerate(BATCH_TIPS)
    ]
    with django_capture_on_commit_callbacks(execute=True):  # replies sent
        tasks.inbound_process_task.call(calls[0].pk)  # takes the four at once
        for call in calls[1:]:  # their own tasks find them done
            assert tasks.inbound_process_task.call(call.pk) == []

    tips = list(Tip.objects.order_by("pk"))
    assert [t.text for t in tips] == [
        services.tip_text_clean(text) for _, text in BATCH_TIPS
    ]
    for tip, alone in zip(tips, expected, strict=True):
        best = alone["matches"][0] if alone["matches"] else None
        assert tip.score == (best["score"] if best else None)
        assert tip.matched_id == (best["id"] if best else None)
    replies = OutboxMessage.objects.filter(origin="factcheck")
    assert sorted(r.to for r in replies) == sorted(phone for phone, _ in BATCH_TIPS)
    assert len(fake_whatsapp.bodies("/messages")) == len(BATCH_TIPS)


def test_the_tips_of_a_batch_are_embedded_in_one_call(corpus, monkeypatch) -> None:
    from factcheck import matching_service, services
    from factcheck.tipline import prepare_tips

    embedder = matching_service.engine().embedder
    if embedder is None:
        pytest.skip("embedding model unavailable: matching is lexical only")
    matching_service.forget_embeddings()
    calls: list[int] = []
    inner = embedder.inner.queries

    def counted(texts: list[str]) -> object:
        calls.append(len(texts))
        return inner(texts)

    monkeypatch.setattr(embedder.inner, "queries", counted)
    events = [
        Inbound(id=0, channel="whatsapp", kind="text", address=phone, text=text)
        for phone, text in BATCH_TIPS
    ]
    events.append(
        Inbound(id=0, channel="whatsapp", kind="text", address="+1", text="menu")
    )
    prepare_tips(events)
    assert calls == [len(BATCH_TIPS)]  # the welcome word is no tip
    for _, text in BATCH_TIPS:
        matching_service.match(services.tip_text_clean(text), top=5)
    assert calls == [len(BATCH_TIPS)]  # each found remembered
