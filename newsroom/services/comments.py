"""Reader comments and their moderation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry
from accounts.permissions import require
from accounts.services import audit_record
from newsroom import cache, content
from newsroom.models import (
    Article,
    Comment,
)

if TYPE_CHECKING:
    from accounts.models import User

S = Article.Status


# --- comments -----------------------------------------------------------------------
MIN_FILL_SECONDS = 3
MAX_COMMENT_LINKS = 2


@transaction.atomic
def comment_create(
    *,
    article: Article,
    name: str,
    body: str,
    honeypot: str = "",
    fill_seconds: float | None = None,
) -> Comment:
    """A reader's comment, held for moderation. Bots (a filled hidden field, a
    form sent faster than a person types, many links) are kept as spam without
    telling them."""
    if article.status != S.PUBLISHED:
        raise ValidationError({"body": _("This article takes no comments.")})
    name = " ".join((name or "").split())[:80]
    text = (body or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter your name.")})
    if len(text) < 2:
        raise ValidationError({"body": _("Write a comment.")})
    if len(text) > 3000:
        raise ValidationError({"body": _("Keep it under 3000 characters.")})
    reason = ""
    if honeypot:
        reason = "honeypot"
    elif fill_seconds is None or fill_seconds < MIN_FILL_SECONDS:
        reason = "too fast"
    elif content.count_links(text) > MAX_COMMENT_LINKS:
        reason = "links"
    comment = Comment(
        article=article,
        name=content.plain_text(name)[:80] or "-",
        body=content.clean_comment(text),
        status=Comment.Status.SPAM if reason else Comment.Status.PENDING,
        spam_reason=reason,
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def comment_moderate(*, actor: User, comment: Comment, status: str) -> Comment:
    region = comment.article.region_id
    require(actor, "moderate", "newsroom.comment", region_code=region)
    if status not in Comment.Status.values or status == Comment.Status.PENDING:
        raise ValidationError({"status": _("Choose approve, reject or spam.")})
    was_public = comment.status == Comment.Status.APPROVED
    comment.status = status
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    comment.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=comment,
        object_repr=f"comment on {comment.article.title}"[:255],
        region_code=region,
        changes={"status": status},
    )
    if was_public or status == Comment.Status.APPROVED:
        cache.bump()
    return comment
