"""A hostile title from an import cannot run script on the public page, and the
page's ClaimReview says what search engines need (issue 11)."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from factcheck.models import FactCheck

HOSTILE = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


def _import(tmp_path: Path, review: dict) -> FactCheck:
    # A publisher's ClaimReview export, read by the real importer.
    page = tmp_path / "claimreview.json"
    page.write_text(json.dumps([review]))
    call_command("import_factchecks", str(page))
    return FactCheck.objects.get(external_id=review["url"])


def _hostile(tmp_path: Path) -> FactCheck:
    return _import(
        tmp_path,
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://cek.example/hoaks-1",
            "headline": f"Awas {HOSTILE}",
            "claimReviewed": f"Klaim {HOSTILE}",
            "author": {"@type": "Organization", "name": "Cek Contoh"},
            "reviewRating": {"alternateName": "Hoaks"},
        },
    )


def _jsonld(html: str) -> dict:
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


@pytest.mark.django_db
def test_a_hostile_imported_title_stays_inside_the_jsonld(
    client: Client, tmp_path: Path
) -> None:
    fc = _hostile(tmp_path)
    assert HOSTILE in fc.title
    response = client.get(fc.get_absolute_url())
    html = response.content.decode()
    assert "<script>window.pwned" not in html
    assert "<img src=x" not in html
    data = _jsonld(html)
    assert data["headline"] == fc.title
    assert data["claimReviewed"] == fc.claim_reviewed
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.split() == ["'self'"]
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy


@pytest.mark.django_db
def test_every_public_page_sends_the_policy(client: Client, kaltim) -> None:
    for url in ("/", "/kabar/", "/cek-fakta/", "/cek-fakta/arsip/", "/data/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url


@pytest.mark.django_db
def test_claimreview_points_at_our_page_and_describes_the_claim(
    client: Client, tmp_path: Path
) -> None:
    fc = _import(
        tmp_path,
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://cek.example/hoaks-2",
            "claimReviewed": "Tower BTS Kukar sebabkan kanker",
            "author": {"@type": "Organization", "name": "Cek Contoh"},
            "reviewRating": {"alternateName": "Hoaks"},
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Person", "name": "Akun Anonim"},
                "appearance": [
                    {"@type": "CreativeWork", "url": "https://sosmed.example/p/1"},
                    "https://sosmed.example/p/2",
                ],
            },
        },
    )
    assert fc.published_on is None  # the source gave no date
    data = _jsonld(client.get(fc.get_absolute_url()).content.decode())
    assert data["url"] == "http://testserver" + fc.get_absolute_url()
    assert data["isBasedOn"] == "https://cek.example/hoaks-2"
    # The deployment's date (WITA), not UTC's: they differ from 16:00 UTC on.
    assert data["datePublished"] == timezone.localdate(fc.created_at).isoformat()
    item = data["itemReviewed"]
    assert item["author"]["name"] == "Akun Anonim"
    assert [a["url"] for a in item["appearance"]] == [
        "https://sosmed.example/p/1",
        "https://sosmed.example/p/2",
    ]
    assert item["firstAppearance"]["url"] == "https://sosmed.example/p/1"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hostile_title_runs_nothing_in_chromium(page, live_server, tmp_path) -> None:
    fc = _hostile(tmp_path)
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + fc.get_absolute_url())
    assert page.evaluate("() => window.pwned") is None
    text = page.evaluate(
        "() => document.querySelector('script[type=\"application/ld+json\"]')"
        ".textContent"
    )
    assert json.loads(text)["headline"] == fc.title
    assert "Awas </script>" in page.inner_text("h1")
    # Even markup that escapes escaping would not run: inline script is refused.
    ran = page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.appendChild(s);"
        " return window.injected; }"
    )
    assert ran is None
    # The site's own scripts still work (copy button, from static/js/simpul.js).
    page.click("[data-copy-from]")
    assert page.inner_text("[data-copy-from]") == "Tersalin"
    assert dialogs == [] and errors == []
