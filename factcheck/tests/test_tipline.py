"""The bots' confirmation step: a likely match is answered with the candidates
and a button each (Telegram inline keyboard, WhatsApp reply buttons or list),
a press gives the verdict and links the tip, "Tidak ada" goes to the desk."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from channels.models import InboundEvent, OutboxMessage
from channels.testing import telegram_callback, whatsapp_payload, whatsapp_reply
from factcheck.models import (
    Claim,
    ConfirmationState,
    FactCheck,
    MatchPair,
    Tip,
    TipConfirmation,
)

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
