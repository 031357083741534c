"""Writes of the tipline's confirmation step and of labelled pairs.

A tip that likely (not surely) matches a fact-check is answered with up to three
candidates and the question "is it one of these?" (``TipConfirmation``). The
sender's answer links the tip to the chosen fact-check, or sends its claim to the
desk ("none of these", or no answer within ``TIPLINE_CONFIRM_HOURS``). Every
link of a tip to an existing fact-check, by its sender or at the desk, is kept as
a ``MatchPair``: what the matcher is measured (and later re-trained) on.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from factcheck import clustering
from factcheck import messages as texts
from factcheck.models import (
    Channel,
    Claim,
    ConfirmationState,
    FactCheck,
    MatchPair,
    Tip,
    TipConfirmation,
)
from factcheck.personal import contact_hash

# Button ids: ``fc:k:<token>:<n>``, n = 1…3 a candidate, 0 "none of these".
BUTTON_PREFIX = "fc:k:"
NONE_CHOICE = 0
ASKED_ON = (Channel.WEB, Channel.TELEGRAM, Channel.WHATSAPP)
SOURCES = {
    Channel.WEB: MatchPair.Source.TIPSTER_WEB,
    Channel.TELEGRAM: MatchPair.Source.TIPSTER_TELEGRAM,
    Channel.WHATSAPP: MatchPair.Source.TIPSTER_WHATSAPP,
}
# WhatsApp's limits: 3 reply buttons of 20 characters; list rows of 24 + 72.
WA_BUTTONS, WA_BUTTON_TITLE, WA_ROW_TITLE, WA_ROW_TEXT = 3, 20, 24, 72


def button_id(confirmation: TipConfirmation, choice: int) -> str:
    return f"{BUTTON_PREFIX}{confirmation.token}:{choice}"


def button_parse(value: str) -> tuple[str, int] | None:
    """``(token, choice)`` of a button id, or None when it is not one of ours."""
    if not value.startswith(BUTTON_PREFIX):
        return None
    token, _, choice = value[len(BUTTON_PREFIX) :].partition(":")
    if not token or not choice.isdigit() or len(choice) > 1:
        return None
    return token, int(choice)


def confirmation_ask(*, tip: Tip, candidates: list[FactCheck]) -> TipConfirmation:
    """Store the question put to the tip's sender (the candidates in order)."""
    confirmation = TipConfirmation(
        tip=tip,
        token=secrets.token_urlsafe(12),  # 16 characters, 96 random bits
        candidates=[fc.pk for fc in candidates],
        channel=tip.channel,
    )
    # A question just asked: the tip was saved a moment ago in this
    # transaction, the token is 96 random bits (unique in the database too),
    # and the constraints are about answers. The fields are still checked.
    confirmation.full_clean(
        exclude=["tip"], validate_unique=False, validate_constraints=False
    )
    confirmation.save()
    return confirmation


def confirmation_candidates(confirmation: TipConfirmation) -> list[FactCheck]:
    """The candidates still published, in the order shown."""
    found = FactCheck.objects.in_bulk(confirmation.candidates)
    return [found[pk] for pk in confirmation.candidates if pk in found]


def confirmation_interactive(
    confirmation: TipConfirmation, candidates: list[FactCheck]
) -> dict[str, Any]:
    """The choices as ``channels`` sends them: a Telegram inline keyboard;
    WhatsApp reply buttons when they fit (three), else a list."""
    none = {"id": button_id(confirmation, NONE_CHOICE), "title": texts.NONE_BUTTON}
    numbered = [
        (n, fc, button_id(confirmation, n)) for n, fc in enumerate(candidates, 1)
    ]
    if confirmation.channel == Channel.TELEGRAM:
        # An inline keyboard, one row per choice (channels turns a list's rows
        # into one; reply buttons stop at WhatsApp's three).
        rows = [
            {"id": bid, "title": f"{n}. {fc.verdict_label}: {fc.title}"}
            for n, fc, bid in numbered
        ]
        return {
            "list": {"button": texts.LIST_BUTTON, "sections": [{"rows": [*rows, none]}]}
        }
    if len(numbered) + 1 <= WA_BUTTONS:
        return {
            "buttons": [
                {"id": bid, "title": f"{n}. {fc.verdict_label}"[:WA_BUTTON_TITLE]}
                for n, fc, bid in numbered
            ]
            + [none]
        }
    rows = [
        {
            "id": bid,
            "title": f"{n}. {fc.verdict_label}"[:WA_ROW_TITLE],
            "description": _clip(fc.title, WA_ROW_TEXT),
        }
        for n, fc, bid in numbered
    ]
    rows.append(none)
    return {"list": {"button": texts.LIST_BUTTON, "sections": [{"rows": rows}]}}


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


@dataclass
class Answer:
    """What became of a sender's answer, and what to tell them."""

    state: str  # confirmed, none, answered (earlier), closed, gone, unknown
    reply: str
    factcheck: FactCheck | None = None
    confirmation: TipConfirmation | None = field(default=None, repr=False)


@transaction.atomic
def confirmation_answer(
    *, token: str, choice: int, channel: str, contact: str = ""
) -> Answer:
    """The sender's answer: candidate ``choice`` (1…3) or 0 for none of these.

    Stale or replayed presses (answered already, expired, not this sender's)
    change nothing and get a polite line. ``contact``: the chat id or number the
    press came from (bots); it must be the tip's sender.
    """
    confirmation = (
        TipConfirmation.objects.select_for_update(of=("self",))
        .select_related("tip", "tip__tipster", "chosen")
        .filter(token=token)
        .first()
    )
    if confirmation is None or not _same_sender(confirmation, channel, contact):
        return Answer("unknown", texts.GONE)
    if confirmation.state == ConfirmationState.CONFIRMED:
        return Answer(
            "answered", texts.ALREADY_ANSWERED, confirmation.chosen, confirmation
        )
    if confirmation.state == ConfirmationState.NONE:
        return Answer("answered", texts.ALREADY_ANSWERED, None, confirmation)
    if confirmation.state == ConfirmationState.UNKNOWN:
        return Answer("closed", texts.QUESTION_CLOSED, None, confirmation)
    now = timezone.now()
    if choice == NONE_CHOICE:
        confirmation.state = ConfirmationState.NONE
        confirmation.answered_at = now
        confirmation.save(update_fields=["state", "answered_at"])
        _claims_to_desk([confirmation.tip.claim_id])
        return Answer("none", texts.SENT_TO_DESK, None, confirmation)
    if not 1 <= choice <= len(confirmation.candidates):
        return Answer("unknown", texts.GONE, None, confirmation)
    factcheck = FactCheck.objects.filter(
        pk=confirmation.candidates[choice - 1], status=FactCheck.Status.PUBLISHED
    ).first()
    if factcheck is None:  # withdrawn since: the question stays open
        return Answer("gone", texts.GONE, None, confirmation)
    confirmation.state = ConfirmationState.CONFIRMED
    confirmation.chosen = factcheck
    confirmation.answered_at = now
    confirmation.full_clean()
    confirmation.save(update_fields=["state", "chosen", "answered_at"])
    tip = confirmation.tip
    _tip_link(tip, factcheck, now)
    pair_record(
        tip=tip, factcheck=factcheck, source=SOURCES[Channel(confirmation.channel)]
    )
    return Answer(
        "confirmed", texts.confirmed_reply(factcheck), factcheck, confirmation
    )


def _same_sender(confirmation: TipConfirmation, channel: str, contact: str) -> bool:
    """A bot's button press counts only from the chat the question went to."""
    if channel == Channel.WEB:
        return confirmation.channel == Channel.WEB
    tipster = confirmation.tip.tipster
    return (
        tipster is not None
        and tipster.channel == channel
        and bool(contact)
        and tipster.contact_hash == contact_hash(channel, contact)
    )


def _tip_link(tip: Tip, factcheck: FactCheck, now: datetime) -> None:
    """Answer the tip by ``factcheck``: its claim becomes that fact-check's when
    the tip is all it holds, else the tip moves to the fact-check's claim."""
    Tip.objects.filter(pk=tip.pk).update(matched=factcheck)
    claim = Claim.objects.select_for_update().get(pk=tip.claim_id)
    if claim.status == Claim.Status.PUBLISHED:
        return  # the desk answered this story meanwhile; its answer stands
    alone = not claim.tips.exclude(pk=tip.pk).exists()
    if alone and claim.status in (Claim.Status.AWAITING, Claim.Status.NEW):
        claim.status = Claim.Status.PUBLISHED
        claim.factcheck = factcheck
        claim.auto_answered = True
        claim.topic = factcheck.topic
        claim.full_clean()
        claim.save()
        return
    target = (
        Claim.objects.filter(factcheck=factcheck, status=Claim.Status.PUBLISHED)
        .order_by("-last_seen_at")
        .first()
    )
    if target is None:
        target = Claim(
            text=tip.text,
            signature=clustering.minhash(tip.text),
            status=Claim.Status.PUBLISHED,
            factcheck=factcheck,
            auto_answered=True,
            topic=factcheck.topic,
            first_seen_at=tip.received_at,
            last_seen_at=now,
        )
        target.full_clean()
        target.save()
    Tip.objects.filter(pk=tip.pk).update(claim=target)
    Claim.objects.filter(pk=claim.pk).update(tip_count=F("tip_count") - 1)
    Claim.objects.filter(pk=target.pk).update(
        tip_count=F("tip_count") + 1, last_seen_at=now
    )


def _claims_to_desk(claim_ids: list[int]) -> int:
    """Claims waiting for their senders go to the desk's queue (as new)."""
    return Claim.objects.filter(pk__in=claim_ids, status=Claim.Status.AWAITING).update(
        status=Claim.Status.NEW
    )


def confirmations_expire(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Questions unanswered after ``TIPLINE_CONFIRM_HOURS``: the answer is
    unknown and the claim goes to the desk. Safe to run twice or in parallel
    (rows are locked and skipped by another run). Returns how many expired."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.TIPLINE_CONFIRM_HOURS)
    expired = 0
    while True:
        with transaction.atomic():
            rows = list(
                TipConfirmation.objects.select_for_update(
                    skip_locked=True, of=("self",)
                )
                .filter(state=ConfirmationState.PENDING, created_at__lt=cutoff)
                .values_list("pk", "tip__claim_id")[:batch]
            )
            if not rows:
                return expired
            TipConfirmation.objects.filter(pk__in=[pk for pk, _ in rows]).update(
                state=ConfirmationState.UNKNOWN
            )
            _claims_to_desk(sorted({claim for _, claim in rows}))
        expired += len(rows)


def pair_record(
    *, tip: Tip, factcheck: FactCheck, source: str, user: User | None = None
) -> MatchPair:
    """Keep "this message is answered by this fact-check" (once per pair)."""
    pair, _ = MatchPair.objects.get_or_create(
        tip=tip,
        factcheck=factcheck,
        defaults={"text": tip.text, "source": source, "user": user},
    )
    return pair


def pairs_record_for_claim(*, claim: Claim, factcheck: FactCheck, user: User) -> int:
    """The desk linked ``claim`` to an existing fact-check: one pair per tip."""
    existing = set(
        MatchPair.objects.filter(tip__claim=claim, factcheck=factcheck).values_list(
            "tip_id", flat=True
        )
    )
    pairs = [
        MatchPair(
            tip_id=pk,
            factcheck=factcheck,
            text=text,
            source=MatchPair.Source.DESK,
            user=user,
        )
        for pk, text in claim.tips.values_list("pk", "text")
        if pk not in existing
    ]
    MatchPair.objects.bulk_create(pairs, ignore_conflicts=True)
    return len(pairs)
