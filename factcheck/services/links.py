"""Writes of link tips: the page a tip links to is read in a task
(``tip_link_read_task``), stored on the tip, and the tip matched again on its
text and the page's title and description; a better answer than the first
one (none → likely or known, likely → known) is sent once on the same channel.

A page that cannot be read (a private address, too large, not a web page)
leaves the tip as it was, with the reason in ``Tip.link_error``. A server that
was down, slow or busy is tried again (``tip_links_retry_due``, periodic) for
``LINK_RETRY_FOR`` after the tip came, then given up the same way.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone, translation

from channels.models import OutboxMessage
from core.fetch import FetchError
from factcheck import links
from factcheck.models import Claim, ConfirmationState, Decision, Tip, TipConfirmation
from factcheck.services import outgoing, tips

log = logging.getLogger(__name__)

# (first decision, decision with the page) pairs that are worth a new answer.
IMPROVES = {
    (Decision.NONE, Decision.SUGGEST),
    (Decision.NONE, Decision.MATCH),
    (Decision.SUGGEST, Decision.MATCH),
}


LINK_RETRY_FOR = timedelta(hours=2)
LINK_RETRY_AFTER = timedelta(minutes=10)
"""A link not read this long after its tip came is read again (a failed
attempt, or a task lost with its worker)."""


def link_reply_key(tip_id: int) -> str:
    return f"factcheck:reply:link:{tip_id}"


def tip_link_read(*, tip_id: int) -> str:
    """Read the tip's link and answer again if the page says more.

    Returns what happened: ``skipped`` (no link, or read already), ``error``,
    ``retry`` (a temporary failure; read again later), ``same`` or
    ``improved``. Safe to run twice: a tip's link is read once, and the better
    answer has its own dedupe key."""
    tip = (
        Tip.objects.filter(pk=tip_id)
        .only("link_url", "link_fetched_at", "received_at")
        .first()
    )
    if tip is None or not tip.link_url or tip.link_fetched_at is not None:
        return "skipped"
    try:
        meta = links.page_meta_fetch(tip.link_url)
    except FetchError as exc:
        with translation.override("en"):  # stored like the feeds' errors
            error = str(exc)[:200]
        now = timezone.now()
        again = exc.temporary and now - tip.received_at < LINK_RETRY_FOR
        Tip.objects.filter(pk=tip_id, link_fetched_at=None).update(
            link_error=error, link_fetched_at=None if again else now
        )
        log.info("factcheck: link of tip %s not read: %s", tip_id, error)
        return "retry" if again else "error"
    return _tip_link_store(tip_id, meta)


def tip_links_retry_due(*, now: datetime | None = None, batch: int = 500) -> int:
    """Enqueue the reading of every link still unread a while after its tip
    came (a temporary failure, or a worker that died with the task); links
    past ``LINK_RETRY_FOR`` get one last try, which settles them."""
    from factcheck.tasks import tip_link_read_task

    now = now or timezone.now()
    ids = list(
        Tip.objects.filter(
            link_fetched_at=None, received_at__lte=now - LINK_RETRY_AFTER
        )
        .exclude(link_url="")
        .order_by("received_at")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in ids:
        tip_link_read_task.enqueue(pk)
    return len(ids)


@transaction.atomic
def _tip_link_store(tip_id: int, meta: links.PageMeta) -> str:
    tip = (
        Tip.objects.select_for_update(of=("self",))
        .select_related("claim", "tipster")
        .filter(pk=tip_id, link_fetched_at=None)
        .first()
    )
    if tip is None:  # another run stored it meanwhile
        return "skipped"
    tip.link_title = meta.title
    tip.link_description = meta.description
    tip.link_site = meta.site
    tip.link_error = ""
    tip.link_fetched_at = timezone.now()
    found = tips._tip_match(f"{tip.text}\n{meta.text()}")
    improved = (tip.decision, found.decision) in IMPROVES
    if improved:
        tip.decision = found.decision
        tip.matched = found.best
        tip.score = found.matches[0]["score"] if found.matches else None
        _claim_improve(tip.claim, found)
    tip.full_clean()
    tip.save()
    if not improved:
        return "same"
    if found.decision == Decision.MATCH:
        _question_close(tip)
    if _answered_on_chat(tip) and found.best is not None:
        reply = (
            tips.texts.match_reply(found.best)
            if found.decision == Decision.MATCH
            else tips.texts.suggest_reply(found.best)
        )
        tips._tip_reply_send(
            tip.tipster,
            tip,
            reply,
            found.decision,
            found.best,
            None,
            dedupe_key=link_reply_key(tip.pk),
        )
    return "improved"


def _question_close(tip: Tip) -> None:
    """The page settled what the sender was asked to choose: their open
    question closes unanswered (a later press gets "closed", and cannot move
    the tip elsewhere), and a claim still waiting for them goes to the desk."""
    closed = TipConfirmation.objects.filter(
        tip=tip, state=ConfirmationState.PENDING
    ).update(state=ConfirmationState.UNKNOWN)
    if closed:
        Claim.objects.filter(pk=tip.claim_id, status=Claim.Status.AWAITING).update(
            status=Claim.Status.NEW
        )


def _answered_on_chat(tip: Tip) -> bool:
    """The first answer went to the sender on a chat channel (the tipline's
    tips; not the web form's or the API's, which have no one to tell)."""
    return (
        tip.tipster is not None
        and OutboxMessage.objects.filter(
            origin=outgoing.ORIGIN, dedupe_key=tips.reply_key(tip.pk)
        ).exists()
    )


def _claim_improve(claim: Claim, found: tips._Match) -> None:
    """A claim of this tip alone, not yet worked on, takes the match as a new
    claim would have; a claim others also asked about only gets suggestions
    (the desk decides)."""
    untouched = claim.status in (Claim.Status.NEW, Claim.Status.AWAITING)
    if found.decision == Decision.MATCH and untouched and claim.tip_count <= 1:
        best = found.best
        assert best is not None
        claim.status = Claim.Status.PUBLISHED
        claim.factcheck = best
        claim.auto_answered = True
        claim.topic = best.topic
        claim.full_clean()
        claim.save(update_fields=["status", "factcheck", "auto_answered", "topic"])
        return
    if claim.is_open or claim.status == Claim.Status.AWAITING:
        known = {s["id"] for s in claim.suggestions}
        new = [
            {"id": m["id"], "score": m["score"]}
            for m in found.matches[:3]
            if m["id"] not in known
        ]
        if new:
            claim.suggestions = claim.suggestions + new
            claim.save(update_fields=["suggestions"])
