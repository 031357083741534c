from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from core.geojson import rfc7946_geometry, simplify_geometry, tolerance_for_zoom
from regions import provinces
from regions.codes import subtree_q
from regions.models import Region, RegionBoundary
from regions.names import Place, Resolution, resolve
from regions.search import alias_code, normalize, skeleton

# Names the trigram index hands to the fuzzy comparison (``_misspelled``).
FUZZY_CANDIDATES = 200

_LEVEL_RANK = Case(
    When(level=Region.Level.PROVINCE, then=Value(0)),
    When(level=Region.Level.REGENCY, then=Value(1)),
    When(level=Region.Level.DISTRICT, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


#: The cache key of ``regency_choices`` (emptied by ``regions_import``).
REGENCY_CHOICES_KEY = "regions:regency_choices:v1"


def regency_choices() -> list[tuple[str, str]]:
    """(code, name) of every regency/city in code order, for filter lists: 514
    for the whole country, read from the cache (a region import empties it)."""
    found = cache.get(REGENCY_CHOICES_KEY)
    if found is None:
        found = list(
            Region.objects.filter(level=Region.Level.REGENCY)
            .order_by("kode")
            .values_list("kode", "name")
        )
        cache.set(REGENCY_CHOICES_KEY, found, 6 * 3600)
    return found


def region_get(*, kode: str) -> Region | None:
    return Region.objects.select_related("parent").filter(kode=kode).first()


def region_list(
    *,
    parent: str | None = None,
    level: str | None = None,
    q: str = "",
    served: bool = False,
) -> QuerySet[Region]:
    """Regions filtered by parent code and level, searched by name; only those of
    the provinces served with ``served`` (the pages and the picker; the API
    lists the whole national reference).

    The search is tolerant of case, region-kind words ("Kabupaten", "Kec.") and
    spelling variants, knows local short names ("Kukar"), and falls back to a fuzzy
    comparison when nothing matches directly.
    """
    regions = Region.objects.select_related("parent")
    if served:
        # Before the matching: the fuzzy fallback then looks among them alone.
        regions = regions.filter(provinces.served_q("kode"))
    if parent:
        regions = regions.filter(parent_id=parent)
    if level:
        regions = regions.filter(level=level)
    if not q.strip():
        return regions.order_by("kode")
    name, key = normalize(q), skeleton(q)
    alias = alias_code(q)
    match = (
        Q(search_name__contains=name) | Q(former_search__contains=name)
        if name
        else Q(pk__in=[])
    )
    if key:
        match |= Q(search_key__contains=key)
    if alias:
        match |= Q(kode=alias)
    found = regions.filter(match)
    if not found.exists() and key:
        found = regions.filter(kode__in=_misspelled(regions, key))
    return found.annotate(
        exact=Case(
            When(Q(search_name=name) | Q(kode=alias or ""), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        level_rank=_LEVEL_RANK,
    ).order_by("exact", "level_rank", "name", "kode")


def _misspelled(regions: QuerySet[Region], key: str) -> list[str]:
    """Codes of the regions whose name is close to a misspelled ``key`` (a
    difflib ratio of 0.8 or more; 20 names at most, each with every region that
    bears it). PostgreSQL first narrows the names to those sharing trigrams with
    ``key`` through the trigram index (migration 0003): comparing all 91,599 took
    300 to 400 ms a search."""
    names = regions
    if connection.vendor == "postgresql":
        names = (
            regions.filter(TrigramSimilar(F("search_key"), key))
            .annotate(similarity=TrigramSimilarity("search_key", key))
            .order_by("-similarity")[:FUZZY_CANDIDATES]
        )
    codes: dict[str, list[str]] = {}
    for name, code in names.values_list("search_key", "kode"):
        codes.setdefault(name, []).append(code)
    close = difflib.get_close_matches(key, list(codes), n=20, cutoff=0.8)
    return [code for name in close for code in codes[name]]


@dataclass(frozen=True)
class RegionSummary:
    region: Region
    descendants: dict[str, int]
    desa: int
    kelurahan: int


def descendant_counts(*, kode: str) -> dict[str, int]:
    """How many regions of each level lie beneath ``kode`` (one query)."""
    rows = (
        Region.objects.filter(kode__startswith=kode + ".", retired_at__isnull=True)
        .values("level", "kind")
        .annotate(n=Count("kode"))
    )
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["level"]] = counts.get(row["level"], 0) + row["n"]
        if row["level"] == Region.Level.VILLAGE:
            counts[row["kind"]] = row["n"]
    return counts


def region_summary(*, region: Region) -> RegionSummary:
    counts = descendant_counts(kode=region.kode)
    return RegionSummary(
        region=region,
        descendants={
            level: counts.get(level, 0)
            for level in (
                Region.Level.REGENCY,
                Region.Level.DISTRICT,
                Region.Level.VILLAGE,
            )
        },
        desa=counts.get(Region.Kind.DESA, 0),
        kelurahan=counts.get(Region.Kind.KELURAHAN, 0),
    )


def region_ancestors(*, region: Region) -> list[Region]:
    """From the province down to the region's parent."""
    parts = region.kode.split(".")
    codes = [".".join(parts[:i]) for i in range(1, len(parts))]
    by_code = {r.kode: r for r in Region.objects.filter(kode__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def _feature(
    region: Region, geometry: dict[str, Any] | None, zoom: int | None = None
) -> dict[str, Any]:
    if zoom is not None:
        geometry = simplify_geometry(geometry, tolerance_for_zoom(zoom))
    return {
        "type": "Feature",
        "id": region.kode,
        "properties": {
            "kode": region.kode,
            "name": region.name,
            "level": region.level,
            "kind": region.kind,
            "rep_lat": region.rep_lat,
            "rep_lng": region.rep_lng,
            "url": region.get_absolute_url(),
        },
        "geometry": rfc7946_geometry(geometry),
    }


def region_feature(*, region: Region, zoom: int | None = None) -> dict[str, Any]:
    """The region with its boundary; simplified for ``zoom`` when given."""
    shape = RegionBoundary.objects.filter(region=region).values_list(
        "geometry", flat=True
    )
    return _feature(region, shape.first(), zoom)


def region_children_features(
    *, region: Region, zoom: int | None = None
) -> dict[str, Any]:
    """The children of a region with their boundaries, as a FeatureCollection."""
    children = list(region.children.order_by("kode"))
    shapes = dict(
        RegionBoundary.objects.filter(region__in=children).values_list(
            "region_id", "geometry"
        )
    )
    return {
        "type": "FeatureCollection",
        "features": [
            _feature(child, shapes.get(child.kode), zoom) for child in children
        ],
    }


def children_with_counts(*, region: Region) -> list[tuple[Region, int]]:
    """Each child with the number of its own children (villages of a kecamatan…)."""
    children = region.children.annotate(n=Count("children")).order_by("kode")
    return [(child, child.n) for child in children]


def village_resolve(*, text: str, within: str | None = None) -> Resolution:
    """The villages that a typed ``text`` names ("Ma. Aloh", "muara aloh, Muara
    Badak"), among those under ``within`` (a kabupaten or kecamatan code) when
    given; the matching itself is regions.names, mirrored on the phone.  Only
    the villages of the provinces served: a name found elsewhere in the national
    list means no village here."""
    villages = Region.objects.filter(
        provinces.served_q("kode"), level=Region.Level.VILLAGE, retired_at__isnull=True
    )
    if within:
        villages = villages.filter(subtree_q(within, lookup="kode"))
    places = [
        Place(kode=kode, name=name, parent=parent or "")
        for kode, name, parent in villages.values_list("kode", "name", "parent__name")
    ]
    return resolve(text, places)


class VillageNotFound(ValidationError):
    """A typed village name that names no village or several; ``candidates`` are
    the several ("Name, District"), for the person to choose from."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__({"region": [message]})
        self.candidates = candidates or []


def village_from_text(*, text: str, within: str | None = None) -> Region:
    """The village a typed code or name means, or VillageNotFound with the reason
    in the person's language."""
    text = text.strip()
    resolution = village_resolve(text=text, within=within)
    kode = resolution.kode or (resolution.found.kode if resolution.found else None)
    region = (
        Region.objects.filter(
            provinces.served_q("kode"), kode=kode, level=Region.Level.VILLAGE
        )
        .select_related("parent")
        .first()
        if kode
        else None
    )
    if region is not None:
        return region
    if resolution.kode:
        raise VillageNotFound(
            _("No village has the code %(kode)s.") % {"kode": resolution.kode}
        )
    if not resolution.matches:
        raise VillageNotFound(
            _(
                "No village named “%(name)s” was found. Check the spelling or "
                "choose a village from the list."
            )
            % {"name": text[:100]}
        )
    candidates = [f"{p.name}, {p.parent}" for p in resolution.matches[:10]]
    raise VillageNotFound(
        _(
            "“%(name)s” may mean several villages: %(candidates)s. Choose one "
            "from the list."
        )
        % {"name": text[:100], "candidates": "; ".join(candidates)},
        candidates,
    )
