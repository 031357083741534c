"""Public pages and the fact-checkers' desk, through the test client."""

import io
import json
import re

import pytest
from django.test import Client
from PIL import Image

from accounts.models import AuditEntry, Role
from factcheck import services
from factcheck.models import Channel, Claim, FactCheck, Tip, Tipster
from factcheck.tests.conftest import KNOWN_HOAX, NEW_RUMOUR, tip_from

pytestmark = pytest.mark.django_db


def test_public_form_answers_a_known_hoax(client: Client, corpus) -> None:
    page = client.get("/cek-fakta/")
    assert page.status_code == 200
    assert "Cek dulu sebelum sebar" in page.content.decode()
    response = client.post("/cek-fakta/", {"text": KNOWN_HOAX, "region": "64.02"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sudah pernah diperiksa" in html and "PENIPUAN" in html
    tip = Tip.objects.get()
    assert tip.channel == Channel.WEB and tip.region_id == "64.02"


def test_public_form_takes_a_whatsapp_number_for_the_verdict(
    client: Client, corpus
) -> None:
    response = client.post(
        "/cek-fakta/", {"text": NEW_RUMOUR, "whatsapp": "0812 3456 7890"}
    )
    html = response.content.decode()
    assert "Belum pernah diperiksa" in html
    assert "nomor WhatsApp Anda" in html
    tipster = Tipster.objects.get()
    assert tipster.channel == Channel.WHATSAPP and tipster.masked == "+62812•••••890"
    bad = client.post("/cek-fakta/", {"text": NEW_RUMOUR, "whatsapp": "12"})
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "kosong"),
        ("x" * 20_000, "terlalu panjang"),
        ("😱😱😱🔥", "emoji"),
        ("<script>alert('x')</script>", "kosong"),
        ("\x00\x01\x02\x03", "biner"),
    ],
)
def test_public_form_refuses_bad_input_with_a_message(
    client: Client, corpus, text: str, fragment: str
) -> None:
    response = client.post("/cek-fakta/", {"text": text})
    assert response.status_code == 400
    assert fragment in response.content.decode().lower()
    assert not Tip.objects.exists()


def test_public_form_with_htmx_returns_the_box(client: Client, corpus) -> None:
    response = client.post(
        "/cek-fakta/", {"text": KNOWN_HOAX}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.startswith('<div id="tip-box"') and "PENIPUAN" in html
    assert "<html" not in html


def test_public_form_is_rate_limited_per_ip(client: Client, corpus, settings) -> None:
    settings.TIPLINE_RATE = "10/m"
    codes = [
        client.post("/cek-fakta/", {"text": NEW_RUMOUR}).status_code for _ in range(11)
    ]
    assert codes[:10] == [200] * 10 and codes[-1] == 429


def test_factcheck_page_has_claimreview_opengraph_and_share_text(
    client: Client, corpus
) -> None:
    fc = FactCheck.objects.get(external_id="t-tower")
    html = client.get(fc.get_absolute_url()).content.decode()
    block = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    data = json.loads(block.group(1))
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"].startswith("Tower BTS")
    assert data["reviewRating"]["alternateName"] == "SALAH"
    assert data["reviewRating"]["ratingValue"] == 1
    assert data["author"]["name"] == "Tim Uji"
    assert data["itemReviewed"]["@type"] == "Claim"
    assert 'property="og:image"' in html and "kartu.png" in html
    assert 'content="1200"' in html and 'content="630"' in html
    assert "CEK FAKTA: *SALAH*" in html  # the WhatsApp text
    card = client.get(f"{fc.get_absolute_url()}kartu.png")
    assert card["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(b"".join(card.streaming_content)))
    assert image.size == (1200, 630)


def test_drafts_are_not_public(client: Client, corpus, make_user) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    draft = services.factcheck_create(actor=checker, title="Draf", verdict="salah")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"{draft.get_absolute_url()}kartu.png").status_code == 404
    client.force_login(checker)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_list_and_search(client: Client, corpus) -> None:
    html = client.get("/cek-fakta/arsip/", {"q": "erau"}).content.decode()
    assert "Festival Erau" in html and "Pesut" not in html
    html = client.get("/cek-fakta/arsip/", {"verdict": "satire"}).content.decode()
    assert "Pesut" in html and "SATIRE/PARODI" in html


def test_desk_queue_is_ordered_by_spread_and_closed_to_others(
    client: Client, corpus, make_user
) -> None:
    # Through the API: a likely match there is not asked about, it goes
    # straight to the desk.
    services.tip_submit(
        channel=Channel.API, text="Sekolah di Berau libur sebulan karena asap"
    )
    for kode in ("64.02", "64.72", "64.71"):
        from regions.models import Region

        services.tip_submit(
            channel=Channel.WEB, text=NEW_RUMOUR, region=Region.objects.get(kode=kode)
        )
    client.force_login(make_user(Role.KIM_MEMBER, "64.02.06"))
    assert client.get("/staf/cek-fakta/").status_code == 403
    client.force_login(make_user(Role.EDITOR, "64"))
    html = client.get("/staf/cek-fakta/").content.decode()
    assert html.index("jembatan Kota Bangun") < html.index("Sekolah di Berau")
    claim = Claim.objects.get(tip_count=3)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Kabupaten Kutai Kartanegara" in page and "Kota Samarinda" in page
    assert "Simpan draf" not in page  # editors may look, not work
    assert (
        client.post(
            f"/staf/cek-fakta/klaim/{claim.pk}/status/", {"status": "in_progress"}
        ).status_code
        == 403
    )


def test_regency_fact_checker_sees_only_claims_of_their_area(
    client: Client, corpus, make_user
) -> None:
    from regions.models import Region

    berau = services.tip_submit(
        channel=Channel.WEB,
        text="Sekolah di Berau libur sebulan karena kabut asap",
        region=Region.objects.get(kode="64.03"),
    )
    kukar = services.tip_submit(
        channel=Channel.WEB, text=NEW_RUMOUR, region=Region.objects.get(kode="64.02")
    )
    client.force_login(make_user(Role.FACT_CHECKER, "64.02"))
    assert client.get(kukar.claim.get_absolute_url()).status_code == 200
    assert client.get(berau.claim.get_absolute_url()).status_code == 404


def test_fact_checker_works_a_claim_through_the_pages(
    client: Client, corpus, make_user
) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    outcome = tip_from(Channel.TELEGRAM, "4242")
    claim = outcome.claim
    client.force_login(checker)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert outcome.tip.tipster.masked in html and "4242" not in html
    base = f"/staf/cek-fakta/klaim/{claim.pk}"
    assert client.post(f"{base}/assign/", {"user": checker.pk}).status_code == 302
    client.post(f"{base}/note/", {"text": "Telepon Dinas PU"})
    bad = client.post(f"{base}/draft/", {"title": ""})
    assert bad.status_code == 400
    client.post(
        f"{base}/draft/",
        {
            "title": "Jembatan Mahakam tidak ditutup",
            "verdict": "hoaks",
            "claim_reviewed": NEW_RUMOUR,
            "explanation": "Dinas PU: jembatan tetap dibuka.",
            "conclusion": "Hoaks.",
            "references": "https://pu.example/x",
        },
    )
    # The drafter cannot review or publish their own verdict …
    page = client.get(claim.get_absolute_url()).content.decode()
    assert 'id="second-person"' in page and 'id="review"' not in page
    client.post(f"{base}/review/")
    claim.refresh_from_db()
    assert claim.status == "drafted" and claim.drafted_by == checker
    # … a second fact-checker does.
    reviewer = make_user(Role.FACT_CHECKER, "64", full_name="Pemeriksa Kedua")
    client.force_login(reviewer)
    client.post(f"{base}/review/")
    response = client.post(f"{base}/publish/", {"to_network": "1"})
    claim.refresh_from_db()
    assert claim.reviewed_by == reviewer
    assert claim.status == "published" and claim.factcheck.is_published
    assert response["Location"] == f"/staf/cek-fakta/jaringan/{claim.factcheck.pk}/"
    assert claim.notes.get().text == "Telepon Dinas PU"
    assert claim.assigned_to == checker


def test_network_contacts_list_and_csv_export_is_audited(
    client: Client, corpus, make_user
) -> None:
    make_user(
        Role.KIM_COORDINATOR,
        "64.02.06",
        full_name="Koordinator Tenggarong",
        phone="+6281311112222",
    )
    make_user(Role.KIM_COORDINATOR, "64.03.01", full_name="Koordinator Berau")
    fc = FactCheck.objects.get(external_id="t-tower")
    from regions.models import Region

    fc.regions.set([Region.objects.get(kode="64.02")])
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    html = client.get(f"/staf/cek-fakta/jaringan/{fc.pk}/").content.decode()
    assert "Koordinator Tenggarong" in html and "Koordinator Berau" not in html
    client.post(f"/staf/cek-fakta/jaringan/{fc.pk}/", {"region_codes": ["64.02"]})
    assert "t-tower" not in client.get("/staf/cek-fakta/jaringan/").content.decode()
    assert fc.title in client.get("/staf/cek-fakta/jaringan/").content.decode()
    csv = client.get(f"/staf/cek-fakta/jaringan/{fc.pk}/", {"format": "csv"})
    assert "0813-1111-2222" in csv.content.decode()  # text in Excel
    assert AuditEntry.objects.filter(action="export", object_id=str(fc.pk)).exists()


def test_staff_delete_a_tipster_from_the_claim_page(
    client: Client, corpus, make_user
) -> None:
    outcome = tip_from(Channel.WHATSAPP, "+6281234567890")
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    response = client.post(
        f"/staf/cek-fakta/pengirim/{outcome.tip.tipster.pk}/hapus/",
        {"claim": outcome.claim.pk},
    )
    assert response.status_code == 302
    assert not Tipster.objects.exists()
    assert AuditEntry.objects.filter(object_type="factcheck.tipster").exists()


def test_trend_view(client: Client, corpus, make_user) -> None:
    from regions.models import Region

    for kode in ("64.02", "64.02", "64.72"):
        services.tip_submit(
            channel=Channel.WEB, text=NEW_RUMOUR, region=Region.objects.get(kode=kode)
        )
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    html = client.get("/staf/cek-fakta/tren/").content.decode()
    assert "Kabupaten Kutai Kartanegara" in html and "Kota Samarinda" in html
    assert html.index("Kabupaten Kutai Kartanegara") < html.index("Kota Samarinda")


def test_dashboard_panel_and_healthz_show_the_engine(
    client: Client, corpus, make_user
) -> None:
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    html = client.get("/staf/").content.decode()
    assert "factcheck-panel" in html and "Meja cek fakta" in html
    data = client.get("/healthz").json()
    assert data["matching"]["documents"] == len(corpus)
    assert data["matching"]["status"] in ("ok", "degraded")
    client.force_login(make_user(Role.KIM_MEMBER, "64.02.06"))
    assert "factcheck-panel" not in client.get("/staf/").content.decode()


def test_lexical_only_mode_is_reported_on_healthz_and_dashboard(
    client: Client, corpus, make_user, settings
) -> None:
    from factcheck import matching_service

    settings.FACTCHECK_SEMANTIC = False  # as when the model cannot load
    matching_service.reset_process_state()
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    html = client.get("/staf/").content.decode()  # loads this process's engine
    assert "hanya berjalan secara leksikal" in html
    data = client.get("/healthz").json()
    assert data["status"] == "degraded"
    assert data["matching"]["mode"] == "lexical" and data["matching"]["reason"]
    response = client.post("/cek-fakta/", {"text": KNOWN_HOAX})
    assert "Pendaftaran BLT Rp600 ribu" in response.content.decode()


def test_healthz_never_loads_the_engine(client: Client, corpus) -> None:
    # Loading or rebuilding an index takes seconds to minutes; /healthz must
    # answer within 2 s, so it describes what this process holds.
    from factcheck import matching_service

    matching_service.reset_process_state()
    data = client.get("/healthz").json()
    assert data["matching"]["mode"] == "not loaded in this process yet"
    assert matching_service._holder.engine is None
    matching_service.engine()
    assert client.get("/healthz").json()["matching"]["documents"] == len(corpus)


def test_the_desk_changes_a_claims_topic_and_filters_by_topic(
    client: Client, corpus, make_user
) -> None:
    claim = services.tip_submit(channel=Channel.WEB, text=NEW_RUMOUR).claim
    assert claim.topic == "pemerintahan"
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Pemerintahan dan layanan publik" in html and 'id="topic"' in html
    base = f"/staf/cek-fakta/klaim/{claim.pk}"
    response = client.post(f"{base}/topic/", {"topic": "bencana"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.topic == "bencana"
    client.post(f"{base}/topic/", {"topic": "gosip"})  # refused with a message
    claim.refresh_from_db()
    assert claim.topic == "bencana"
    listed = client.get("/staf/cek-fakta/", {"topik": "bencana"}).content.decode()
    assert claim.get_absolute_url() in listed and "Bencana dan cuaca" in listed
    other = client.get("/staf/cek-fakta/", {"topik": "politik"}).content.decode()
    assert claim.get_absolute_url() not in other
    # The draft form starts from the claim's topic, and may change it.
    client.post(
        f"{base}/draft/",
        {
            "title": "Jembatan Mahakam tidak ditutup",
            "verdict": "hoaks",
            "topic": "pemerintahan",
            "claim_reviewed": NEW_RUMOUR,
            "explanation": "Dinas PU: jembatan tetap dibuka.",
            "conclusion": "Hoaks.",
        },
    )
    claim.refresh_from_db()
    assert claim.topic == claim.factcheck.topic == "pemerintahan"


def test_the_public_archive_filters_by_topic(client: Client, corpus) -> None:
    html = client.get("/cek-fakta/arsip/", {"topik": "kesehatan"}).content.decode()
    assert "Vaksin campak" in html and "Menara BTS" in html
    assert "Festival Erau" not in html and "Pendaftaran BLT" not in html
    assert 'name="topik"' in html and "Semua topik" in html
    everything = client.get("/cek-fakta/arsip/", {"topik": "x"}).content.decode()
    assert "Festival Erau" in everything  # an unknown topic filters nothing
    vaccine = FactCheck.objects.get(external_id="t-vaksin")
    detail = client.get(vaccine.get_absolute_url()).content.decode()
    assert "?topik=kesehatan" in detail and "Kesehatan" in detail


def test_archive_pages_keep_the_filters(client: Client, corpus, make_user) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    for n in range(21):
        services.factcheck_create(
            actor=checker,
            title=f"Gempa {n} guncang Balikpapan",
            verdict="hoaks",
            status="published",
        )
    html = client.get("/cek-fakta/arsip/", {"topik": "bencana"}).content.decode()
    assert "?topik=bencana&amp;page=2" in html


def test_network_contacts_csv_escapes_formulas(
    client: Client, corpus, make_user
) -> None:
    make_user(
        Role.KIM_COORDINATOR, "64.02.06", full_name='=HYPERLINK("http://x","klik")'
    )
    fc = FactCheck.objects.get(external_id="t-tower")
    from regions.models import Region

    fc.regions.set([Region.objects.get(kode="64.02")])
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    response = client.get(f"/staf/cek-fakta/jaringan/{fc.pk}/", {"format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert '"\'=HYPERLINK(""http://x"",""klik"")"' in body
    assert "\n=HYPERLINK" not in body and ',"=HYPERLINK' not in body


def test_the_kim_network_is_told_through_dissemination_by_region(
    client: Client, corpus, make_user
) -> None:
    """No phone list copied by hand: the verdict goes to the newsroom's
    dissemination for the regions chosen, and the lists show where it went."""
    from network import services as network_services
    from network.models import Kim, Membership
    from newsroom.models import Dissemination
    from regions.models import Region

    kim = network_services.kim_create(
        actor=None,
        name="KIM Jahab Informatif",
        region=Region.objects.get(kode="64.02.06.1001"),
        status=Kim.Status.ACTIVE,
    )
    network_services.member_add(
        actor=None,
        kim=kim,
        full_name="Rina Ketua",
        phone="0812 0000 0001",
        role=Membership.Role.KETUA,
    )
    fc = FactCheck.objects.get(external_id="t-tower")
    fc.regions.clear()  # no region known: the whole province by default
    client.force_login(make_user(Role.FACT_CHECKER, "64"))
    url = f"/staf/cek-fakta/jaringan/{fc.pk}/"
    page = client.get(url).content.decode()
    kukar = Region.objects.get(kode="64.02").name
    # The coordinator's kabupaten is named (the column was empty).
    assert re.search(rf'class="contact-region">{re.escape(kukar)}<', page)
    assert re.search(r'value="64"[^>]*checked', page)
    csv = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert f"Rina Ketua,ketua,KIM Jahab Informatif,{kukar},64.02.06.1001" in csv
    client.post(url, {"region_codes": ["64.02", "64.03"]})
    sending = Dissemination.objects.get(item_ref=f"factcheck:{fc.pk}")
    assert sending.audience["region_codes"] == ["64.02", "64.03"]
    assert sending.audience["kim_members"] is True
    berau = Region.objects.get(kode="64.03").name
    listing = client.get("/staf/cek-fakta/jaringan/").content.decode()
    assert f"{kukar}, {berau}" in listing
    assert f"/kabar/staf/sebaran/{sending.pk}/" in listing
    detail = client.get(f"/staf/cek-fakta/jaringan/{fc.pk}/").content.decode()
    assert f"{kukar}, {berau}" in detail


# --- The confirmation step on the web form ------------------------------------------
PARAPHRASE = "katanya tower sinyal baru di kampung bikin kanker, tolak aja"


def _question(client: Client) -> tuple[str, str]:
    response = client.post("/cek-fakta/", {"text": PARAPHRASE})
    html = response.content.decode()
    assert response.status_code == 200
    token = re.search(r'name="token" value="([^"]+)"', html)
    assert token is not None
    return html, token[1]


def test_a_likely_match_asks_which_one_and_confirming_shows_the_verdict(
    client: Client, corpus
) -> None:
    from factcheck.models import MatchPair

    html, token = _question(client)
    assert "Apakah salah satu ini pesan yang Anda terima?" in html
    assert "Belum pernah diperiksa" not in html and "Mungkin terkait" not in html
    assert html.count("Ya, yang ini") == 3 and "Tidak ada" in html
    tower = FactCheck.objects.get(external_id="t-tower")
    tip = Tip.objects.get()
    assert tip.claim.status == Claim.Status.AWAITING
    # Not in the desk's queue while the sender may still answer.
    assert not Claim.objects.filter(status__in=Claim.OPEN).exists()

    response = client.post("/cek-fakta/jawab/", {"token": token, "choice": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "SALAH" in html and tower.title in html
    assert "Menara BTS tidak menyebabkan kanker" in html
    tip.refresh_from_db()
    assert tip.matched == tower and tip.claim.factcheck == tower
    pair = MatchPair.objects.get()
    assert (pair.factcheck, pair.source, pair.text) == (tower, "tipster_web", tip.text)
    # The same form sent again: recorded once, said politely.
    again = client.post("/cek-fakta/jawab/", {"token": token, "choice": "2"})
    assert "sudah kami catat" in again.content.decode()
    assert MatchPair.objects.count() == 1
    assert tip.confirmation.__class__.objects.get().chosen == tower


def test_none_of_these_on_the_web_goes_to_the_desk(client: Client, corpus) -> None:
    _, token = _question(client)
    response = client.post(
        "/cek-fakta/jawab/", {"token": token, "choice": "0"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "tim pemeriksa fakta" in html
    claim = Claim.objects.get()
    assert claim.status == Claim.Status.NEW and claim.factcheck is None


def test_a_bad_or_unknown_answer_is_refused(client: Client, corpus) -> None:
    assert (
        client.post("/cek-fakta/jawab/", {"token": "x", "choice": "a"}).status_code
        == 400
    )
    unknown = client.post("/cek-fakta/jawab/", {"token": "nope", "choice": "1"})
    assert unknown.status_code == 400
    assert "tidak lagi tersedia" in unknown.content.decode()
    assert client.get("/cek-fakta/jawab/").status_code == 405


def test_the_tip_page_shows_the_tiplines_address_only_when_set(
    client: Client, settings
) -> None:
    html = client.get("/cek-fakta/").content.decode()
    assert "teruskan pesannya ke nomor Cek Fakta" not in html and "wa.me" not in html
    settings.TIPLINE_WHATSAPP_NUMBER = "+62 811-5555-1234"
    settings.TIPLINE_TELEGRAM_BOT = "@CekFaktaKaltimBot"
    html = client.get("/cek-fakta/").content.decode()
    assert "teruskan pesannya ke nomor Cek Fakta" in html
    assert 'href="https://wa.me/6281155551234"' in html
    assert 'href="https://t.me/CekFaktaKaltimBot"' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 2
    assert "<script" not in html.split("tipline-address")[1].split("</section>")[0]
