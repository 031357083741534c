"""Great-circle helpers (spherical Earth, IUGG mean radius)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEG = EARTH_RADIUS_KM * np.pi / 180.0


def haversine_km(
    lat1: npt.ArrayLike, lng1: npt.ArrayLike, lat2: npt.ArrayLike, lng2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Great-circle distance in km; arguments broadcast against each other."""
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dp = p2 - p1
    dl = np.radians(np.asarray(lng2, dtype=np.float64) - np.asarray(lng1, np.float64))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def destination(
    lat: float, lng: float, bearing_deg: float, distance_km: float
) -> tuple[float, float]:
    """Point reached from (lat, lng) along a great circle (for DEM radials)."""
    p1, l1 = np.radians(lat), np.radians(lng)
    b = np.radians(bearing_deg)
    dr = distance_km / EARTH_RADIUS_KM
    p2 = np.arcsin(np.sin(p1) * np.cos(dr) + np.cos(p1) * np.sin(dr) * np.cos(b))
    l2 = l1 + np.arctan2(
        np.sin(b) * np.sin(dr) * np.cos(p1), np.cos(dr) - np.sin(p1) * np.sin(p2)
    )
    return float(np.degrees(p2)), float((np.degrees(l2) + 540.0) % 360.0 - 180.0)
