"""Pages of the data hub: the public catalogue and downloads, the indicators on
region pages and the dashboard, the staff pages for datasets, and the information
requests (PPID), public and staff.

One module per entity; this package re-exports the views that ``datahub.urls``
routes to and the sections ``datahub.hooks`` registers.
"""

from datahub.views._common import PREVIEW_ROWS
from datahub.views.catalogue import catalogue, dataset_detail, dcat_catalogue, download
from datahub.views.datasets import (
    staff_dataset,
    staff_dataset_create,
    staff_dataset_edit,
    staff_dataset_publish,
    staff_datasets,
    staff_office_create,
)
from datahub.views.indicators import (
    BAR_SPACE,
    CHART_WIDTH,
    LABEL_SPACE,
    PALETTE,
    dashboard_panel,
    region_indicators_section,
    staff_indicators_refresh,
)
from datahub.views.info_requests import (
    ppid_home,
    request_create,
    request_document,
    request_track,
    request_track_detail,
    staff_report,
    staff_request,
    staff_requests,
)
from datahub.views.vulnerability import (
    region_vulnerability_section,
    vulnerability,
    vulnerability_act,
    vulnerability_brief,
    vulnerability_export,
    vulnerability_home,
    vulnerability_weights_edit,
)

__all__ = [
    "BAR_SPACE",
    "CHART_WIDTH",
    "LABEL_SPACE",
    "PALETTE",
    "PREVIEW_ROWS",
    "catalogue",
    "dashboard_panel",
    "dataset_detail",
    "dcat_catalogue",
    "download",
    "ppid_home",
    "region_indicators_section",
    "region_vulnerability_section",
    "request_create",
    "request_document",
    "request_track",
    "request_track_detail",
    "staff_dataset",
    "staff_dataset_create",
    "staff_dataset_edit",
    "staff_dataset_publish",
    "staff_datasets",
    "staff_indicators_refresh",
    "staff_office_create",
    "staff_report",
    "staff_request",
    "staff_requests",
    "vulnerability",
    "vulnerability_act",
    "vulnerability_brief",
    "vulnerability_export",
    "vulnerability_home",
    "vulnerability_weights_edit",
]
