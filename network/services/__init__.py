"""Writes of the KIM network. Each service checks the actor's permission (``actor``
None means the system: demo data, tasks), validates (``full_clean``) and writes in
one transaction, and records changes of private records in the audit log.

One module per entity; this package re-exports them so that callers keep writing
``services.kim_create``. Tests that monkeypatch a function must patch the module
that looks it up (for example ``network.services.events``), not this package.
"""

from network.services._common import KIM_LEVELS, clean_phone, social_url
from network.services.activities import MAX_PHOTOS, activity_create, activity_review
from network.services.events import (
    EVENT_FIELDS,
    attendance_by_venue_code,
    attendance_online,
    attendance_record,
    event_checkin_by_event_code,
    event_create,
    event_update,
    event_when_label,
    material_add,
    participant_register,
    participant_walk_in,
    speaker_add,
)
from network.services.forums import (
    FORUM_FIELDS,
    FORUM_LEVELS,
    board_member_add,
    forum_create,
    forum_update,
)
from network.services.kims import KIM_FIELDS, KIM_FORM_FIELDS, kim_create, kim_update
from network.services.members import (
    member_add,
    member_update,
    person_find_or_create,
    person_link_user,
    phone_data_summary,
    phone_erase,
)
from network.services.scores import kim_scores_recompute
from network.services.trainings import (
    certificate_eligible,
    certificate_issue,
    question_add,
    test_submit,
)

__all__ = [
    "EVENT_FIELDS",
    "FORUM_FIELDS",
    "FORUM_LEVELS",
    "KIM_FIELDS",
    "KIM_FORM_FIELDS",
    "KIM_LEVELS",
    "MAX_PHOTOS",
    "activity_create",
    "activity_review",
    "attendance_by_venue_code",
    "attendance_online",
    "attendance_record",
    "board_member_add",
    "certificate_eligible",
    "certificate_issue",
    "clean_phone",
    "event_checkin_by_event_code",
    "event_create",
    "event_update",
    "event_when_label",
    "forum_create",
    "forum_update",
    "kim_create",
    "kim_scores_recompute",
    "kim_update",
    "material_add",
    "member_add",
    "member_update",
    "participant_register",
    "participant_walk_in",
    "person_find_or_create",
    "person_link_user",
    "phone_data_summary",
    "phone_erase",
    "question_add",
    "social_url",
    "speaker_add",
    "test_submit",
]
