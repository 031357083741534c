"""Predicted mobile coverage of towers: propagation models, rasters, points.

Plain Python and numpy, no Django: the ``connectivity`` app calls it with plain data.
See ``README.md`` in this folder for the models, their defaults and sources.
"""

from .geo import haversine_km
from .grid import (
    BBox,
    CoverageRaster,
    PointCoverage,
    Tower,
    coverage_grid,
    point_coverage,
)
from .models import (
    DEFAULT_CONFIG,
    TERRAIN_DELTA_H_M,
    SiteConfig,
    cost231_hata_loss_db,
    free_space_loss_db,
    hata_loss_db,
    itm_area_loss_db,
    margin_db,
    max_range_km,
    path_loss_db,
    signal_dbm,
    validity_notes,
)

__all__ = [
    "DEFAULT_CONFIG",
    "TERRAIN_DELTA_H_M",
    "BBox",
    "CoverageRaster",
    "PointCoverage",
    "SiteConfig",
    "Tower",
    "cost231_hata_loss_db",
    "coverage_grid",
    "free_space_loss_db",
    "hata_loss_db",
    "haversine_km",
    "itm_area_loss_db",
    "margin_db",
    "max_range_km",
    "path_loss_db",
    "point_coverage",
    "signal_dbm",
    "validity_notes",
]
