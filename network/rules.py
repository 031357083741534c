"""Who may do what in the KIM network (registered in ``NetworkConfig.ready``).

Staff (provincial and regency Diskominfo admins, kecamatan operators) act within
their region. A KIM coordinator acts only on the KIMs they coordinate (``:own``):
see ``network.selectors.kims_coordinated_by`` for how a coordinator is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import Role
from accounts.permissions import STAFF_ROLES

COORDINATOR_OWN = f"{Role.KIM_COORDINATOR}:own"
# A member acts on the KIM they belong to (issue 15: members report activities).
MEMBER_OWN = f"{Role.KIM_MEMBER}:own"
ADMINS = frozenset({Role.PROVINCE_ADMIN, Role.REGENCY_ADMIN})

RULES: dict[str, dict[str, Iterable[str]]] = {
    # The registry itself is public; these rules govern the staff pages and writes.
    "network.kim": {
        "view": STAFF_ROLES | {COORDINATOR_OWN},
        "create": STAFF_ROLES,
        "change": STAFF_ROLES | {COORDINATOR_OWN},
        "import": STAFF_ROLES,
    },
    # Members' personal data (names, phones, emails).
    "network.member": {
        "view": STAFF_ROLES | {COORDINATOR_OWN},
        "change": STAFF_ROLES | {COORDINATOR_OWN},
        "export": STAFF_ROLES | {COORDINATOR_OWN},
    },
    "network.activity": {
        # "own" here: the KIM the account coordinates or belongs to.
        "create": STAFF_ROLES | {COORDINATOR_OWN, MEMBER_OWN},
        "review": STAFF_ROLES,
    },
    "network.forum": {
        "view": STAFF_ROLES,
        "create": ADMINS,
        "change": ADMINS,
    },
    "network.event": {
        "view": STAFF_ROLES,
        "create": STAFF_ROLES,
        "change": STAFF_ROLES,
        "export": STAFF_ROLES,
        # Checking participants in at the door: the organisers, and the
        # coordinators of the KIMs where the event is held (see
        # ``network.selectors.can_check_in``).
        "checkin": STAFF_ROLES | {COORDINATOR_OWN},
    },
}
