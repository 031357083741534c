"""Predicted coverage: tower ranges, place predictions and the elevation model."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from connectivity.models import (
    Dem,
    Place,
    Tower,
    VillageStatus,
)
from connectivity.services._common import _audit, _require, usable
from regions.models import Region
from regions.selectors import subtree_q


def site_config(tower: Tower) -> Any:
    """The coverage package's configuration of a tower (plain data)."""
    from connectivity.coverage import DEFAULT_CONFIG

    return DEFAULT_CONFIG.with_(
        model=tower.model,
        environment=tower.environment,
        terrain=tower.terrain,
        frequency_mhz=tower.frequency_mhz,
        base_height_m=tower.height_m,
        eirp_dbm=tower.eirp_dbm,
        sensitivity_dbm=tower.sensitivity_dbm,
    )


_dem_cache: dict[tuple[int, str | None], Any] = {}


def active_dem() -> Any:
    """The elevation model in use (``coverage.terrain.Dem``), or None."""
    dem = Dem.objects.filter(active=True).first()
    if dem is None:
        return None
    key = (dem.pk, dem.file.name)
    if key not in _dem_cache:
        from connectivity.coverage.terrain import read_dem

        try:
            _dem_cache.clear()
            _dem_cache[key] = read_dem(dem.file.path)
        except (ImportError, OSError, ValueError):
            return None
    return _dem_cache[key]


def tower_range_km(tower: Tower, dem: Any = None) -> tuple[float, bool]:
    """Predicted range of a tower (km) and whether terrain was used."""
    from connectivity.coverage import max_range_km
    from connectivity.coverage.terrain import terrain_site_config

    config = site_config(tower)
    if dem is not None:
        terrain = terrain_site_config(dem, tower.lat, tower.lng, config)
        if terrain is not config:
            return max_range_km(terrain), True
    return max_range_km(config), False


def place_prediction_refresh(*, places: Sequence[Place], dem: Any = None) -> int:
    """Predicted coverage of places by the towers on air (kept apart from observed)."""
    from connectivity.coverage import Tower as SiteTower
    from connectivity.coverage import point_coverage

    if not places:
        return 0
    lat = [p.lat for p in places]
    lng = [p.lng for p in places]
    pad = 1.0  # degrees: no default site reaches farther than ~100 km
    towers = list(
        Tower.objects.filter(
            status=Tower.Status.ON_AIR,
            lat__range=(min(lat) - pad, max(lat) + pad),
            lng__range=(min(lng) - pad, max(lng) + pad),
        )
    )
    towers = [t for t in towers if usable(t.technology)]
    site_towers = [SiteTower(t.pk, t.lat, t.lng, site_config(t)) for t in towers]
    pc = point_coverage(
        [(p.pk, p.lat, p.lng) for p in places], site_towers, dem=dem or active_dem()
    )
    for k, place in enumerate(places):
        margin = float(pc.best_margin_db[k])
        place.predicted_covered = margin >= 0
        place.predicted_margin_db = round(margin, 2) if math.isfinite(margin) else None
        best = pc.best_tower[k]
        place.predicted_tower_id = int(best) if best is not None else None
    Place.objects.bulk_update(
        list(places),
        ["predicted_covered", "predicted_margin_db", "predicted_tower"],
        batch_size=500,
    )
    return len(places)


def coverage_refresh(*, region: Region) -> int:
    """Predicted coverage of every place under ``region`` (and village figures)."""
    places = list(Place.objects.filter(subtree_q(region.kode)))
    n = place_prediction_refresh(places=places)
    statuses = VillageStatus.objects.filter(region_id__in={p.region_id for p in places})
    weights: dict[str, float] = {}
    for p in places:
        if p.predicted_covered:
            weights[p.region_id] = weights.get(p.region_id, 0.0) + p.weight
    for s in statuses:
        s.predicted_weight = weights.get(s.region_id, 0.0)
    VillageStatus.objects.bulk_update(list(statuses), ["predicted_weight"])
    return n


def coverage_refresh_near(*, tower: Tower) -> None:
    """After a tower changes: refresh predictions in its kabupaten (after commit)."""
    from connectivity.tasks import coverage_refresh_task

    kab = ".".join(tower.region_id.split(".")[:2])
    transaction.on_commit(lambda: coverage_refresh_task.enqueue(region_kode=kab))


@transaction.atomic
def dem_import(*, actor: User | None, name: str, upload: Any) -> Dem:
    """Store a GeoTIFF DEM (EPSG:4326) and use it for terrain-aware predictions.

    Needs the optional ``rasterio``; without it a clear ValidationError.
    """
    _require(actor, "change", "connectivity.dem", None)
    from connectivity.coverage.terrain import read_dem

    dem = Dem(
        name=name.strip() or getattr(upload, "name", "DEM"),
        lat_min=0,
        lat_max=0,
        lng_min=0,
        lng_max=0,
    )
    dem.file.save(getattr(upload, "name", "dem.tif").split("/")[-1], upload, save=False)
    try:
        raster = read_dem(dem.file.path)
    except ImportError as exc:
        dem.file.delete(save=False)
        raise ValidationError({"file": str(exc)}) from None
    except Exception as exc:  # rasterio raises its own error types
        dem.file.delete(save=False)
        raise ValidationError(
            {
                "file": _("This is not a readable GeoTIFF in EPSG:4326: %(e)s")
                % {"e": exc}
            }
        ) from None
    x0, dx, _rx, y0, _ry, dy = raster.transform
    rows, cols = raster.elevation.shape
    lats = sorted([y0, y0 + dy * rows])
    lngs = sorted([x0, x0 + dx * cols])
    dem.lat_min, dem.lat_max = lats
    dem.lng_min, dem.lng_max = lngs
    dem.shape = f"{rows}x{cols}"
    dem.full_clean()
    Dem.objects.filter(active=True).update(active=False)
    dem.active = True
    dem.save()
    _dem_cache.clear()
    _audit(actor, AuditEntry.Action.CREATE, dem, "", {"shape": dem.shape})
    for tower in Tower.objects.all():
        tower.predicted_range_km, tower.predicted_terrain_aware = tower_range_km(
            tower, raster
        )
        tower.save(update_fields=["predicted_range_km", "predicted_terrain_aware"])
    return dem
