"""The confirmation step's services: expiry, wording, labelled pairs from the
desk, their export, and the decisions' figures on the staff dashboard."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from factcheck import services
from factcheck.models import (
    Channel,
    Claim,
    ConfirmationState,
    Decision,
    FactCheck,
    MatchPair,
    TipConfirmation,
)
from factcheck.selectors import decision_quality
from factcheck.services.confirmations import button_id, button_parse
from factcheck.tasks import confirmations_expire_task
from factcheck.tests.conftest import KNOWN_HOAX

pytestmark = pytest.mark.django_db
PARAPHRASE = "katanya tower sinyal baru di kampung bikin kanker, tolak aja"


def _ask(**kwargs) -> services.TipOutcome:
    outcome = services.tip_submit(channel=Channel.WEB, text=PARAPHRASE, **kwargs)
    assert outcome.decision == Decision.SUGGEST and outcome.confirmation
    return outcome


def test_a_likely_match_never_says_not_checked(corpus) -> None:
    outcome = _ask()
    assert len(outcome.candidates) == 3
    assert outcome.candidates[0].external_id == "t-tower"
    reply = outcome.reply.lower()
    assert "belum pernah" not in reply and "belum diperiksa" not in reply
    assert "apakah salah satu ini pesan yang anda terima?" in reply
    assert "1. *SALAH*: Menara BTS" in outcome.reply
    assert outcome.confirmation.candidates == [fc.pk for fc in outcome.candidates]
    # A sure match still answers at once, without a question.
    sure = services.tip_submit(channel=Channel.WEB, text=KNOWN_HOAX)
    assert sure.decision == Decision.MATCH and sure.confirmation is None


def test_the_api_is_not_asked_its_likely_match_goes_to_the_desk(corpus) -> None:
    outcome = services.tip_submit(channel=Channel.API, text=PARAPHRASE)
    assert outcome.confirmation is None
    assert outcome.claim.status == Claim.Status.NEW


def test_unanswered_questions_expire_after_a_day_once(corpus, settings) -> None:
    settings.TIPLINE_CONFIRM_HOURS = 24
    outcome = _ask()
    fresh = _ask()  # the same story: one claim, two questions
    assert fresh.claim.pk == outcome.claim.pk
    TipConfirmation.objects.filter(pk=outcome.confirmation.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    assert confirmations_expire_task.call() == 1
    assert confirmations_expire_task.call() == 0  # idempotent
    expired = TipConfirmation.objects.get(pk=outcome.confirmation.pk)
    assert expired.state == ConfirmationState.UNKNOWN and expired.answered_at is None
    assert TipConfirmation.objects.get(pk=fresh.confirmation.pk).is_pending
    assert Claim.objects.get(pk=outcome.claim.pk).status == Claim.Status.NEW
    # A press after that: closed, politely; nothing linked.
    late = services.confirmation_answer(
        token=expired.token, choice=1, channel=Channel.WEB
    )
    assert late.state == "closed" and "sudah ditutup" in late.reply
    assert not MatchPair.objects.exists()


def test_a_withdrawn_candidate_leaves_the_question_open(corpus, make_user) -> None:
    outcome = _ask()
    tower = outcome.candidates[0]
    services.factcheck_withdraw(
        actor=make_user(Role.FACT_CHECKER, "64"), factcheck=tower, reason="Keliru."
    )
    answer = services.confirmation_answer(
        token=outcome.confirmation.token, choice=1, channel=Channel.WEB
    )
    assert answer.state == "gone"
    assert TipConfirmation.objects.get().is_pending


def test_button_ids_are_short_and_parsed_strictly(corpus) -> None:
    confirmation = _ask().confirmation
    value = button_id(confirmation, 2)
    assert len(value) <= 64 and button_parse(value) == (confirmation.token, 2)
    for bad in ("fc:fakta:3", "fc:k:", "fc:k:abc", "fc:k:abc:12", "fc:k:abc:x"):
        assert button_parse(bad) is None


def test_the_desk_linking_a_claim_stores_a_pair_per_tip(corpus, make_user) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    first = _ask()
    _ask()
    erau = FactCheck.objects.get(external_id="t-erau")
    # The desk need not wait for the senders' answer.
    services.claim_confirm_match(actor=checker, claim=first.claim, factcheck=erau)
    pairs = MatchPair.objects.filter(factcheck=erau)
    assert pairs.count() == 2
    assert {(p.source, p.user) for p in pairs} == {("desk", checker)}


def test_export_match_pairs_writes_the_benchmark_format(corpus, tmp_path: Path) -> None:
    outcome = _ask()
    services.confirmation_answer(
        token=outcome.confirmation.token, choice=1, channel=Channel.WEB
    )
    out = tmp_path / "pairs.jsonl"
    call_command("export_match_pairs", "--output", str(out))
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["text"] == outcome.tip.text and row["expected"] == "t-tower"
    assert row["source"] == "tipster_web" and row["id"].startswith("pair-")


def test_the_dashboard_shows_each_decisions_count_and_precision(
    client: Client, corpus, make_user
) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    wrong = _ask()
    services.confirmation_answer(
        token=wrong.confirmation.token, choice=0, channel=Channel.WEB
    )
    # The same story again, at the desk now: confirmed by this sender, the tip
    # moves to the fact-check's claim, the desk keeps the other.
    right = _ask()
    assert right.claim.pk == wrong.claim.pk
    services.confirmation_answer(
        token=right.confirmation.token, choice=1, channel=Channel.WEB
    )
    right.tip.refresh_from_db()
    assert right.tip.claim.factcheck == right.candidates[0]
    assert Claim.objects.get(pk=wrong.claim.pk).tip_count == 1
    services.tip_submit(channel=Channel.WEB, text=KNOWN_HOAX)
    quality = {q.decision: q for q in decision_quality(actor=checker)}
    assert quality["suggest"].count == 2 and quality["match"].count == 1
    assert quality["suggest"].share == pytest.approx(2 / 3)
    assert (quality["suggest"].right, quality["suggest"].labelled) == (1, 2)
    assert quality["match"].precision is None  # nothing contradicted or confirmed
    client.force_login(checker)
    html = client.get("/staf/").content.decode()
    assert 'data-decision="suggest"' in html and "50%" in html
