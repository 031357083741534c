"""An event as others read it: iCalendar (RFC 5545) for calendar apps and
schema.org Event for search engines."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.timezone import localtime
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from network.models import Event

# An event without an end time is shown as two hours long.
DEFAULT_LENGTH = timedelta(hours=2)


def _location(event: Event) -> str:
    parts = [event.venue, event.address, event.region.name if event.region else ""]
    return ", ".join(p for p in parts if p)


def event_ics(event: Event, *, url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Simpul//Acara KIM//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    item = CalendarEvent()
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    # Stable across edits, so a calendar updates the event instead of adding one.
    item.add("uid", f"acara-{event.pk}@{host}")
    item.add("dtstamp", event.created_at)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at or event.starts_at + DEFAULT_LENGTH)
    item.add("summary", event.title)
    # Never the online meeting link: it is for registered participants only,
    # reached through their own participant page.
    description = "\n\n".join(p for p in (event.theme, event.description, url) if p)
    item.add("description", description)
    if location := _location(event):
        item.add("location", location)
    item.add("url", url)
    if event.organisers:
        item.add("organizer", f"https://{host}/", parameters={"cn": event.organisers})
    cal.add_component(item)
    return cal.to_ical()


def event_jsonld(event: Event, *, url: str) -> dict[str, Any]:
    place = _location(event)
    if event.online_url and place:
        mode = "MixedEventAttendanceMode"
    elif event.online_url:
        mode = "OnlineEventAttendanceMode"
    else:
        mode = "OfflineEventAttendanceMode"
    locations: list[dict[str, Any]] = []
    if place:
        locations.append(
            {
                "@type": "Place",
                "name": event.venue or event.region.name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": event.address,
                    "addressLocality": event.region.name,
                    "addressCountry": "ID",
                },
            }
        )
    if event.online_url:
        # The meeting link is for registered participants only (their own page
        # records their attendance); the public learns where to register.
        locations.append({"@type": "VirtualLocation", "url": url})
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        # Local time with its offset, as the page shows it.
        "startDate": localtime(event.starts_at).isoformat(),
        "endDate": localtime(
            event.ends_at or event.starts_at + DEFAULT_LENGTH
        ).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "location": locations[0] if len(locations) == 1 else locations,
        "inLanguage": "id",
    }
    if event.description or event.theme:
        data["description"] = event.description or event.theme
    organiser = event.organisers or (
        event.organiser_region.name if event.organiser_region else ""
    )
    if organiser:
        data["organizer"] = {"@type": "Organization", "name": organiser}
    return data
