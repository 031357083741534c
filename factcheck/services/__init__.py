"""Writes of the fact-check app, one module per entity: ``factchecks`` (create,
edit, import), ``tips`` (a tip received, its sender), ``claims`` (the desk's
workflow, verdicts to askers and the network), ``feeds``, and ``outgoing``
(messages to tipsters, handed to ``channels``).

Callers keep using ``factcheck.services.<name>``: the public names are here.
"""

from factcheck.services.claims import (
    _NEXT,
    NETWORK_CHANNELS,
    claim_assign,
    claim_confirm_match,
    claim_draft_verdict,
    claim_note_add,
    claim_notify_askers,
    claim_publish,
    claim_review,
    claim_set_status,
    claim_set_topic,
    factcheck_share_to_network,
)
from factcheck.services.confirmations import (
    confirmation_answer,
    confirmations_expire,
    pair_record,
)
from factcheck.services.factchecks import (
    OWN_PUBLISHER,
    ImportResult,
    factcheck_card_ensure,
    factcheck_create,
    factcheck_delete,
    factcheck_republish,
    factcheck_update,
    factcheck_withdraw,
    factchecks_import,
)
from factcheck.services.feeds import (
    feed_create,
    feed_delete,
    feed_import_now,
    feed_set_active,
    feed_update,
)
from factcheck.services.images import factcheck_image_add, tip_image_store
from factcheck.services.links import tip_link_read
from factcheck.services.outgoing import (
    tipster_message,
    tipster_send,
)
from factcheck.services.tips import (
    TipOutcome,
    tip_submit,
    tip_text_clean,
    tipster_data_summary,
    tipster_delete,
    tipster_delete_by_contact,
    tipster_get_or_create,
    tipster_set_region,
)

__all__ = [
    "NETWORK_CHANNELS",
    "OWN_PUBLISHER",
    "_NEXT",
    "ImportResult",
    "TipOutcome",
    "claim_assign",
    "claim_confirm_match",
    "claim_draft_verdict",
    "claim_note_add",
    "claim_notify_askers",
    "claim_publish",
    "claim_review",
    "claim_set_status",
    "claim_set_topic",
    "confirmation_answer",
    "confirmations_expire",
    "factcheck_card_ensure",
    "factcheck_create",
    "factcheck_delete",
    "factcheck_image_add",
    "factcheck_republish",
    "factcheck_share_to_network",
    "factcheck_update",
    "factcheck_withdraw",
    "factchecks_import",
    "feed_create",
    "feed_delete",
    "feed_import_now",
    "feed_set_active",
    "feed_update",
    "pair_record",
    "tip_image_store",
    "tip_link_read",
    "tip_submit",
    "tip_text_clean",
    "tipster_data_summary",
    "tipster_delete",
    "tipster_delete_by_contact",
    "tipster_get_or_create",
    "tipster_message",
    "tipster_send",
    "tipster_set_region",
]
