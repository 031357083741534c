"""An event for calendar apps (.ics, RFC 5545) and for search engines (schema.org
Event JSON-LD through the site's one JSON-LD helper) (issue 11)."""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from icalendar import Calendar

from network.models import Event

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
START = datetime(2027, 3, 4, 9, 0, tzinfo=WITA)


@pytest.fixture
def event(make_event) -> Event:
    return make_event(
        title="Pelatihan </script><script>alert(1)</script> Literasi",
        address="Jl. Diponegoro 1",
        online_url="https://meet.example.org/x",
        starts_at=START,
    )


def test_event_ics_is_an_rfc5545_calendar(client: Client, event: Event) -> None:
    response = client.get(f"/acara/{event.pk}/acara.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = Calendar.from_ical(response.content)
    (item,) = cal.walk("VEVENT")
    assert str(item["summary"]) == event.title
    assert item.decoded("dtstart") == START
    assert (item.decoded("dtend") - START).total_seconds() == 2 * 3600
    assert "Aula Kecamatan" in str(item["location"])
    # A saved calendar entry links to the site (SITE_URL), not the request host.
    assert str(item["url"]) == f"{settings.SITE_URL}/acara/{event.pk}/"
    uid = str(item["uid"])
    event.title = "Judul lain"
    event.save()
    again = Calendar.from_ical(client.get(f"/acara/{event.pk}/acara.ics").content)
    assert str(again.walk("VEVENT")[0]["uid"]) == uid
    page = client.get(f"/acara/{event.pk}/").content.decode()
    assert f'href="/acara/{event.pk}/acara.ics"' in page


def test_draft_events_have_no_ics(client: Client, event: Event) -> None:
    event.is_published = False
    event.save()
    assert client.get(f"/acara/{event.pk}/acara.ics").status_code == 404


def test_event_page_has_schema_org_event(client: Client, event: Event) -> None:
    html = client.get(f"/acara/{event.pk}/").content.decode()
    assert "<script>alert(1)" not in html
    (block,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    data = json.loads(block)
    assert data["@type"] == "Event"
    assert data["name"] == event.title
    assert data["startDate"] == START.isoformat()
    assert data["eventAttendanceMode"].endswith("MixedEventAttendanceMode")
    types = {loc["@type"] for loc in data["location"]}
    assert types == {"Place", "VirtualLocation"}
    assert data["organizer"]["name"] == "Kabupaten Kutai Kartanegara"
