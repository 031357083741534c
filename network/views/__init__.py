"""Pages of the KIM network: the public directory, map, KIM/forum/event pages and
dashboards; the participant's pages (QR check-in, tests, certificate); the staff
pages to manage KIMs, members, activities, events, imports and exports.

One module per entity; this package re-exports the views that ``network.urls``
routes to.
"""

from network.views._common import PER_PAGE
from network.views.activities import (
    activity_create,
    activity_review,
    activity_review_list,
)
from network.views.events import (
    event_create,
    event_detail,
    event_edit,
    event_ics,
    event_list,
    event_manage,
    event_venue_code,
    staff_event_list,
)
from network.views.forums import forum_create, forum_detail, forum_edit, forum_list
from network.views.imports import kim_import_template, kim_import_view
from network.views.kims import (
    dashboard,
    kim_create,
    kim_detail,
    kim_directory,
    kim_edit,
    kim_manage,
    kim_map_data,
    member_edit,
    staff_kim_list,
    staff_member_export,
)
from network.views.participants import (
    certificate_download,
    certificate_verify,
    checkin,
    event_checkin,
    online_join,
    participant_home,
    participant_qr,
    take_test,
)

__all__ = [
    "PER_PAGE",
    "activity_create",
    "activity_review",
    "activity_review_list",
    "certificate_download",
    "certificate_verify",
    "checkin",
    "dashboard",
    "event_checkin",
    "event_create",
    "event_detail",
    "event_edit",
    "event_ics",
    "event_list",
    "event_manage",
    "event_venue_code",
    "forum_create",
    "forum_detail",
    "forum_edit",
    "forum_list",
    "kim_create",
    "kim_detail",
    "kim_directory",
    "kim_edit",
    "kim_import_template",
    "kim_import_view",
    "kim_manage",
    "kim_map_data",
    "member_edit",
    "online_join",
    "participant_home",
    "participant_qr",
    "staff_event_list",
    "staff_kim_list",
    "staff_member_export",
    "take_test",
]
