"""Simpul's logo and icon, and the deploying office's name and logo."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_with_the_svg_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.svg")
    assert "max-age=86400" in response["Cache-Control"]
    icon = finders.find("img/favicon.svg")
    assert icon and Path(icon).read_text(encoding="utf-8").startswith("<svg")


def test_pages_carry_the_logo_icon_and_office(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OFFICE_NAME = "Diskominfo Kabupaten Kutai Kartanegara"
    settings.OFFICE_LOGO_URL = "/media/kukar.svg"
    html = client.get("/cek-fakta/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in html
    assert 'src="/static/img/simpul.svg"' in html
    assert 'src="/media/kukar.svg" alt="Diskominfo Kabupaten Kutai Kartanegara"' in html
    assert html.count("Diskominfo Kabupaten Kutai Kartanegara") >= 2  # header, footer
    # The menu folds on phones: a <details>, no script in the page.
    assert '<details class="menu">' in html and "<summary>Menu</summary>" in html
    assert "<script>" not in html and "onclick" not in html


def test_no_office_logo_by_default(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "office-logo" not in html
    assert "Diskominfo Provinsi Kalimantan Timur" in html
