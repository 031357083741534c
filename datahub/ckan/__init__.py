"""The read side of the CKAN action API (v3), so that CKAN harvesters of national
and provincial portals harvest Simpul as they harvest any CKAN portal.

Routed at ``/api/3/action/<name>`` (GET, or POST with a JSON body). Responses use
CKAN's envelope: ``{"help": url, "success": true, "result": …}``; errors are
``{"success": false, "error": {"__type": "Not Found Error", "message": …}}`` with
404, validation errors 409, unknown actions 400, as CKAN answers them.

Organisations are offices, groups are topics, packages are published datasets.
Each table (resource) is offered as three CKAN resources: CSV, XLSX and JSON.
"""

from datahub.ckan.actions import ACTIONS
from datahub.ckan.dicts import FORMATS, LICENCES
from datahub.ckan.views import action, api_version, util_status

__all__ = ["ACTIONS", "FORMATS", "LICENCES", "action", "api_version", "util_status"]
