"""Feeds that feed readers accept as they are (issue 11)."""

from typing import Any

import feedparser
import pytest
from django.test import Client

from newsroom.models import Article

pytestmark = pytest.mark.django_db


def test_atom_and_rss_parse_cleanly_with_iri_entry_ids(
    client: Client, published: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://simpul.example.id"
    for url in ("/kabar/atom/", "/kabar/rss/", "/kabar/wilayah/64.02/atom/"):
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert feed.entries, url
        entry = feed.entries[0]
        assert entry.id == f"tag:simpul.example.id,2026:kabar/{published.pk}", url
    # The same article keeps its id when its title changes.
    published.title = "Judul baru"
    published.save()
    again = feedparser.parse(client.get("/kabar/atom/").content)
    assert again.entries[0].id == f"tag:simpul.example.id,2026:kabar/{published.pk}"


def test_monthly_report_pdf_embeds_its_font(
    client: Client, published: Any, editor: Any
) -> None:
    from django.utils import timezone

    from core.tests.pdf_checks import assert_embedded_font_with

    Article.objects.filter(pk=published.pk).update(title="Kabar Đặng Nguyễn")
    client.force_login(editor)
    month = f"{timezone.localdate():%Y-%m}"
    pdf = client.get(f"/kabar/staf/laporan/64.02/{month}.pdf")
    assert pdf.status_code == 200
    assert_embedded_font_with(pdf.content, "Kabar Đặng Nguyễn")


def test_article_jsonld_keeps_a_hostile_title_inside(
    client: Client, published: Any
) -> None:
    import json
    import re

    title = "Kabar </script><script>window.pwned=1</script>"
    Article.objects.filter(pk=published.pk).update(title=title)
    html = client.get(published.get_absolute_url()).content.decode()
    assert "<script>window.pwned" not in html
    (block,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    assert json.loads(block)["headline"] == title
