"""Services against the real matching engine on a small corpus of our own."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEntry, Role
from channels.models import OutboxMessage
from factcheck import matching_service, services
from factcheck.models import (
    Channel,
    Claim,
    Decision,
    FactCheck,
    IndexChange,
    Tip,
    Tipster,
)
from factcheck.tests.conftest import (
    KNOWN_HOAX,
    NEW_RUMOUR,
    NEW_RUMOUR_VARIANT,
    tip_from,
)
from regions.models import Region

pytestmark = pytest.mark.django_db


def ids(result: dict) -> list[str]:
    return [m["external_id"] for m in result["matches"]]


def test_a_known_hoax_matches_and_an_unrelated_message_does_not(corpus) -> None:
    result = matching_service.match(KNOWN_HOAX, top=5)
    assert result["decision"] == "match"
    assert ids(result)[0] == "t-blt"
    assert result["matches"][0]["verdict"] == "PENIPUAN"
    unrelated = matching_service.match(
        "Resep kue lapis legit enak untuk lebaran bersama keluarga besar", top=5
    )
    assert unrelated["decision"] == "none"


def test_new_and_edited_factchecks_are_matchable_at_once(corpus, make_user) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    before = matching_service.state().generation
    fc = services.factcheck_create(
        actor=checker,
        title="Air PDAM Bontang tercemar limbah dan tidak boleh diminum",
        claim_reviewed="Air PDAM Bontang tercemar limbah, jangan diminum.",
        verdict="hoaks",
        status=FactCheck.Status.PUBLISHED,
    )
    assert matching_service.state().generation == before + 1
    assert IndexChange.objects.filter(factcheck_id=fc.pk).exists()
    text = "Air PDAM Bontang tercemar limbah, jangan diminum sampai ada pengumuman"
    assert ids(matching_service.match(text))[0] == f"simpul-{fc.pk}"

    services.factcheck_update(
        actor=checker,
        factcheck=fc,
        title="Sungai Karang Mumus berubah warna menjadi merah darah",
        claim_reviewed="Sungai Karang Mumus berubah merah darah.",
    )
    assert (
        ids(matching_service.match("Sungai Karang Mumus berubah merah darah"))[0]
        == f"simpul-{fc.pk}"
    )
    services.factcheck_delete(actor=checker, factcheck=fc)
    assert f"simpul-{fc.pk}" not in ids(
        matching_service.match("Sungai Karang Mumus berubah merah darah")
    )


def test_drafts_are_not_matchable(corpus, make_user) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    draft = services.factcheck_create(
        actor=checker,
        title="Gerhana matahari membuat sinyal hilang di Mahakam Ulu",
        verdict="salah",
    )
    result = matching_service.match("Gerhana matahari membuat sinyal hilang di Mahulu")
    assert f"simpul-{draft.pk}" not in ids(result)


def test_another_process_catches_up_from_the_database(corpus, make_user) -> None:
    matching_service.engine()
    # Simulate another process: its engine is at the current generation; a change
    # made elsewhere only shows as a higher generation and change rows.
    fc = FactCheck.objects.create(
        title="Ular raksasa muncul di Waduk Benanga Samarinda",
        verdict="hoaks",
        publisher="Tim Uji",
        external_id="t-ular",
    )
    matching_service.factchecks_changed([fc.pk])
    assert ids(matching_service.match("ular raksasa muncul di waduk Benanga"))[0] == (
        "t-ular"
    )


def test_the_index_is_saved_per_database_and_reloaded(corpus, settings) -> None:
    path = matching_service.save()
    state = matching_service.state()
    assert path == settings.FACTCHECK_INDEX_DIR / str(state.database_id)
    assert (path / "simpul-generation").read_text() == str(state.generation)
    matching_service.reset_process_state()  # a restart
    assert matching_service.match(KNOWN_HOAX)["decision"] == "match"
    assert matching_service._holder.saved_generation == state.generation
    # Another database (another id) never uses this index.
    assert matching_service.index_path("other-db") != path


def test_status_reports_the_mode(corpus, settings) -> None:
    status = matching_service.status()
    assert status["documents"] == len(corpus)
    assert status["status"] in ("ok", "degraded")
    if status["status"] == "degraded":
        assert status["reason"]


def test_lexical_only_matching_still_works(corpus, settings) -> None:
    settings.FACTCHECK_SEMANTIC = False
    matching_service.reset_process_state()
    status = matching_service.status()
    assert status["status"] == "degraded" and status["mode"] == "lexical"
    assert ids(matching_service.match(KNOWN_HOAX))[0] == "t-blt"


# --- Tips -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("x" * 20_000, "too long"),
        ("\x00\x01\x02binary\x00data" * 10, "binary"),
        ("🙏😱🔥🔥🔥", "no words"),
        ("<script>alert(1)</script>", "empty"),
        ("halo", "too short"),
        (None, "Send the text"),
    ],
)
def test_bad_tips_are_refused_with_a_reason(text, message) -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.tip_text_clean(text)
    assert message in " ".join(exc.value.messages)


def test_script_injection_is_stripped() -> None:
    text = services.tip_text_clean(
        'Bansos cair <script>alert("x")</script><b>hari ini</b> di kantor desa'
    )
    assert text == "Bansos cair hari ini di kantor desa"


def test_a_matching_tip_is_answered_and_grouped(corpus) -> None:
    outcome = services.tip_submit(channel=Channel.WEB, text=KNOWN_HOAX)
    assert outcome.decision == Decision.MATCH
    assert outcome.factcheck.external_id == "t-blt"
    assert "PENIPUAN" in outcome.reply
    claim = outcome.claim
    assert claim.status == Claim.Status.PUBLISHED and claim.auto_answered
    again = services.tip_submit(
        channel=Channel.API, text="BLT Kaltim 600 ribu cair, daftar blt-kaltim-2026.xyz"
    )
    if again.decision == Decision.MATCH:
        assert again.claim.pk == claim.pk
        assert Claim.objects.get(pk=claim.pk).tip_count == 2


def test_near_duplicate_new_tips_form_one_claim_with_regions(corpus) -> None:
    kukar = Region.objects.get(kode="64.02")
    samarinda = Region.objects.get(kode="64.72")
    first = services.tip_submit(channel=Channel.WEB, text=NEW_RUMOUR, region=kukar)
    assert first.decision in (Decision.NONE, Decision.SUGGEST)
    assert "sedang mengeceknya" in first.reply
    second = services.tip_submit(
        channel=Channel.WEB, text=NEW_RUMOUR_VARIANT, region=samarinda
    )
    assert second.claim.pk == first.claim.pk
    claim = Claim.objects.get(pk=first.claim.pk)
    assert claim.tip_count == 2 and claim.status == Claim.Status.NEW
    assert set(Tip.objects.filter(claim=claim).values_list("region", flat=True)) == {
        "64.02",
        "64.72",
    }
    other = services.tip_submit(
        channel=Channel.WEB, text="Sekolah di Berau libur sebulan karena kabut asap"
    )
    assert other.claim.pk != claim.pk


def test_tipster_contacts_are_stored_hashed_and_encrypted(corpus) -> None:
    phone = "+6281234567890"
    tip_from(Channel.WHATSAPP, phone, send_reply=True)
    tipster = Tipster.objects.get()
    assert tipster.masked == "+62812•••••890"
    for value in (tipster.contact_hash, tipster.contact_encrypted, tipster.masked):
        assert phone not in value and "81234567890" not in value
    # The reply is channels' to send: factcheck keeps no copy of the number.
    message = OutboxMessage.objects.get(origin="factcheck")
    assert message.reference == f"reply:{tipster.pk}" and message.to == phone
    assert message.template == "hasil_cek_fakta"
    assert message.parameters == [message.body]


def test_kim_members_tips_take_their_region(corpus, make_user) -> None:
    make_user(Role.KIM_MEMBER, "64.02.06", phone="+6281299990000")
    outcome = tip_from(Channel.WHATSAPP, "+6281299990000")
    assert outcome.tip.region_id == "64.02.06"


def test_deleting_a_tipster_wipes_the_contact_and_is_audited(corpus, make_user) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    outcome = tip_from(Channel.TELEGRAM, "987654321", send_reply=True)
    tipster = outcome.tip.tipster
    editor = make_user(Role.EDITOR, "64")
    with pytest.raises(PermissionDenied):
        services.tipster_delete(actor=editor, tipster=tipster)
    services.tipster_delete(actor=checker, tipster=tipster)
    assert not Tipster.objects.exists()
    tip = Tip.objects.get(pk=outcome.tip.pk)
    assert tip.tipster is None and tip.text  # the tip stays, without its sender
    # The reply still waiting in channels' outbox is withdrawn with its text.
    message = OutboxMessage.objects.get(origin="factcheck")
    assert (message.status, message.error, message.body) == ("failed", "cancelled", "")
    entry = AuditEntry.objects.get(object_type="factcheck.tipster")
    assert entry.action == "delete" and "987654321" not in str(entry.changes)


# --- The desk ---------------------------------------------------------------------


def test_workflow_from_new_claim_to_published_verdict(
    corpus, make_user, django_capture_on_commit_callbacks
) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    reviewer = make_user(Role.FACT_CHECKER, "64", full_name="Pemeriksa Kedua")
    asked = tip_from(Channel.TELEGRAM, "555", region=Region.objects.get(kode="64.02"))
    claim = asked.claim
    services.claim_set_status(actor=checker, claim=claim, status="in_progress")
    assert claim.assigned_to == checker
    services.claim_note_add(actor=checker, claim=claim, text="Cek ke Dinas PU.")
    with pytest.raises(ValidationError):
        services.claim_publish(actor=checker, claim=claim)
    draft = services.claim_draft_verdict(
        actor=checker,
        claim=claim,
        title="Jembatan Mahakam tidak ditutup permanen",
        verdict="hoaks",
        explanation="Dinas PU memastikan jembatan tetap dibuka.",
        conclusion="Kabar penutupan permanen Jembatan Mahakam adalah hoaks.",
        references="https://pu.example/jembatan\nWawancara Dinas PU",
    )
    assert not draft.is_published and claim.status == "drafted"
    assert list(draft.regions.values_list("kode", flat=True)) == ["64.02"]
    assert draft.references == ["https://pu.example/jembatan", "Wawancara Dinas PU"]
    assert "jembatan" not in " ".join(ids(matching_service.match(NEW_RUMOUR))).lower()
    services.claim_review(actor=reviewer, claim=claim)
    with django_capture_on_commit_callbacks(execute=False):
        published = services.claim_publish(actor=reviewer, claim=claim, to_network=True)
    assert published.is_published and published.network_requested_at
    # Handed to the newsroom's dissemination for the KIM network of Kukar.
    from newsroom.models import Dissemination

    sending = Dissemination.objects.get(item_ref=f"factcheck:{published.pk}")
    assert sending.region_id == "64"
    assert "64.02" in str(sending.audience)
    assert sending.item_url.endswith(published.get_absolute_url())
    assert published.card.name.endswith(".png")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED
    verdict = OutboxMessage.objects.get(reference__startswith="verdict:")
    assert "HOAKS" in verdict.body
    assert verdict.reference == f"verdict:{asked.tip.tipster.pk}"
    assert verdict.dedupe_key == f"factcheck:verdict:{claim.pk}:{asked.tip.tipster.pk}"
    assert AuditEntry.objects.filter(action="publish", object_id=str(published.pk))
    # Matchable at once: the next person who asks is answered instantly.
    later = services.tip_submit(channel=Channel.WEB, text=NEW_RUMOUR_VARIANT)
    assert later.decision == Decision.MATCH and later.factcheck == published
    # Publishing twice does not send twice.
    assert services.claim_notify_askers(claim=claim) == 0


def test_confirming_a_suggested_match_tells_everyone_who_asked(
    corpus, make_user
) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    outcome = tip_from(Channel.WHATSAPP, "+6281200001111")
    erau = FactCheck.objects.get(external_id="t-erau")
    services.claim_confirm_match(actor=checker, claim=outcome.claim, factcheck=erau)
    message = OutboxMessage.objects.get(reference__startswith="verdict:")
    assert erau.title in message.body
    with pytest.raises(ValidationError):
        services.claim_confirm_match(actor=checker, claim=outcome.claim, factcheck=erau)


def test_only_the_desk_may_work_claims(corpus, make_user) -> None:
    outcome = services.tip_submit(channel=Channel.WEB, text=NEW_RUMOUR)
    for role, region in [(Role.EDITOR, "64"), (Role.KIM_COORDINATOR, "64.02.06")]:
        with pytest.raises(PermissionDenied):
            services.claim_set_status(
                actor=make_user(role, region), claim=outcome.claim, status="in_progress"
            )
    admin = make_user(Role.PROVINCE_ADMIN, "64")
    services.claim_set_status(actor=admin, claim=outcome.claim, status="not_checkable")
    with pytest.raises(ValidationError):
        services.claim_set_status(actor=admin, claim=outcome.claim, status="published")


def test_demo_data_is_small_ours_and_idempotent() -> None:
    from factcheck.demo import DEMO_FACTCHECKS, DEMO_TIPS, demo_ensure

    assert demo_ensure()
    assert FactCheck.objects.filter(is_own=True).count() == len(DEMO_FACTCHECKS)
    assert Tip.objects.count() == len(DEMO_TIPS)
    # The two tips about the Mahakam bridge are one claim.
    assert Claim.objects.filter(tip_count=2).count() == 1
    # Every demo verdict carries its date (they had none).
    assert not FactCheck.objects.filter(published_on__isnull=True).exists()
    assert demo_ensure() == []
    assert FactCheck.objects.count() == len(DEMO_FACTCHECKS)


def test_a_late_whatsapp_verdict_uses_the_template_a_prompt_one_free_text(
    corpus, make_user, fake_whatsapp, django_capture_on_commit_callbacks
) -> None:
    """WhatsApp takes free text only within 24 hours of the person's last
    message (channels' ``Consent.last_inbound_at``): a verdict published later
    goes out as the approved template ``FACTCHECK_WHATSAPP_TEMPLATE``."""
    from datetime import timedelta

    from django.utils import timezone

    from channels import services as channel_services

    checker = make_user(Role.FACT_CHECKER, "64")
    erau = FactCheck.objects.get(external_id="t-erau")
    recent = tip_from(Channel.WHATSAPP, "+6281200001111")
    old = tip_from(Channel.WHATSAPP, "+6281200002222", NEW_RUMOUR_VARIANT)
    assert old.claim == recent.claim
    # What channels' webhook notes of each person's last message.
    channel_services.inbound_seen(channel="whatsapp", address="+6281200001111")
    channel_services.inbound_seen(
        channel="whatsapp",
        address="+6281200002222",
        at=timezone.now() - timedelta(hours=30),
    )
    fake_whatsapp.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_confirm_match(actor=checker, claim=recent.claim, factcheck=erau)
    sent = {r.body["to"]: r.body for r in fake_whatsapp.requests}
    assert sent["6281200001111"]["type"] == "text"
    assert erau.title in sent["6281200001111"]["text"]["body"]
    late = sent["6281200002222"]
    assert late["type"] == "template"
    assert late["template"]["name"] == "hasil_cek_fakta"
    assert late["template"]["language"] == {"code": "id"}
    (param,) = late["template"]["components"][0]["parameters"]
    assert erau.title in param["text"] and "\n" not in param["text"]
    verdicts = OutboxMessage.objects.filter(reference__startswith="verdict:")
    assert set(verdicts.values_list("status", flat=True)) == {"sent"}


# --- Topics -----------------------------------------------------------------------


def test_imported_and_written_factchecks_get_a_topic(corpus, make_user) -> None:
    topic = dict(FactCheck.objects.values_list("external_id", "topic"))
    assert topic["t-blt"] == "penipuan"  # the scam verdict decides
    assert topic["t-loker"] == "penipuan"
    assert topic["t-vaksin"] == "kesehatan"
    assert topic["t-tower"] == "kesehatan"
    assert topic["t-erau"] == "lainnya"
    checker = make_user(Role.FACT_CHECKER, "64")
    written = services.factcheck_create(
        actor=checker, title="Gempa magnitudo 9 guncang Balikpapan", verdict="hoaks"
    )
    assert written.topic == "bencana"
    chosen = services.factcheck_create(
        actor=checker, title="Gempa di Balikpapan", verdict="hoaks", topic="lainnya"
    )
    assert chosen.topic == "lainnya"
    services.factcheck_update(actor=checker, factcheck=chosen, topic="bencana")
    chosen.refresh_from_db()
    assert chosen.topic == "bencana"
    entry = AuditEntry.objects.filter(object_id=str(chosen.pk), action="update").get()
    assert entry.changes == {"topic": ["lainnya", "bencana"]}
    with pytest.raises(ValidationError):
        services.factcheck_update(actor=checker, factcheck=chosen, topic="gosip")


def test_a_source_category_wins_over_the_classifier(corpus) -> None:
    from factcheck.importing import Parsed, record_from_mapping

    records = [
        {
            "external_id": "c-1",
            "title": "Festival Erau dibatalkan",
            "LLM_CATEGORY": "scam",
        },
        {"external_id": "c-2", "title": "Gempa guncang Berau", "category": "others"},
        {"external_id": "c-3", "title": "Festival Erau dibatalkan", "topic": "politik"},
    ]
    items = [Parsed(n, record=record_from_mapping(r)) for n, r in enumerate(records)]
    assert services.factchecks_import(items=items).created == 3
    topic = dict(
        FactCheck.objects.filter(external_id__startswith="c-").values_list(
            "external_id", "topic"
        )
    )
    assert topic == {"c-1": "penipuan", "c-2": "bencana", "c-3": "politik"}
    # Re-imported with another category: updated.
    again = [
        Parsed(
            1, record=record_from_mapping({**records[0], "LLM_CATEGORY": "politics"})
        )
    ]
    assert services.factchecks_import(items=again).updated == 1
    assert FactCheck.objects.get(external_id="c-1").topic == "politik"


def test_new_claims_are_classified_and_matched_ones_take_the_factchecks_topic(
    corpus,
) -> None:
    new = services.tip_submit(
        channel=Channel.WEB,
        text="Banjir besar akan melanda Tenggarong Seberang malam ini kata BMKG, "
        "warga diminta mengungsi",
    )
    assert new.claim.topic == "bencana"
    matched = services.tip_submit(channel=Channel.WEB, text=KNOWN_HOAX)
    assert matched.decision == Decision.MATCH
    assert matched.claim.topic == matched.factcheck.topic == "penipuan"


def test_the_desk_changes_a_claims_topic_and_it_goes_out_with_the_verdict(
    corpus, make_user
) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    claim = services.tip_submit(channel=Channel.WEB, text=NEW_RUMOUR).claim
    assert claim.topic == "pemerintahan"  # a bridge closed: public works
    editor = make_user(Role.EDITOR, "64")
    with pytest.raises(PermissionDenied):
        services.claim_set_topic(actor=editor, claim=claim, topic="bencana")
    with pytest.raises(ValidationError):
        services.claim_set_topic(actor=checker, claim=claim, topic="gosip")
    services.claim_set_topic(actor=checker, claim=claim, topic="bencana")
    assert Claim.objects.get(pk=claim.pk).topic == "bencana"
    entry = AuditEntry.objects.get(object_type="factcheck.claim", action="update")
    assert entry.changes == {"topic": ["pemerintahan", "bencana"]}
    # The draft takes the claim's topic …
    draft = services.claim_draft_verdict(
        actor=checker,
        claim=claim,
        title="Jembatan Mahakam tidak ditutup permanen",
        verdict="hoaks",
    )
    assert draft.topic == "bencana"
    # … a topic chosen on the draft becomes the claim's …
    draft = services.claim_draft_verdict(
        actor=checker,
        claim=claim,
        title="Jembatan Mahakam tidak ditutup permanen",
        verdict="hoaks",
        topic="pemerintahan",
    )
    assert draft.topic == "pemerintahan" and claim.topic == "pemerintahan"
    # … and a change on the claim moves the unpublished draft along.
    services.claim_set_topic(actor=checker, claim=claim, topic="lainnya")
    draft.refresh_from_db()
    assert draft.topic == "lainnya"
    services.claim_set_topic(actor=checker, claim=claim, topic="pemerintahan")
    reviewer = make_user(Role.FACT_CHECKER, "64")
    services.claim_review(actor=reviewer, claim=claim)
    published = services.claim_publish(actor=reviewer, claim=claim)
    assert published.is_published and published.topic == "pemerintahan"


def test_topics_are_given_to_what_was_stored_before_them(corpus) -> None:
    """The migration that brought topics classifies the existing rows."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("factcheck.migrations.0002_topics")
    claim = services.tip_submit(channel=Channel.WEB, text=KNOWN_HOAX).claim
    FactCheck.objects.update(topic="lainnya")
    Claim.objects.update(topic="lainnya")
    migration.classify_existing(apps, None)
    assert FactCheck.objects.get(external_id="t-vaksin").topic == "kesehatan"
    assert Claim.objects.get(pk=claim.pk).topic == "penipuan"


def _drafted(checker, text=NEW_RUMOUR):  # type: ignore[no-untyped-def]
    claim = services.tip_submit(channel=Channel.WEB, text=text).claim
    # The desk takes it up (a web tip close to a known verdict would otherwise
    # still be awaiting the sender's confirmation).
    services.claim_set_status(actor=checker, claim=claim, status="in_progress")
    services.claim_draft_verdict(
        actor=checker,
        claim=claim,
        title="Jembatan Mahakam tidak ditutup permanen",
        verdict="hoaks",
    )
    return claim


def test_a_verdict_is_reviewed_and_published_by_a_second_person(
    corpus, make_user
) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    colleague = make_user(Role.FACT_CHECKER, "64")
    claim = _drafted(checker)
    with pytest.raises(ValidationError):
        services.claim_review(actor=checker, claim=claim)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DRAFTED
    services.claim_review(actor=colleague, claim=claim)
    # Reviewed by someone else, but the drafter still cannot publish it alone.
    with pytest.raises(ValidationError):
        services.claim_publish(actor=checker, claim=claim)
    published = services.claim_publish(actor=colleague, claim=claim)
    assert published.is_published
    entry = AuditEntry.objects.get(action="publish", object_id=str(published.pk))
    assert entry.changes["drafted_by"] == checker.pk
    assert "single_person_desk" not in entry.changes
    # Rewriting the draft makes the rewriter its drafter: the review is undone.
    other = _drafted(
        checker, "Festival layang-layang di Samarinda dibatalkan karena angin kencang"
    )
    services.claim_review(actor=colleague, claim=other)
    services.claim_draft_verdict(
        actor=colleague, claim=other, title="Judul baru", verdict="hoaks"
    )
    other.refresh_from_db()
    assert other.drafted_by == colleague and other.reviewed_by is None


def test_a_one_person_desk_is_allowed_by_setting_and_audited(
    corpus, make_user, settings
) -> None:
    settings.FACTCHECK_SINGLE_PERSON_DESK = True
    checker = make_user(Role.FACT_CHECKER, "64")
    claim = _drafted(checker)
    services.claim_review(actor=checker, claim=claim)
    published = services.claim_publish(actor=checker, claim=claim)
    assert published.is_published
    review = AuditEntry.objects.get(
        object_type="factcheck.claim", changes__status=["drafted", "reviewed"]
    )
    assert review.changes["single_person_desk"] is True
    entry = AuditEntry.objects.get(action="publish", object_id=str(published.pk))
    assert entry.changes["single_person_desk"] is True
    assert entry.actor == checker
