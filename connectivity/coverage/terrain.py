"""Terrain-aware adjustment from a digital elevation model (DEM).

No DEM ships with Simpul (none is available offline), so this is optional: give it an
elevation array and its GDAL geotransform (lon/lat degrees, e.g. SRTM or Copernicus
GLO-30 resampled), or read a GeoTIFF with :func:`read_dem` when ``rasterio`` is
installed.

What it computes, following the ITM (Hufford 1995; NTIA Report 82-100):

- the terrain profile between two points, sampled every ``step_m`` metres;
- the terrain irregularity delta-h of a profile as ITM's ``dlthx`` does: the
  interdecile range of the heights' deviations from a least-squares line over the
  middle 80% of the path, scaled to an infinite path by 1 / (1 - 0.8 exp(-d / 50 km));
- line of sight over a 4/3-Earth with the antennas on top of the terrain;
- a per-tower delta-h (median over radials) that turns a site's ITM configuration
  into a terrain-aware one (:func:`terrain_site_config`), and per-pair ITM margins
  for points (:func:`terrain_point_margins`).

It does not model shadowing cell by cell: ITM area mode is a statistical model of
terrain of a given roughness; the point-to-point mode would be the next step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .geo import EARTH_RADIUS_KM, destination, haversine_km
from .models import SiteConfig, path_loss_db

FloatArray = npt.NDArray[np.float64]

#: GDAL geotransform: (x0, dx, rot_x, y0, rot_y, dy), x = lng and y = lat.
GeoTransform = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class Dem:
    elevation: FloatArray
    transform: GeoTransform
    nodata: float | None = None

    def sample(self, lat: npt.ArrayLike, lng: npt.ArrayLike) -> FloatArray:
        """Bilinear elevation (m) at points; outside the DEM or on nodata: NaN."""
        x0, dx, rx, y0, ry, dy = self.transform
        if rx or ry:
            raise ValueError("rotated geotransforms are not supported")
        la = np.asarray(lat, dtype=np.float64)
        ln = np.asarray(lng, dtype=np.float64)
        # Pixel-centre coordinates: pixel (r, c) covers [c, c+1) x [r, r+1).
        fc = (ln - x0) / dx - 0.5
        fr = (la - y0) / dy - 0.5
        rows, cols = self.elevation.shape
        c0 = np.floor(fc).astype(np.int64)
        r0 = np.floor(fr).astype(np.int64)
        tc, tr = fc - c0, fr - r0
        c0c, c1c = np.clip(c0, 0, cols - 1), np.clip(c0 + 1, 0, cols - 1)
        r0c, r1c = np.clip(r0, 0, rows - 1), np.clip(r0 + 1, 0, rows - 1)
        z = self.elevation.astype(np.float64)
        if self.nodata is not None:
            z = np.where(z == self.nodata, np.nan, z)
        v = (
            z[r0c, c0c] * (1 - tr) * (1 - tc)
            + z[r0c, c1c] * (1 - tr) * tc
            + z[r1c, c0c] * tr * (1 - tc)
            + z[r1c, c1c] * tr * tc
        )
        outside = (fc < -0.5) | (fr < -0.5) | (fc > cols - 0.5) | (fr > rows - 0.5)
        return np.where(outside, np.nan, v)


def read_dem(path: str | Path) -> Dem:
    """Read band 1 of a GeoTIFF in EPSG:4326.  Needs the optional ``rasterio``."""
    try:
        import rasterio
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "reading a DEM needs rasterio (pip install rasterio); alternatively pass "
            "an elevation array and geotransform to Dem(...)"
        ) from exc
    with rasterio.open(path) as src:
        if src.crs is not None and src.crs.to_epsg() not in (4326, None):
            raise ValueError(f"DEM must be in EPSG:4326 (lon/lat), not {src.crs}")
        z = src.read(1).astype(np.float64)
        t = src.transform
        return Dem(
            elevation=z,
            transform=(t.c, t.a, t.b, t.f, t.d, t.e),
            nodata=None if src.nodata is None else float(src.nodata),
        )


def terrain_profile(
    dem: Dem, lat0: float, lng0: float, lat1: float, lng1: float, step_m: float = 100.0
) -> tuple[FloatArray, FloatArray]:
    """Distances (m) and elevations (m) along the path, every ``step_m`` metres.

    Points are interpolated linearly in lat/lng, which for paths of tens of km is
    within metres of the great circle.
    """
    total_m = float(haversine_km(lat0, lng0, lat1, lng1)) * 1000.0
    n = max(math.ceil(total_m / step_m) + 1, 3)
    t = np.linspace(0.0, 1.0, n)
    z = dem.sample(lat0 + t * (lat1 - lat0), lng0 + t * (lng1 - lng0))
    return t * total_m, z


def delta_h_m(distance_m: npt.ArrayLike, elevation_m: npt.ArrayLike) -> float:
    """ITM terrain irregularity of one profile (``dlthx`` of Hufford 1995)."""
    x = np.asarray(distance_m, dtype=np.float64)
    z = np.asarray(elevation_m, dtype=np.float64)
    ok = np.isfinite(z)
    x, z = x[ok], z[ok]
    if x.size < 3:
        return 0.0
    length = float(x[-1] - x[0])
    if length <= 0:
        return 0.0
    xa, xb = x[0] + 0.1 * length, x[0] + 0.9 * length
    mid = (x >= xa) & (x <= xb)
    if np.count_nonzero(mid) < 3:
        mid = np.ones_like(x, dtype=bool)
    xm, zm = x[mid], z[mid]
    slope, intercept = np.polyfit(xm, zm, 1)
    resid = zm - (slope * xm + intercept)
    q90, q10 = np.percentile(resid, [90.0, 10.0])
    span = float(xm[-1] - xm[0])
    return float((q90 - q10) / (1.0 - 0.8 * math.exp(-min(20.0, span / 50e3))))


def line_of_sight(
    distance_m: npt.ArrayLike,
    elevation_m: npt.ArrayLike,
    tx_height_m: float,
    rx_height_m: float,
    k_factor: float = 4.0 / 3.0,
) -> tuple[bool, float]:
    """Whether the straight ray clears the terrain on a k-factor Earth.

    Returns (clear, worst clearance in metres; negative means obstructed).
    """
    x = np.asarray(distance_m, dtype=np.float64)
    z = np.nan_to_num(np.asarray(elevation_m, dtype=np.float64), nan=0.0)
    if x.size < 3:
        return True, math.inf
    total = float(x[-1])
    a_eff = k_factor * EARTH_RADIUS_KM * 1000.0
    # Earth bulge relative to the chord between the endpoints.
    bulge = x * (total - x) / (2.0 * a_eff)
    h0 = z[0] + tx_height_m
    h1 = z[-1] + rx_height_m
    ray = h0 + (h1 - h0) * x / total
    clearance = ray - (z + bulge)
    worst = float(clearance[1:-1].min())
    return worst >= 0.0, worst


def site_delta_h_m(
    dem: Dem,
    lat: float,
    lng: float,
    radius_km: float,
    *,
    n_radials: int = 8,
    step_m: float = 100.0,
) -> float:
    """Median delta-h over ``n_radials`` profiles of ``radius_km`` around a site."""
    values: list[float] = []
    for k in range(n_radials):
        lat1, lng1 = destination(lat, lng, 360.0 * k / n_radials, radius_km)
        x, z = terrain_profile(dem, lat, lng, lat1, lng1, step_m)
        if np.count_nonzero(np.isfinite(z)) >= 3:
            values.append(delta_h_m(x, z))
    return float(np.median(values)) if values else math.nan


def terrain_site_config(
    dem: Dem,
    lat: float,
    lng: float,
    config: SiteConfig,
    radius_km: float = 30.0,
    *,
    n_radials: int = 8,
) -> SiteConfig:
    """``config`` switched to ITM area mode with the delta-h measured on the DEM.

    Falls back to ``config`` unchanged when the DEM does not cover the site.
    """
    dh = site_delta_h_m(dem, lat, lng, radius_km, n_radials=n_radials)
    if not math.isfinite(dh):
        return config
    return config.with_(model="itm", delta_h_m=round(dh, 1))


@dataclass
class TerrainMargin:
    margin_db: float
    delta_h_m: float
    line_of_sight: bool
    clearance_m: float


def terrain_point_margins(
    dem: Dem,
    tower_lat: float,
    tower_lng: float,
    points_lat: npt.ArrayLike,
    points_lng: npt.ArrayLike,
    config: SiteConfig,
    *,
    step_m: float = 100.0,
    obstruction_loss_db: float = 0.0,
) -> list[TerrainMargin]:
    """ITM margins from one tower to each point using each path's own delta-h.

    ``obstruction_loss_db`` is added where the terrain blocks the line of sight (0 by
    default: ITM's delta-h already accounts for typical obstruction statistically;
    set e.g. 6-20 dB for a pessimistic knife-edge allowance).
    """
    out: list[TerrainMargin] = []
    lats = np.atleast_1d(np.asarray(points_lat, dtype=np.float64))
    lngs = np.atleast_1d(np.asarray(points_lng, dtype=np.float64))
    for la, ln in zip(lats.tolist(), lngs.tolist(), strict=True):
        x, z = terrain_profile(dem, tower_lat, tower_lng, la, ln, step_m)
        dh = delta_h_m(x, z)
        clear, worst = line_of_sight(x, z, config.base_height_m, config.mobile_height_m)
        cfg = config.with_(model="itm", delta_h_m=round(dh, 1))
        loss = float(path_loss_db(float(x[-1]) / 1000.0, cfg))
        if not clear:
            loss += obstruction_loss_db
        out.append(
            TerrainMargin(
                margin_db=cfg.max_loss_db - loss,
                delta_h_m=dh,
                line_of_sight=clear,
                clearance_m=worst,
            )
        )
    return out
