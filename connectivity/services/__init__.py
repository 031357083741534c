"""Writes of the connectivity app: places, observations, derived status, towers,
plans, programmes and progress snapshots.

Every function is keyword-only; ``actor=None`` means the system (commands, demo
data, tasks). Permission rules are declared in ``ConnectivityConfig.ready``.

One module per entity; this package re-exports them so that callers keep writing
``services.place_create``. Tests that monkeypatch a function must patch the module
that looks it up (for example ``connectivity.services.status``), not this package.
"""

from connectivity.services._common import usable
from connectivity.services.blankspots import (
    KUKAR_LIST_SOURCE,
    KUKAR_PROGRAMME,
    BlankspotImport,
    blankspots_import,
)
from connectivity.services.coverage import (
    active_dem,
    coverage_refresh,
    coverage_refresh_near,
    dem_import,
    place_prediction_refresh,
    site_config,
    tower_range_km,
)
from connectivity.services.observations import (
    observation_create,
    observation_review,
    report_submit,
    village_for_point,
)
from connectivity.services.offices import (
    SYSTEM_SOURCE_DEFAULT,
    place_default_weight,
    village_office_ensure,
    village_offices_ensure,
)
from connectivity.services.places import (
    ImportResult,
    place_create,
    place_delete,
    place_update,
    places_import,
)
from connectivity.services.plans import (
    PLAN_STALE_AFTER,
    plan_adopt,
    plan_create,
    plan_instance_build,
    plan_run,
    plans_stale_fail,
)
from connectivity.services.programmes import (
    programme_save,
    progress_snapshot_take,
    progress_snapshots_take,
)
from connectivity.services.status import (
    village_status_refresh,
    village_statuses_refresh,
)
from connectivity.services.towers import (
    DOSSIER_FIELDS,
    tower_create,
    tower_dossier_update,
    tower_status_set,
    tower_update,
)

__all__ = [
    "DOSSIER_FIELDS",
    "KUKAR_LIST_SOURCE",
    "KUKAR_PROGRAMME",
    "PLAN_STALE_AFTER",
    "SYSTEM_SOURCE_DEFAULT",
    "BlankspotImport",
    "ImportResult",
    "active_dem",
    "blankspots_import",
    "coverage_refresh",
    "coverage_refresh_near",
    "dem_import",
    "observation_create",
    "observation_review",
    "place_create",
    "place_default_weight",
    "place_delete",
    "place_prediction_refresh",
    "place_update",
    "places_import",
    "plan_adopt",
    "plan_create",
    "plan_instance_build",
    "plan_run",
    "plans_stale_fail",
    "programme_save",
    "progress_snapshot_take",
    "progress_snapshots_take",
    "report_submit",
    "site_config",
    "tower_create",
    "tower_dossier_update",
    "tower_range_km",
    "tower_status_set",
    "tower_update",
    "usable",
    "village_for_point",
    "village_office_ensure",
    "village_offices_ensure",
    "village_status_refresh",
    "village_statuses_refresh",
]
