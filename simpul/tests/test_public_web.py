"""What search engines and link previews read on the public pages (issue 11):
the sitemap index covers every kind of public page, robots.txt points at it, the
home page announces its feeds, and every public page has OpenGraph tags."""

import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.test import Client

from core.demo import demo_loaders
from datahub.models import Dataset
from factcheck.models import FactCheck
from network.models import Event, Kim

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def demo(kaltim) -> None:  # type: ignore[no-untyped-def]
    for name, loader in demo_loaders():
        if name in ("accounts", "network", "factcheck", "datahub", "newsroom"):
            loader()


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.og: dict[str, list[str]] = {}
        self.alternates: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or "").startswith("og:"):
            self.og.setdefault(a["property"], []).append(a.get("content") or "")
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append((a.get("type") or "", a.get("href") or ""))


def _meta(html: str) -> _Meta:
    parser = _Meta()
    parser.feed(html)
    return parser


def _locs(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    return [e.text or "" for e in root.findall(".//s:loc", NS)]


def test_sitemap_index_covers_every_kind_of_public_page(client: Client, demo) -> None:
    sections = _locs(client, "/sitemap.xml")
    names = {re.search(r"sitemap-([\w-]+)\.xml", s).group(1) for s in sections}
    assert {"kabar", "cek-fakta", "data", "kim", "acara", "wilayah"} <= names
    urls = [u for s in sections for u in _locs(client, s.split("testserver")[1])]
    fc = FactCheck.objects.filter(status="published").first()
    dataset = Dataset.objects.filter(status="published").first()
    kim = Kim.objects.first()
    event = Event.objects.filter(is_published=True).first()
    for obj in (fc, dataset, kim, event):
        assert obj is not None
        assert f"http://testserver{obj.get_absolute_url()}" in urls
    assert "http://testserver/wilayah/64.02/" in urls
    drafts = Dataset.objects.exclude(status="published")
    for d in drafts:
        assert f"http://testserver{d.get_absolute_url()}" not in urls

    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    text = robots.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for path in ("/admin/", "/staf/", "/kabar/staf/", "/api/", "/hooks/", "/berhenti/"):
        assert f"Disallow: {path}\n" in text


def test_home_announces_its_feeds(client: Client, kaltim) -> None:
    alternates = _meta(client.get("/").content.decode()).alternates
    assert ("application/rss+xml", "/kabar/rss/") in alternates
    assert ("application/atom+xml", "/kabar/atom/") in alternates


def test_every_public_page_has_opengraph(client: Client, demo) -> None:
    fc = FactCheck.objects.filter(status="published").first()
    pages = [
        "/",
        "/wilayah/64.02/",
        "/kabar/",
        "/cek-fakta/",
        "/cek-fakta/arsip/",
        fc.get_absolute_url(),
        "/data/",
        Dataset.objects.filter(status="published").first().get_absolute_url(),
        "/kim/",
        Kim.objects.first().get_absolute_url(),
        "/acara/",
        Event.objects.filter(is_published=True).first().get_absolute_url(),
        "/sinyal/",
        "/ppid/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        og = _meta(response.content.decode()).og
        for prop in ("og:title", "og:description", "og:url", "og:type"):
            assert len(og.get(prop, [])) == 1, (url, prop, og.get(prop))
            assert og[prop][0].strip(), (url, prop)
        assert og["og:locale"] == ["id_ID"], url
        assert og["og:url"][0] == f"http://testserver{url}", url
    og = _meta(client.get(fc.get_absolute_url()).content.decode()).og
    assert og["og:type"] == ["article"]
    assert og["og:title"][0] == f"[{fc.verdict_label}] {fc.title}"
    assert og["og:image"][0].endswith("kartu.png")
