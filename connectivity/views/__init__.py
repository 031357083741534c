"""The connectivity pages (blankspots, signal, towers, programmes, the site
planner), one module per entity; this package re-exports the views that
``connectivity.urls`` routes to."""

from connectivity.views.places import (
    observation_add,
    place_add,
    place_edit,
    places_import,
)
from connectivity.views.plans import (
    dem_upload,
    plan_adopt,
    plan_detail,
    plan_list,
    plan_map,
)
from connectivity.views.programmes import (
    programme_create,
    programme_detail,
    programme_edit,
    programme_list,
)
from connectivity.views.regions import (
    export_geojson,
    export_pdf,
    export_places_csv,
    export_villages_csv,
    index,
    map_data,
    region_page,
    village_page,
)
from connectivity.views.reports import (
    report,
    report_queue,
    report_review,
)
from connectivity.views.towers import (
    tower_create,
    tower_detail,
    tower_dossier,
    tower_edit,
    tower_list,
    tower_status,
)

__all__ = [
    "dem_upload",
    "export_geojson",
    "export_pdf",
    "export_places_csv",
    "export_villages_csv",
    "index",
    "map_data",
    "observation_add",
    "place_add",
    "place_edit",
    "places_import",
    "plan_adopt",
    "plan_detail",
    "plan_list",
    "plan_map",
    "programme_create",
    "programme_detail",
    "programme_edit",
    "programme_list",
    "region_page",
    "report",
    "report_queue",
    "report_review",
    "tower_create",
    "tower_detail",
    "tower_dossier",
    "tower_edit",
    "tower_list",
    "tower_status",
    "village_page",
]
