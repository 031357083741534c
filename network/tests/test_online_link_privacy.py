"""An event's online meeting link is for registered participants only (issue 15):
no public output carries it (the event page and its JSON-LD, the .ics, the public
API, the public exports, the region and home pages, the sitemap); a participant
reaches it through their own page, an organiser sees it on the staff pages."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from accounts.models import Role
from network import services
from network.models import Event

pytestmark = pytest.mark.django_db
SECRET = "https://meet.example.org/rahasia-ruang-7"


@pytest.fixture
def event(make_event) -> Event:
    return make_event(online_url=SECRET, address="Jl. Diponegoro 1")


def _no_secret(content: bytes | str) -> None:
    text = content.decode() if isinstance(content, bytes) else content
    assert "rahasia-ruang-7" not in text


def test_event_page_and_its_jsonld_hide_the_link(client: Client, event: Event) -> None:
    html = client.get(event.get_absolute_url()).content.decode()
    _no_secret(html)
    (block,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    data = json.loads(block)
    # Still an event one can attend online: the virtual location is the page
    # where one registers.
    assert data["eventAttendanceMode"].endswith("MixedEventAttendanceMode")
    virtual = next(x for x in data["location"] if x["@type"] == "VirtualLocation")
    assert virtual["url"].endswith(event.get_absolute_url())


def test_ics_hides_the_link(client: Client, event: Event) -> None:
    response = client.get(f"/acara/{event.pk}/acara.ics")
    assert response.status_code == 200
    _no_secret(response.content)


def test_public_api_hides_the_link(client: Client, event: Event) -> None:
    listing = client.get("/api/v1/events").content
    _no_secret(listing)
    detail = client.get(f"/api/v1/events/{event.pk}")
    assert detail.status_code == 200
    _no_secret(detail.content)
    assert detail.json()["online"] is True
    assert "online_url" not in detail.json()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_public_event_exports_hide_the_link(
    client: Client, event: Event, fmt: str
) -> None:
    response = client.get("/acara/", {"format": fmt})
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if fmt == "xlsx":
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body)).active
        body = repr(list(sheet.values)).encode()
    assert b"Pelatihan Literasi Digital" in body
    _no_secret(body)


def test_other_public_pages_hide_the_link(client: Client, event: Event) -> None:
    for url in ("/", "/acara/", "/wilayah/64.02.06/", "/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        _no_secret(response.content)


def test_participant_reaches_the_link_through_their_own_page(
    client: Client, event: Event
) -> None:
    participant = services.participant_register(
        actor=None, event=event, full_name="Sari Warga", phone="0812 3456 7890"
    )
    home = client.get(participant.get_absolute_url())
    assert home.status_code == 200
    # The page links to the participant's own redirect (which records attendance
    # during the event), never to the meeting itself.
    _no_secret(home.content)
    join = client.get(f"/acara/peserta/{participant.token}/daring/")
    assert join.status_code == 302 and join["Location"] == SECRET


def test_organiser_sees_the_link_on_staff_pages(
    client: Client, event: Event, make_user
) -> None:
    client.force_login(make_user(Role.REGENCY_ADMIN, "64.02"))
    response = client.get(f"/staf/acara/{event.pk}/ubah/")
    assert response.status_code == 200
    assert SECRET in response.content.decode()
