"""No public page of the demo is wider than a 360 px phone.

The pages come from the sitemap (one of each kind: the first article, KIM,
fact-check…), the region pages of every level and the forms a citizen fills.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# Pages no sitemap lists: forms, lists and the region pages of every level.
FIXED = [
    "/",
    "/wilayah/64/",
    "/wilayah/64.02/",
    "/wilayah/64.02.06/",
    "/wilayah/64.02.06.1001/",
    "/wilayah/64/data/",
    "/wilayah/64.02/data/",
    "/wilayah/64.02.06/data/",
    "/cek-fakta/",
    "/cek-fakta/arsip/",
    "/sinyal/",
    "/sinyal/lapor/",
    "/sinyal/wilayah/64/",
    "/sinyal/wilayah/64.02/",
    "/sinyal/desa/64.02.06.1001/",
    "/sinyal/program/",
    "/kim/",
    "/kim/statistik/",
    "/kim/statistik/64.02/",
    "/forum-kim/",
    "/acara/",
    "/sertifikat/cek/",
    "/kabar/",
    "/kabar/wilayah/64.02/",
    "/kabar/langganan/",
    "/data/",
    "/ppid/",
    "/ppid/ajukan/",
    "/ppid/lacak/",
    "/masuk/",
]


def _shape(path: str) -> str:
    """Pages of one kind share a shape: ids, slugs and codes become ``*``."""
    return "/".join(
        "*" if re.search(r"[\d-]", part) else part for part in path.split("/")
    )


def _sitemap_pages(client: Client) -> list[str]:
    index = client.get("/sitemap.xml").content.decode()
    pages: list[str] = []
    for section in re.findall(r"<loc>([^<]+)</loc>", index):
        body = client.get(urlsplit(section).path).content.decode()
        pages += [urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", body)]
    return pages


def public_pages(client: Client) -> list[str]:
    seen = {_shape(p) for p in FIXED}
    pages = list(FIXED)
    for path in _sitemap_pages(client):
        if _shape(path) not in seen:
            seen.add(_shape(path))
            pages.append(path)
    return pages


def test_no_public_page_is_wider_than_a_phone(page, live_server) -> None:  # type: ignore[no-untyped-def]
    call_command("load_demo", verbosity=0)
    pages = public_pages(Client())
    assert len(pages) >= len(FIXED) + 5  # articles, KIMs, events, fact-checks…
    page.set_viewport_size(PHONE)
    page.set_default_timeout(20_000)
    too_wide: dict[str, int] = {}
    broken: dict[str, int] = {}
    for path in pages:
        response = page.goto(live_server.url + path, wait_until="load")
        if response is None or response.status != 200:
            broken[path] = response.status if response else 0
            continue
        # A number back, not wait_for_function: the CSP refuses string scripts.
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    assert not broken, broken
    assert not too_wide, too_wide
