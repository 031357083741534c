"""Writes of the newsroom, one module per entity: articles (and their
workflow), comments, subscribers (and opt-outs), dissemination and reach.
Callers import from ``newsroom.services`` as before."""

from __future__ import annotations

from newsroom.services.articles import (
    PROVINCE,
    S,
    article_approve,
    article_create,
    article_image_add,
    article_image_delete,
    article_publish,
    article_request_changes,
    article_schedule,
    article_submit,
    article_unpublish,
    article_update,
    articles_publish_due,
)
from newsroom.services.comments import (
    MAX_COMMENT_LINKS,
    MIN_FILL_SECONDS,
    comment_create,
    comment_moderate,
)
from newsroom.services.dissemination import (
    ORIGIN,
    Audience,
    Recipient,
    article_disseminate,
    delivery_status_mirror,
    dissemination_create,
    dissemination_fan_out,
    disseminations_stalled,
    first_send_time,
    in_quiet_hours,
    outbox_key,
    quiet_hours_end,
    user_can_disseminate,
)
from newsroom.services.potentials import (
    MAX_BODY_CHARS,
    potential_create,
    potential_update,
)
from newsroom.services.reach import (
    short_link_follow,
    stat_increment,
)
from newsroom.services.subscribers import (
    KEY_CHANNELS,
    OPT_OUT_SALT,
    opt_out_by_token,
    opt_out_record,
    opt_out_token,
    opt_out_url,
    subscribe_command,
    subscriber_create,
)

__all__ = [
    "KEY_CHANNELS",
    "MAX_BODY_CHARS",
    "MAX_COMMENT_LINKS",
    "MIN_FILL_SECONDS",
    "OPT_OUT_SALT",
    "ORIGIN",
    "PROVINCE",
    "Audience",
    "Recipient",
    "S",
    "article_approve",
    "article_create",
    "article_disseminate",
    "article_image_add",
    "article_image_delete",
    "article_publish",
    "article_request_changes",
    "article_schedule",
    "article_submit",
    "article_unpublish",
    "article_update",
    "articles_publish_due",
    "comment_create",
    "comment_moderate",
    "delivery_status_mirror",
    "dissemination_create",
    "dissemination_fan_out",
    "disseminations_stalled",
    "first_send_time",
    "in_quiet_hours",
    "opt_out_by_token",
    "opt_out_record",
    "opt_out_token",
    "opt_out_url",
    "outbox_key",
    "potential_create",
    "potential_update",
    "quiet_hours_end",
    "short_link_follow",
    "stat_increment",
    "subscribe_command",
    "subscriber_create",
    "user_can_disseminate",
]
