"""Reads of the KIM network, for this app's views and API and for other apps.

Other apps (newsroom, factcheck, connectivity, datahub) read the network only
through the functions here. Region filters take Kemendagri codes and include
everything beneath a code (``"64.02"`` = all of Kutai Kartanegara).

Functions that return personal data say so; those that take an ``actor`` apply
the permission layer themselves, the others (``kim_members_for_regions``,
``kim_coordinators_contacts``) are for trusted back-end code such as tasks that
send messages, which must not show what they return to users out of scope.

One module per entity; this package re-exports them so that callers keep writing
``selectors.kim_list``. Tests that monkeypatch a function must patch the module
that looks it up (for example ``network.selectors.dashboards``), not only this
package.
"""

from network.selectors._common import activity_region_q, region_q
from network.selectors.activities import (
    activity_list,
    activity_list_for_actor,
    pending_reviews_for_actor,
)
from network.selectors.dashboards import RegionDashboard, region_dashboard
from network.selectors.events import (
    can_check_in,
    can_manage_event,
    event_get,
    event_list,
    event_list_for_actor,
    event_participants,
    participant_by_token,
)
from network.selectors.forums import (
    forum_board_members_for_regions,
    forum_get,
    forum_list,
)
from network.selectors.kims import (
    is_kim_coordinator,
    kim_counts_for_region,
    kim_formed_since,
    kim_get,
    kim_get_for_actor,
    kim_list,
    kim_list_for_actor,
    kim_map_points,
    kim_reach_by_region,
    kims_by_province,
    kims_coordinated_by,
    kims_of_user,
    kims_reporting_for,
    members_by_province,
)
from network.selectors.members import (
    CoordinatorContact,
    PhoneRecords,
    can_see_members,
    kim_coordinators_contacts,
    kim_member_count,
    kim_members,
    kim_members_for_regions,
    kim_public_contacts,
    member_region_by_phone,
    records_of_phone,
)
from network.selectors.trainings import (
    LiteracyFigure,
    TrainingResult,
    literacy_figures,
    training_by_region,
    training_result,
)

__all__ = [
    "CoordinatorContact",
    "LiteracyFigure",
    "PhoneRecords",
    "RegionDashboard",
    "TrainingResult",
    "activity_list",
    "activity_list_for_actor",
    "activity_region_q",
    "can_check_in",
    "can_manage_event",
    "can_see_members",
    "event_get",
    "event_list",
    "event_list_for_actor",
    "event_participants",
    "forum_board_members_for_regions",
    "forum_get",
    "forum_list",
    "is_kim_coordinator",
    "kim_coordinators_contacts",
    "kim_counts_for_region",
    "kim_formed_since",
    "kim_get",
    "kim_get_for_actor",
    "kim_list",
    "kim_list_for_actor",
    "kim_map_points",
    "kim_member_count",
    "kim_members",
    "kim_members_for_regions",
    "kim_public_contacts",
    "kim_reach_by_region",
    "kims_by_province",
    "kims_coordinated_by",
    "kims_of_user",
    "kims_reporting_for",
    "literacy_figures",
    "member_region_by_phone",
    "members_by_province",
    "participant_by_token",
    "pending_reviews_for_actor",
    "records_of_phone",
    "region_dashboard",
    "region_q",
    "training_by_region",
    "training_result",
]
