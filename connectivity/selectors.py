"""Reads of the connectivity app: statuses, places, towers, progress and map layers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.urls import reverse

from accounts.models import User
from accounts.permissions import scope_filter
from connectivity.geo import haversine_km
from connectivity.models import (
    TECH_RANK,
    Observation,
    Place,
    Programme,
    ProgressSnapshot,
    SitingPlan,
    Technology,
    Tower,
    VillageStatus,
)
from connectivity.services import usable
from core.geojson import rfc7946_geometry
from regions.models import Region
from regions.selectors import subtree_q as regions_subtree_q


def subtree_q(region: Region, field: str = "region__kode") -> Q:
    """Records whose region (``field`` holds its code) is ``region`` or beneath it."""
    return regions_subtree_q(region.kode, field)


def villages_in(*, region: Region) -> QuerySet[Region]:
    return Region.objects.filter(subtree_q(region, "kode"), level=Region.Level.VILLAGE)


def village_statuses(
    *, region: Region, status: str | None = None
) -> QuerySet[VillageStatus]:
    qs = VillageStatus.objects.filter(subtree_q(region)).select_related(
        "region", "region__parent"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("region_id")


def village_status_get(*, region: Region) -> VillageStatus | None:
    return VillageStatus.objects.filter(region=region).first()


def places_list(*, region: Region, kind: str | None = None) -> QuerySet[Place]:
    qs = Place.objects.filter(subtree_q(region)).select_related("region")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("region_id", "kind", "name")


def place_get(*, pk: int) -> Place | None:
    return Place.objects.select_related("region").filter(pk=pk).first()


def observations_list(
    *, region: Region, include_unconfirmed: bool = False
) -> QuerySet[Observation]:
    qs = Observation.objects.filter(subtree_q(region)).select_related("region", "place")
    if not include_unconfirmed:
        qs = qs.filter(status=Observation.Status.CONFIRMED)
    return qs.order_by("-observed_at", "-id")


def reports_pending(*, actor: User) -> QuerySet[Observation]:
    """Unconfirmed reports in the actor's area, oldest first."""
    qs = Observation.objects.filter(
        status=Observation.Status.UNCONFIRMED
    ).select_related("region", "region__parent")
    return scope_filter(actor, qs).order_by("created_at", "id")


def observation_get(*, pk: int) -> Observation | None:
    return Observation.objects.select_related("region").filter(pk=pk).first()


def towers_list(
    *, region: Region | None = None, status: str | None = None
) -> QuerySet[Tower]:
    qs = Tower.objects.select_related("region", "programme")
    if region is not None:
        qs = qs.filter(subtree_q(region))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("region_id", "name")


def tower_get(*, pk: int) -> Tower | None:
    return (
        Tower.objects.select_related("region", "programme", "dossier")
        .filter(pk=pk)
        .first()
    )


def plans_list(*, actor: User) -> QuerySet[SitingPlan]:
    return scope_filter(actor, SitingPlan.objects.select_related("region"))


def plan_get(*, actor: User, pk: int) -> SitingPlan | None:
    return plans_list(actor=actor).filter(pk=pk).first()


def programme_latest(*, owner_contains: str) -> Programme | None:
    """The newest programme of an owner (``"bakti"``), by year."""
    return (
        Programme.objects.filter(owner__icontains=owner_contains)
        .order_by("-year", "-pk")
        .first()
    )


def programmes_list(*, region: Region | None = None) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("region")
    if region is not None:
        qs = qs.filter(
            subtree_q(region) | Q(region_id__in=_ancestor_codes(region.kode))
        )
    return qs


def _ancestor_codes(kode: str) -> list[str]:
    parts = kode.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


# --- progress -----------------------------------------------------------------


@dataclass
class Progress:
    region: Region | None
    villages: int = 0
    villages_known: int = 0
    villages_signal: int = 0
    villages_blankspot: int = 0
    offices: int = 0
    offices_known: int = 0
    offices_signal: int = 0
    settlement_weight: float = 0.0
    settlement_weight_known: float = 0.0
    settlement_weight_signal: float = 0.0
    economic: int = 0
    economic_known: int = 0
    economic_signal: int = 0
    weight: float = 0.0
    predicted_weight: float = 0.0
    towers_on_air: int = 0
    towers_planned: int = 0

    @staticmethod
    def _share(part: float, whole: float) -> float | None:
        return part / whole if whole else None

    @property
    def villages_share(self) -> float | None:
        return self._share(self.villages_signal, self.villages_known)

    @property
    def offices_share(self) -> float | None:
        return self._share(self.offices_signal, self.offices_known)

    @property
    def settlement_share(self) -> float | None:
        return self._share(self.settlement_weight_signal, self.settlement_weight_known)

    @property
    def economic_share(self) -> float | None:
        return self._share(self.economic_signal, self.economic_known)

    @property
    def predicted_share(self) -> float | None:
        return self._share(self.predicted_weight, self.weight)

    def as_dict(self) -> dict[str, Any]:
        keys = [k for k in self.__dataclass_fields__ if k != "region"]
        out: dict[str, Any] = {k: getattr(self, k) for k in keys}
        out["region"] = self.region.kode if self.region else None
        out["region_name"] = self.region.name if self.region else None
        for name in ("villages", "offices", "settlement", "economic", "predicted"):
            out[f"{name}_share"] = getattr(self, f"{name}_share")
        return out


def _progress_by(
    region: Region, key: Callable[[str], str | None]
) -> dict[str, Progress]:
    """Progress aggregated over the villages under ``region`` by ``key(code)``."""
    out: dict[str, Progress] = {}

    def get(code: str) -> Progress | None:
        k = key(code)
        if k is None:
            return None
        if k not in out:
            out[k] = Progress(region=None)
        return out[k]

    for code in villages_in(region=region).values_list("kode", flat=True):
        if (p := get(code)) is not None:
            p.villages += 1
    for code, status in VillageStatus.objects.filter(subtree_q(region)).values_list(
        "region_id", "status"
    ):
        if (p := get(code)) is None:
            continue
        if status != VillageStatus.Status.UNKNOWN:
            p.villages_known += 1
        if status in (VillageStatus.Status.COVERED, VillageStatus.Status.PARTIAL):
            p.villages_signal += 1
        if status == VillageStatus.Status.BLANKSPOT:
            p.villages_blankspot += 1
    rows = Place.objects.filter(subtree_q(region)).values_list(
        "region_id", "kind", "weight", "observed_tech", "predicted_covered"
    )
    for code, kind, weight, tech, predicted in rows:
        if (p := get(code)) is None:
            continue
        ok = usable(tech)
        p.weight += weight
        if predicted:
            p.predicted_weight += weight
        if kind == Place.Kind.OFFICE:
            p.offices += 1
            p.offices_known += bool(tech)
            p.offices_signal += ok
        elif kind == Place.Kind.SETTLEMENT:
            p.settlement_weight += weight
            if tech:
                p.settlement_weight_known += weight
            if ok:
                p.settlement_weight_signal += weight
        else:
            p.economic += 1
            p.economic_known += bool(tech)
            p.economic_signal += ok
    for code, status in Tower.objects.filter(subtree_q(region)).values_list(
        "region_id", "status"
    ):
        if (p := get(code)) is None:
            continue
        if status == Tower.Status.ON_AIR:
            p.towers_on_air += 1
        else:
            p.towers_planned += 1
    return out


def progress(*, region: Region) -> Progress:
    """Share of villages, offices, settlement weight and economic centres with an
    observed usable signal (over those whose signal is known), with the predicted
    share kept apart."""
    result = _progress_by(region, lambda code: "all").get("all") or Progress(None)
    result.region = region
    return result


def progress_children(*, region: Region) -> list[Progress]:
    """Progress of each child region (kabupaten of the province, kecamatan of a
    kabupaten, villages of a kecamatan)."""
    children = list(region.children.order_by("kode"))
    depth = len(region.kode.split(".")) + 1

    def key(code: str) -> str | None:
        return ".".join(code.split(".")[:depth])

    by = _progress_by(region, key)
    out = []
    for child in children:
        p = by.get(child.kode) or Progress(None)
        p.region = child
        out.append(p)
    return out


def progress_history(*, region: Region) -> list[ProgressSnapshot]:
    return list(ProgressSnapshot.objects.filter(region=region).order_by("day"))


def programme_progress(*, programme: Programme) -> Progress:
    """Progress over the programme's own villages."""
    codes = set(programme.villages.values_list("kode", flat=True))
    by = _progress_by(programme.region, lambda code: "in" if code in codes else None)
    result = by.get("in") or Progress(None)
    result.region = programme.region
    result.towers_on_air = programme.towers.filter(status=Tower.Status.ON_AIR).count()
    result.towers_planned = programme.towers.exclude(status=Tower.Status.ON_AIR).count()
    return result


# --- map layers ---------------------------------------------------------------


def _point(lat: float | None, lng: float | None) -> dict[str, Any] | None:
    # A village without coordinates (outside Kaltim) is a feature without
    # geometry, as GeoJSON allows: listed in exports, not drawn.
    if lat is None or lng is None:
        return None
    return {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]}


def _feature(
    fid: str, lat: float | None, lng: float | None, **props: Any
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": fid,
        "geometry": _point(lat, lng),
        "properties": props,
    }


def village_features(*, region: Region) -> dict[str, Any]:
    statuses = {s.region_id: s for s in VillageStatus.objects.filter(subtree_q(region))}
    features = []
    for v in villages_in(region=region).select_related("parent"):
        s = statuses.get(v.kode)
        status = s.status if s else VillageStatus.Status.UNKNOWN
        features.append(
            _feature(
                v.kode,
                v.rep_lat,
                v.rep_lng,
                kode=v.kode,
                name=v.name,
                kecamatan=v.parent.name if v.parent else "",
                status=status,
                status_label=str(VillageStatus.Status(status).label),
                office_signal=s.office_signal if s else None,
                best_tech=s.best_tech if s else "",
                url=reverse("connectivity:village", kwargs={"kode": v.kode}),
            )
        )
    return {"type": "FeatureCollection", "features": features}


def place_features(*, region: Region) -> dict[str, Any]:
    features = []
    for p in places_list(region=region):
        f = _feature(
            f"place:{p.pk}",
            p.lat,
            p.lng,
            id=p.pk,
            region=p.region_id,
            village=p.region.name,
            kind=p.kind,
            kind_label=str(Place.Kind(p.kind).label),
            name=p.name,
            weight=p.weight,
            households=p.households,
            population=p.population,
            source=p.source_label,
            at_default_location=p.at_default_location,
            observed_tech=p.observed_tech,
            observed_label=str(Technology(p.observed_tech).label)
            if p.observed_tech
            else "",
            observed_at=p.observed_at.isoformat() if p.observed_at else None,
            observed_signal=usable(p.observed_tech) if p.observed_tech else None,
            predicted_covered=p.predicted_covered,
            predicted_margin_db=p.predicted_margin_db,
        )
        if p.geometry:
            f["properties"]["area"] = rfc7946_geometry(p.geometry)
        features.append(f)
    return {"type": "FeatureCollection", "features": features}


def tower_features(
    *, region: Region, statuses: list[str] | None = None
) -> dict[str, Any]:
    features = []
    towers = towers_list(region=region)
    if statuses:
        towers = towers.filter(status__in=statuses)
    for t in towers:
        features.append(
            _feature(
                f"tower:{t.pk}",
                t.lat,
                t.lng,
                id=t.pk,
                name=t.name,
                owner=t.owner,
                owner_label=str(Tower.Owner(t.owner).label),
                status=t.status,
                status_label=str(Tower.Status(t.status).label),
                technology=t.technology,
                height_m=t.height_m,
                model=t.model,
                predicted_range_km=t.predicted_range_km,
                terrain_aware=t.predicted_terrain_aware,
                url=t.get_absolute_url(),
            )
        )
    return {"type": "FeatureCollection", "features": features}


def coverage_features(*, region: Region) -> dict[str, Any]:
    """Predicted coverage: one circle per tower on air (the models are radial)."""
    from connectivity.coverage.grid import GRID_TERRAIN_NOTE, NO_TERRAIN_NOTE
    from connectivity.models import Dem

    towers = [
        t
        for t in towers_list(region=region, status=Tower.Status.ON_AIR)
        if usable(t.technology) and t.predicted_range_km
    ]
    dem = Dem.objects.filter(active=True).first()
    fc = {
        "type": "FeatureCollection",
        "features": [
            _feature(
                f"coverage:{t.pk}",
                t.lat,
                t.lng,
                tower=t.pk,
                radius_km=t.predicted_range_km,
                model=t.model,
                terrain_aware=t.predicted_terrain_aware,
            )
            for t in towers
        ],
        "terrain_aware": dem is not None,
        "note": GRID_TERRAIN_NOTE if dem is not None else NO_TERRAIN_NOTE,
    }
    return fc


def _site_label(n: int, lat: float, lng: float) -> str:
    """ "3. Sebulu Ilir": the site's number and its nearest village, for the map."""
    village = village_nearest(lat=lat, lng=lng)
    return f"{n}. {village.name}" if village else str(n)


def plan_features(*, plan: SitingPlan) -> dict[str, Any]:
    result = plan.result or {}
    features = [
        _feature(
            f"site:{s['id']}",
            s["lat"],
            s["lng"],
            id=s["id"],
            label=_site_label(n, s["lat"], s["lng"]),
            radius_km=s["radius_km"],
            covered_weight=s["covered_weight"],
            covered_places=s["covered_places"],
        )
        for n, s in enumerate(result.get("sites", []), start=1)
    ]
    return {"type": "FeatureCollection", "features": features}


def village_nearest(*, lat: float, lng: float) -> Region | None:
    """The village (desa) whose representative point is nearest to a point, looked
    for in ever wider boxes so that a remote site still gets a name."""
    for box in (0.1, 0.3, 1.0):
        near = Region.objects.filter(
            level=Region.Level.VILLAGE,
            rep_lat__range=(lat - box, lat + box),
            rep_lng__range=(lng - box, lng + box),
        ).select_related("parent")
        found = min(
            near,
            key=lambda r: haversine_km(lat, lng, *r.point),
            default=None,
        )
        if found is not None:
            return found
    return None


@dataclass
class PlanSite:
    """A proposed site in words: where it is and what it newly reaches."""

    n: int
    lat: float
    lng: float
    village: Region | None
    cost: float | None
    covered_weight: float
    places: list[Place]

    @property
    def kecamatan(self) -> Region | None:
        return self.village.parent if self.village else None


def _within(point: dict[str, Any], sites: list[dict[str, Any]], radius: float) -> bool:
    return any(
        haversine_km(point["lat"], point["lng"], s["lat"], s["lng"])
        <= float(s.get("radius_km") or radius)
        for s in sites
    )


def plan_sites(*, plan: SitingPlan) -> list[PlanSite]:
    """The plan's new sites, each named by its nearest village and listing the
    places it newly reaches (not already reached by a tower on air)."""
    result = plan.result or {}
    instance = plan.instance or {}
    radius = float(instance.get("radius_km") or plan.radius_km)
    existing = instance.get("existing", [])
    fresh = [d for d in instance.get("demand", []) if not _within(d, existing, radius)]
    sites = result.get("sites", [])
    reached: list[list[str]] = [
        [d["id"] for d in fresh if _within(d, [s], radius)] for s in sites
    ]
    pks = {int(i.split(":", 1)[1]) for ids in reached for i in ids}
    places = Place.objects.in_bulk(pks)
    priced = instance.get("site_cost") is not None
    out = []
    for n, (site, ids) in enumerate(zip(sites, reached, strict=True), start=1):
        keys = [int(i.split(":", 1)[1]) for i in ids]
        found = [places[k] for k in keys if k in places]
        out.append(
            PlanSite(
                n=n,
                lat=site["lat"],
                lng=site["lng"],
                village=village_nearest(lat=site["lat"], lng=site["lng"]),
                cost=float(site["cost"]) if priced else None,
                covered_weight=float(site["covered_weight"]),
                places=sorted(found, key=lambda p: (p.kind, p.name)),
            )
        )
    return out


def latest_plan(*, region: Region) -> SitingPlan | None:
    return (
        SitingPlan.objects.filter(subtree_q(region), status=SitingPlan.Status.DONE)
        .order_by("-created_at", "-id")
        .first()
    )


def map_layers(*, region: Region, places: bool = True) -> dict[str, Any]:
    """Every layer of a region's connectivity map, observed and predicted apart."""
    plan = latest_plan(region=region)
    return {
        "region": region.kode,
        "villages": village_features(region=region),
        "places": place_features(region=region) if places else None,
        "towers": tower_features(region=region),
        "coverage": coverage_features(region=region),
        "planned_sites": plan_features(plan=plan) if plan else None,
        "plan": plan.pk if plan else None,
    }


def best_tech(techs: list[str]) -> str:
    return max(techs, key=lambda t: TECH_RANK[t]) if techs else ""


def village_status_by_region(
    *, scope: str, length: int
) -> dict[str, dict[str, float | None]]:
    """Villages with a known status, blankspots among them and the share of
    priority-place weight with signal, per region (the first ``length`` characters
    of its code, under ``scope``); one grouped query, for datahub's index."""
    rows = (
        VillageStatus.objects.filter(regions_subtree_q(scope))
        .exclude(status=VillageStatus.Status.UNKNOWN)
        .annotate(code=Substr("region_id", 1, length))
        .values("code")
        .annotate(
            villages=Count("pk"),
            blankspots=Count("pk", filter=Q(status=VillageStatus.Status.BLANKSPOT)),
            weight=Sum("weight_total"),
            signal=Sum("weight_signal"),
        )
    )
    return {
        row["code"]: {
            "villages": row["villages"],
            "blankspots": row["blankspots"],
            "coverage": (row["signal"] or 0) / row["weight"] if row["weight"] else None,
        }
        for row in rows
    }
