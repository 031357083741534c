"""Reads of the fact-check app: tips and fact-checks per topic and region."""

import pytest

from accounts.models import Role
from factcheck import selectors, services
from factcheck.models import Channel, FactCheck, Topic
from regions.models import Region

pytestmark = pytest.mark.django_db

SCAM = (
    "Selamat, usaha Anda terpilih menerima bantuan modal UMKM Rp5 juta. Kirim "
    "biaya administrasi Rp150.000 ke rekening bendahara agar dana segera cair."
)
FLOOD = "Info BMKG: banjir besar akan melanda malam ini, warga diminta mengungsi"


def _tip(text: str, code: str | None) -> None:
    region = Region.objects.get(kode=code) if code else None
    services.tip_submit(channel=Channel.WEB, text=text, region=region)


def test_tips_and_factchecks_per_topic_by_region_code_prefix(kaltim, make_user) -> None:
    _tip(SCAM, "64.02.06.1001")  # a KIM member's village in Tenggarong
    _tip(SCAM + " Buruan!", "64.02.06")  # the same claim, sent from the kecamatan
    _tip(FLOOD, "64.02.16")  # Tenggarong Seberang
    _tip(FLOOD + " segera", "64.02")  # only the kabupaten: no kecamatan of it
    _tip(FLOOD, "64.72.03")  # Samarinda
    _tip(FLOOD, None)  # no region: nowhere
    checker = make_user(Role.FACT_CHECKER, "64")
    tenggarong = Region.objects.get(kode="64.02.06")
    villages = list(Region.objects.filter(parent=tenggarong)[:2])
    published = services.factcheck_create(
        actor=checker,
        title="Bantuan modal UMKM dari kecamatan meminta biaya administrasi",
        verdict="penipuan",
        regions=villages,  # two villages of one kecamatan: counted once there
        status=FactCheck.Status.PUBLISHED,
    )
    assert published.topic == "penipuan"
    services.factcheck_create(  # a draft: not counted
        actor=checker, title="Banjir di Tenggarong", verdict="hoaks", regions=villages
    )
    counts = selectors.topic_counts(
        region_codes=["64.02.06", "64.02.16", "64.02.12", "64.02", "64.72"]
    )
    for figures in counts.values():
        assert set(figures.tips) == set(figures.factchecks) == set(Topic.values)
    assert counts["64.02.06"].tips["penipuan"] == 2
    assert counts["64.02.06"].factchecks["penipuan"] == 1
    assert sum(counts["64.02.06"].factchecks.values()) == 1
    assert counts["64.02.16"].tips == {**dict.fromkeys(Topic.values, 0), "bencana": 1}
    assert sum(counts["64.02.12"].tips.values()) == 0  # Tabang: nothing sent
    # A parent counts everything inside it, its own code included.
    assert (
        counts["64.02"].tips["bencana"] == 2 and counts["64.02"].tips["penipuan"] == 2
    )
    assert counts["64.02"].factchecks["penipuan"] == 1
    assert counts["64.72"].tips["bencana"] == 1
    assert selectors.topic_counts(region_codes=[]) == {}


def test_a_topic_corrected_at_the_desk_moves_the_claims_tips(kaltim, make_user) -> None:
    _tip(FLOOD, "64.02.16")
    _tip(FLOOD + " segera", "64.02.16")
    counts = selectors.topic_counts(region_codes=["64.02.16"])["64.02.16"]
    assert counts.tips["bencana"] == 2
    from factcheck.models import Claim

    claim = Claim.objects.get()
    checker = make_user(Role.FACT_CHECKER, "64")
    services.claim_set_topic(actor=checker, claim=claim, topic="pemerintahan")
    counts = selectors.topic_counts(region_codes=["64.02.16"])["64.02.16"]
    assert counts.tips["bencana"] == 0 and counts.tips["pemerintahan"] == 2


def test_public_lists_filter_by_topic(kaltim, make_user) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    for title in ("Gempa guncang Balikpapan", "Vaksin campak bikin lumpuh"):
        services.factcheck_create(
            actor=checker, title=title, verdict="hoaks", status="published"
        )
    found = selectors.factcheck_public_list(topic="bencana")
    assert [fc.title for fc in found] == ["Gempa guncang Balikpapan"]
    assert selectors.factcheck_public_list().count() == 2
    _tip(FLOOD, None)
    assert selectors.claim_list(actor=checker, topic="bencana").count() == 1
    assert selectors.claim_list(actor=checker, topic="kesehatan").count() == 0


def test_verdict_groups_per_region(kaltim, make_user) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    tenggarong = list(Region.objects.filter(parent_id="64.02.06")[:2])
    samarinda = Region.objects.get(kode="64.72.03")
    for verdict, regions in [
        ("hoaks", tenggarong),  # two villages of one kecamatan: counted once
        ("menyesatkan", tenggarong[:1]),
        ("benar", tenggarong[:1]),
        ("satire", tenggarong[:1]),  # neither false nor true: the total only
        ("salah", [samarinda]),
    ]:
        services.factcheck_create(
            actor=checker,
            title=f"Cek fakta {verdict}",
            verdict=verdict,
            regions=regions,
            status=FactCheck.Status.PUBLISHED,
        )
    services.factcheck_create(  # a draft: not counted
        actor=checker, title="Draf", verdict="hoaks", regions=tenggarong
    )
    counts = selectors.verdict_counts(region_codes=["64.02.06", "64.02", "64.72"])
    assert counts["64.02.06"] == selectors.RegionVerdicts(total=4, false=2, true=1)
    assert counts["64.02"] == counts["64.02.06"]
    assert counts["64.72"] == selectors.RegionVerdicts(total=1, false=1, true=0)
    assert selectors.verdict_counts(region_codes=[]) == {}


def test_topic_choices_are_in_indonesian_whatever_the_language() -> None:
    from django.utils import translation

    with translation.override("en"):
        choices = dict(selectors.topic_choices())
    assert list(choices) == list(Topic.values)
    assert choices["politik"] == "Politik dan pemilu"


def test_archive_search_needs_every_word_and_takes_any_input(kaltim, make_user) -> None:
    checker = make_user(Role.FACT_CHECKER, "64")
    for title, claim in (
        ("Vaksinasi COVID-19 di Samarinda bikin mandul", "Vaksin membuat mandul"),
        ("Jembatan Mahakam ditutup", "Beredar pesan berantai soal jembatan"),
    ):
        services.factcheck_create(
            actor=checker,
            title=title,
            claim_reviewed=claim,
            verdict="hoaks",
            status="published",
        )

    def titles(q: str) -> list[str]:
        return [fc.title for fc in selectors.factcheck_public_list(q=q)]

    # A word finds the words it starts (PostgreSQL's full-text index; SQLite
    # matches anywhere), in the title or the claim, whatever its case.
    assert titles("vaksin") == ["Vaksinasi COVID-19 di Samarinda bikin mandul"]
    assert titles("PESAN") == ["Jembatan Mahakam ditutup"]
    assert titles("covid-19 samarinda") == [
        "Vaksinasi COVID-19 di Samarinda bikin mandul"
    ]
    assert titles("jembatan vaksin") == []
    # The search syntax of the database is no syntax here.
    for hostile in ("vaksin & | ! ( ) :* '", "'); DROP TABLE x; --", "&&&", "!!"):
        assert titles(hostile) in (
            [],
            ["Vaksinasi COVID-19 di Samarinda bikin mandul"],
        )
