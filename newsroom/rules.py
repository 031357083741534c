"""Who may do what in the newsroom (registered in ``NewsroomConfig.ready``).

KIM members and coordinators write for their own KIMs (``:own``: the caller
checks ``newsroom.selectors.kims_of_user``). Editors and Diskominfo admins write
for their office and review, publish and send within their region: an editor of
Berau cannot publish an article of a KIM of Kutai Kartanegara.
"""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import Role

KIM_OWN = frozenset({f"{Role.KIM_MEMBER}:own", f"{Role.KIM_COORDINATOR}:own"})
EDITORS = frozenset({Role.EDITOR, Role.REGENCY_ADMIN, Role.PROVINCE_ADMIN})

RULES: dict[str, dict[str, Iterable[str]]] = {
    "newsroom.article": {
        "view": EDITORS | KIM_OWN | {Role.DISTRICT_OPERATOR},
        "create": EDITORS | KIM_OWN,
        "change": EDITORS | KIM_OWN,
        "review": EDITORS,
        "publish": EDITORS,
    },
    "newsroom.comment": {"moderate": EDITORS},
    # Fact-checkers send verdicts out through the same service.
    "newsroom.dissemination": {
        "view": EDITORS | {Role.FACT_CHECKER},
        "create": EDITORS | {Role.FACT_CHECKER},
    },
    "newsroom.reach": {
        "view": EDITORS | {Role.DISTRICT_OPERATOR},
        "export": EDITORS,
    },
    # Subscribers' contacts are personal data.
    "newsroom.subscriber": {
        "view": frozenset({Role.PROVINCE_ADMIN, Role.REGENCY_ADMIN})
    },
}
