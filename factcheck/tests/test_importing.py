"""Reading fact-check files (no database): JSONL, CSV, ClaimReview, RSS."""

import json
from datetime import date

import pytest

from factcheck.importing import (
    ImportFormatError,
    infer_format,
    parse,
    parse_date,
    split_title_verdict,
)

CLAIMREVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://cekfakta.example/2024/05/video-banjir",
    "claimReviewed": "Video banjir besar di Samarinda pekan ini",
    "author": {"@type": "Organization", "name": "Cek Fakta Contoh"},
    "datePublished": "2024-05-02",
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Konteks Keliru",
    },
    "itemReviewed": {"@type": "Claim", "author": {"name": "akun Facebook"}},
}


def records(items):
    return [i.record for i in items if i.record]


def errors(items):
    return [(i.line, i.error) for i in items if i.error]


def test_format_is_inferred_from_the_extension() -> None:
    assert infer_format("corpus_2024.jsonl") == "jsonl"
    assert infer_format("X.CSV") == "csv"
    assert infer_format("page.html") == "claimreview"
    assert infer_format("feed.json") == "claimreview"
    with pytest.raises(ImportFormatError):
        infer_format("data.txt")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2 Jan 2024", date(2024, 1, 2)),
        ("12 Juli 2022", date(2022, 7, 12)),
        ("20 Nov 2024", date(2024, 11, 20)),
        ("3 Agu 2024", date(2024, 8, 3)),
        ("2024-05-02", date(2024, 5, 2)),
        ("2024-05-02T10:00:00+08:00", date(2024, 5, 2)),
        ("Selasa, 12 Juli 2022", date(2022, 7, 12)),
        ("12/07/2022", date(2022, 7, 12)),
        ("", None),
    ],
)
def test_dates_in_the_forms_fact_checkers_use(raw: str, expected: date) -> None:
    assert parse_date(raw) == expected


def test_verdict_tags_are_taken_out_of_titles() -> None:
    assert split_title_verdict("[SALAH] Video Jokowi") == ("Video Jokowi", "SALAH")
    assert split_title_verdict("[HOAKS] - Bansos") == ("Bansos", "HOAKS")
    assert split_title_verdict("[Video] Banjir") == ("[Video] Banjir", "")


def test_jsonl_with_the_corpus_fields_and_bad_lines() -> None:
    lines = [
        json.dumps(
            {
                "external_id": "tbh-1",
                "title": "[SALAH] Najwa Diteror",
                "verdict": "SALAH",
                "published": "2 Jan 2024",
                "source": "turnbackhoax.id",
                "url": "https://turnbackhoax.id/?p=1",
            }
        ),
        json.dumps({"external_id": "komdigi-2", "title": "hoaks rupiah"}),
        "",
        "{not json",
        json.dumps({"title": "no id"}),
        json.dumps({"external_id": "x-3", "title": "t", "verdict": "kucing"}),
        json.dumps({"external_id": "x-4", "title": "t", "published": "kemarin"}),
        json.dumps(["a list"]),
    ]
    items = list(parse("\n".join(lines), "jsonl"))
    first, second = records(items)
    assert first.title == "Najwa Diteror" and first.verdict == "salah"
    assert first.published == date(2024, 1, 2) and first.source == "turnbackhoax.id"
    assert second.verdict == "salah" and second.source_verdict == ""
    assert [line for line, _ in errors(items)] == [4, 5, 6, 7, 8]
    assert "title" not in errors(items)[1][1] and "external_id" in errors(items)[1][1]
    assert "kucing" in errors(items)[2][1]


def test_csv_with_the_same_columns() -> None:
    text = (
        "external_id,title,claim,verdict,explanation,conclusion,published,source,url\n"
        'a-1,"Tower BTS, kanker",klaim,HOAKS,penjelasan,kesimpulan,2024-01-03,'
        "Contoh,https://e.example/1\n"
        ",tanpa id,,,,,,,\n"
        "a-2,Judul,,Satire,,,,,,extra\n"
    )
    items = list(parse(text, "csv"))
    (rec,) = records(items)
    assert rec.title == "Tower BTS, kanker" and rec.verdict == "hoaks"
    assert rec.claim == "klaim" and rec.url == "https://e.example/1"
    assert [line for line, _ in errors(items)] == [3, 4]


def test_claimreview_single_list_graph_and_web_page() -> None:
    (one,) = records(parse(json.dumps(CLAIMREVIEW), "claimreview"))
    assert one.external_id == CLAIMREVIEW["url"]
    assert one.title == "Video banjir besar di Samarinda pekan ini"
    assert one.verdict == "konteks_keliru" and one.source_verdict == "Konteks Keliru"
    assert one.source == "Cek Fakta Contoh" and one.published == date(2024, 5, 2)

    second = {**CLAIMREVIEW, "url": "https://cekfakta.example/2", "headline": "H2"}
    second["reviewRating"] = {"ratingValue": 1, "bestRating": 5, "worstRating": 1}
    assert len(records(parse(json.dumps([CLAIMREVIEW, second]), "claimreview"))) == 2
    graph = {"@context": "https://schema.org", "@graph": [CLAIMREVIEW, second]}
    recs = records(parse(json.dumps(graph), "claimreview"))
    assert [r.verdict for r in recs] == ["konteks_keliru", "salah"]

    page = (
        "<html><head><title>x</title>"
        '<script type="application/ld+json">{"@type": "WebPage"}</script>'
        f'<script type="application/ld+json">{json.dumps(CLAIMREVIEW)}</script>'
        "</head><body>…</body></html>"
    )
    assert [r.external_id for r in records(parse(page, "claimreview"))] == [
        CLAIMREVIEW["url"]
    ]
    with pytest.raises(ImportFormatError):
        list(parse("<html>no json-ld</html>", "claimreview"))


def test_claimreview_bad_items_are_reported_by_number() -> None:
    bad = {"@type": "ClaimReview", "reviewRating": {"alternateName": "Salah"}}
    items = list(parse(json.dumps([CLAIMREVIEW, bad]), "claimreview"))
    assert len(records(items)) == 1
    assert errors(items) == [(2, "ClaimReview without url or @id")]


def test_rss_entries_with_verdict_tags() -> None:
    rss = """<?xml version="1.0"?><rss version="2.0"><channel><title>Contoh</title>
    <item><title>[SALAH] Pesut wifi</title><link>https://e.example/p/1</link>
    <guid>https://e.example/?p=1</guid>
    <pubDate>Tue, 12 Jul 2022 10:00:00 +0800</pubDate>
    <description>&lt;p&gt;Penjelasan&lt;/p&gt;</description></item>
    </channel></rss>"""
    (rec,) = records(parse(rss, "rss"))
    assert rec.title == "Pesut wifi" and rec.verdict == "salah"
    assert rec.source == "Contoh" and rec.published == date(2022, 7, 12)
    assert rec.explanation == "Penjelasan"


def test_a_category_column_becomes_a_topic() -> None:
    """turnbackhoax's LLM_CATEGORY, a "category"/"topic" column, RSS categories;
    a label that names no subject leaves the topic to the classifier ("")."""
    text = (
        "external_id,title,LLM_CATEGORY\n"
        "k-1,Akun WhatsApp Pj Bupati,scam\n"
        "k-2,Debat capres,politics\n"
        "k-3,Gempa di Berau,others\n"
    )
    assert [r.topic for r in records(parse(text, "csv"))] == ["penipuan", "politik", ""]
    line = json.dumps({"external_id": "k-4", "title": "X", "category": "Kesehatan"})
    (rec,) = records(parse(line, "jsonl"))
    assert rec.topic == "kesehatan"
    line = json.dumps(
        {"external_id": "k-5", "title": "X", "topic": "Klarifikasi Hoaks"}
    )
    assert records(parse(line, "jsonl"))[0].topic == ""
    rss = """<?xml version="1.0"?><rss version="2.0"><channel><title>Contoh</title>
    <item><title>[HOAKS] Banjir</title><link>https://e.example/p/2</link>
    <category>Hoaks</category><category>Bencana</category></item>
    </channel></rss>"""
    (rec,) = records(parse(rss, "rss"))
    assert rec.topic == "bencana"
