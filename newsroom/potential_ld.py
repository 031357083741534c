"""schema.org markup of a local-potential story's subject.

Which type, and why:

- produk lokal → ``LocalBusiness``: the maker or seller the story is about
  (name, address, geo, telephone, ``priceRange``, ``openingHours``). A product
  alone (``Product``) has no address, telephone or opening hours, and search
  engines expect offers with numeric prices we do not have.
- wisata → ``TouristAttraction`` (a ``Place``): geo, address, telephone. A
  Place has no ``openingHours``/``priceRange``, so the hours go in an
  ``OpeningHoursSpecification`` with the writer's words as its description and
  the price in an ``additionalProperty`` (``PropertyValue``): both valid on a
  Place, and the free text is not forced into a format writers do not use.
- budaya with a start date → ``Event`` (a festival, a ceremony): start and end
  dates, the location as a ``Place`` (address, geo, telephone), the author as
  organiser of the story, the price as an ``Offer`` description.
- budaya without a date but with a point → ``LandmarksOrHistoricalBuildings``
  (a palace, a longhouse, a monument: something standing somewhere).
- budaya without a date or a point → ``CreativeWork`` (a dance, a craft, a
  tradition), with its region as ``spatialCoverage`` (a ``Place`` holding the
  address and telephone).

The address uses region names: the village and district in ``streetAddress``
(after the writer's own address), the regency/city as ``addressLocality``, the
province as ``addressRegion``.
"""

from __future__ import annotations

from typing import Any

from newsroom.models import Potential, PotentialCategory
from regions.models import Region


def postal_address(potential: Potential, chain: list[Region]) -> dict[str, Any]:
    """``chain``: the place's regions from the province down to the place."""
    by_level = {r.level: r for r in chain}
    street = [potential.address]
    for level in (Region.Level.VILLAGE, Region.Level.DISTRICT):
        region = by_level.get(level)
        if region is not None:
            street.append(region.name)
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "ID"}
    if street := [s for s in street if s]:
        address["streetAddress"] = ", ".join(street)
    if (regency := by_level.get(Region.Level.REGENCY)) is not None:
        address["addressLocality"] = regency.name
    if (province := by_level.get(Region.Level.PROVINCE)) is not None:
        address["addressRegion"] = province.name
    return address


def _geo(potential: Potential) -> dict[str, Any] | None:
    if not potential.has_point:
        return None
    return {
        "@type": "GeoCoordinates",
        "latitude": potential.lat,
        "longitude": potential.lng,
    }


def schema_type(potential: Potential) -> str:
    if potential.category == PotentialCategory.PRODUCT:
        return "LocalBusiness"
    if potential.category == PotentialCategory.TOURISM:
        return "TouristAttraction"
    if potential.starts_on:
        return "Event"
    if potential.has_point:
        return "LandmarksOrHistoricalBuildings"
    return "CreativeWork"


def _place_facts(potential: Potential, chain: list[Region]) -> dict[str, Any]:
    """Where the place is and how to reach it: its address, point and phone."""
    facts: dict[str, Any] = {"address": postal_address(potential, chain)}
    if geo := _geo(potential):
        facts["geo"] = geo
    if potential.phone:
        facts["telephone"] = potential.phone
    return facts


def _place(potential: Potential, chain: list[Region], name: str) -> dict[str, Any]:
    return {"@type": "Place", "name": name, **_place_facts(potential, chain)}


def potential_json_ld(
    potential: Potential,
    *,
    chain: list[Region],
    url: str,
    description: str,
    author_name: str,
    image_url: str = "",
) -> dict[str, Any]:
    """The story's subject as one JSON-LD object (``@id`` is the page's
    ``#potensi``, which the page's NewsArticle names as its ``about``)."""
    kind = schema_type(potential)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": f"{url}#potensi",
        "name": potential.name,
        "description": description,
        "url": url,
    }
    if kind in ("CreativeWork", "Event"):
        data["inLanguage"] = "id"  # a Place or a business has no language
    if image_url:
        data["image"] = image_url
    if kind == "LocalBusiness":
        data.update(_place_facts(potential, chain))
        if potential.price_range:
            data["priceRange"] = potential.price_range
        if potential.opening_hours:
            data["openingHours"] = potential.opening_hours
    elif kind in ("TouristAttraction", "LandmarksOrHistoricalBuildings"):
        data.update(_place_facts(potential, chain))
        if potential.opening_hours:
            data["openingHoursSpecification"] = {
                "@type": "OpeningHoursSpecification",
                "description": potential.opening_hours,
            }
        if potential.price_range:
            data["additionalProperty"] = {
                "@type": "PropertyValue",
                "name": "Harga",
                "value": potential.price_range,
            }
    elif kind == "Event":
        starts_on = potential.starts_on
        assert starts_on is not None
        data["startDate"] = starts_on.isoformat()
        data["endDate"] = (potential.ends_on or starts_on).isoformat()
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        data["location"] = _place(potential, chain, potential.place.name)
        data["organizer"] = {"@type": "Organization", "name": author_name}
        if potential.price_range:
            data["offers"] = {
                "@type": "Offer",
                "description": potential.price_range,
                "url": url,
            }
    else:  # CreativeWork: a tradition, a dance, a craft
        data["spatialCoverage"] = _place(potential, chain, potential.place.name)
    return data
