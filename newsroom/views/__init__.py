"""Pages of Kabar: the public portal (cached) and the newsroom's staff pages,
one module per area; ``newsroom.urls`` uses the names re-exported here."""

from __future__ import annotations

from newsroom.views.dissemination import (
    disseminate,
    dissemination_detail,
    reach,
    report,
)
from newsroom.views.portal import (
    article_detail,
    comment_post,
    count,
    home,
    kim_page,
    kind_page,
    region_home,
    search,
    short_link,
    subscribe,
    tag_page,
    unsubscribe,
)
from newsroom.views.potentials import potential_directory, potential_new
from newsroom.views.social import article_social
from newsroom.views.staff import (
    article_action,
    article_edit,
    article_new,
    article_preview,
    image_delete,
    image_upload,
    moderation,
    staff_home,
)

__all__ = [
    "article_action",
    "article_detail",
    "article_edit",
    "article_new",
    "article_preview",
    "article_social",
    "comment_post",
    "count",
    "disseminate",
    "dissemination_detail",
    "home",
    "image_delete",
    "image_upload",
    "kim_page",
    "kind_page",
    "moderation",
    "potential_directory",
    "potential_new",
    "reach",
    "region_home",
    "report",
    "search",
    "short_link",
    "staff_home",
    "subscribe",
    "tag_page",
    "unsubscribe",
]
