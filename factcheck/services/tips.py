"""Writes of tips and tipsters: a tip received (cleaned, matched, grouped into
a claim, answered), and the people who send them (region, erasure).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, Role, User
from accounts.permissions import can
from accounts.services import audit_record
from factcheck import (
    clustering,
    image_matching,
    imaging,
    links,
    matching_service,
    topics,
)
from factcheck import messages as texts
from factcheck.models import (
    Channel,
    Claim,
    Decision,
    FactCheck,
    Tip,
    TipConfirmation,
    TipImage,
    Tipster,
)
from factcheck.personal import (
    contact_encrypt,
    contact_hash,
    contact_mask,
)
from factcheck.services import confirmations, images, outgoing
from regions.models import Region

CLUSTER_WINDOW = timedelta(days=30)
CLUSTER_CANDIDATES = 3000
CANDIDATES = 3  # shown to a sender of a likely match


# --- Tips -----------------------------------------------------------------------

_SCRIPT = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"</?[a-zA-Z][^>]{0,500}>")


def tip_text_clean(text: object) -> str:
    """The tip's text made safe to store, or a ValidationError that says why not.

    Refused: empty, too long, binary data, only emojis or symbols, too short to
    check. Script and style blocks and HTML tags are removed (the text is still
    escaped wherever it is shown).
    """
    from django.conf import settings

    if not isinstance(text, str):
        raise ValidationError({"text": _("Send the text of the message to check.")})
    if "\x00" in text or text.count("\ufffd") > 2 or _control_share(text) > 0.02:
        raise ValidationError(
            {"text": _("This looks like a file or binary data, not a text message.")}
        )
    if len(text) > settings.TIPLINE_MAX_CHARS:
        raise ValidationError(
            {
                "text": _(
                    "The message is too long (%(n)s characters; at most %(max)s). "
                    "Send the main part of it."
                )
                % {
                    "n": f"{len(text):,}".replace(",", "."),
                    "max": settings.TIPLINE_MAX_CHARS,
                }
            }
        )
    cleaned = _TAGS.sub(" ", _SCRIPT.sub(" ", text))
    cleaned = unicodedata.normalize("NFC", cleaned)
    cleaned = "\n".join(" ".join(line.split()) for line in cleaned.splitlines())
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned).strip()
    if not cleaned:
        raise ValidationError(
            {"text": _("The message is empty: paste the text you want to check.")}
        )
    letters = sum(1 for ch in cleaned if ch.isalpha())
    # A bare phone number or link is a fair question ("is this a scammer?").
    alnum = sum(1 for ch in cleaned if ch.isalnum())
    if letters == 0 and alnum < 8:
        raise ValidationError(
            {
                "text": _(
                    "The message has no words to check (only emojis, numbers or "
                    "symbols). Paste the text of the message."
                )
            }
        )
    if alnum < 8:
        raise ValidationError(
            {
                "text": _(
                    "The message is too short to check. Paste the whole message, "
                    "headline or link."
                )
            }
        )
    return cleaned


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(
        1
        for ch in text
        if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in "\n\r\t"
    )
    return bad / len(text)


@dataclass
class TipOutcome:
    tip: Tip | None
    claim: Claim | None
    decision: str
    factcheck: FactCheck | None
    matches: list[dict[str, Any]]
    reply: str
    # A likely match: the question put to the sender, and its candidates.
    confirmation: TipConfirmation | None = None
    candidates: list[FactCheck] = field(default_factory=list)


def tipster_get_or_create(*, channel: str, contact: str) -> Tipster:
    digest = contact_hash(channel, contact)
    tipster = Tipster.objects.filter(channel=channel, contact_hash=digest).first()
    if tipster is not None:
        return tipster
    tipster = Tipster(
        channel=channel,
        contact_hash=digest,
        contact_encrypted=contact_encrypt(contact),
        masked=contact_mask(channel, contact),
    )
    # Unique per contact: looked up just above, and a race is the IntegrityError
    # below (the constraint's own query would be a third look).
    tipster.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            tipster.save()
    except IntegrityError:  # the same person's second message, at the same moment
        return Tipster.objects.get(channel=channel, contact_hash=digest)
    return tipster


def _member_region(contact: str) -> Region | None:
    """Where a KIM member who writes from their own number belongs: their KIM's
    region (network memberships), else their account's region."""
    if not contact.startswith("+"):
        return None
    from network.selectors import member_region_by_phone

    region = member_region_by_phone(phone=contact)
    if region is not None:
        return region
    user = (
        User.objects.select_related("region")
        .filter(
            phone=contact,
            is_active=True,
            role__in=[Role.KIM_MEMBER, Role.KIM_COORDINATOR],
        )
        .first()
    )
    return user.region if user else None


def _find_claim(
    *, signature: list[int], factcheck: FactCheck | None, phash: str = ""
) -> Claim | None:
    if factcheck is not None:
        claim = (
            Claim.objects.filter(factcheck=factcheck).order_by("-last_seen_at").first()
        )
        if claim is not None:
            return claim
    since = timezone.now() - CLUSTER_WINDOW
    if not signature:
        return _find_claim_by_picture(phash, since) if phash else None
    candidates = (
        Claim.objects.filter(last_seen_at__gte=since)
        .exclude(signature=[])
        .order_by("-last_seen_at")
        .values_list("pk", "signature")[:CLUSTER_CANDIDATES]
    )
    found = clustering.best_match(signature, candidates)
    if found is None:
        return None
    return Claim.objects.select_for_update().filter(pk=found[0]).first()


def _find_claim_by_picture(phash: str, since: datetime) -> Claim | None:
    """A picture without words (a photo, a poster of symbols) has no text to
    group by: it joins the recent claim of a near-identical wordless picture,
    judged as pictures are matched to fact-checks (``imaging.HashIndex``)."""
    rows = list(
        TipImage.objects.filter(signature=[], tip__claim__last_seen_at__gte=since)
        .order_by("-tip__claim__last_seen_at")
        .values_list("tip__claim_id", "phash", "signature")[:CLUSTER_CANDIDATES]
    )
    hits = imaging.HashIndex(rows).search(phash, limit=1)
    if not hits or not hits[0].near:
        return None
    return Claim.objects.select_for_update().filter(pk=hits[0].owner).first()


@dataclass
class _Match:
    """What the matching engine says about a tip."""

    decision: str
    matches: list[dict[str, Any]]
    best: FactCheck | None  # the best published candidate


@transaction.atomic
def tip_submit(
    *,
    channel: str,
    text: str,
    contact_channel: str = "",
    contact: str = "",
    region: Region | None = None,
    send_reply: bool = False,
    ask: bool | None = None,
    image: bytes | image_matching.ImageRead | None = None,
) -> TipOutcome:
    """Receive a tip: match it, group it into a claim, and prepare the answer.

    ``contact_channel``/``contact`` say how to reach the sender later (a Telegram
    chat id, a WhatsApp number); ``send_reply`` queues the instant answer on that
    channel (through ``channels``; a replayed webhook never gets here twice:
    ``InboundEvent`` is unique per provider message).

    A likely match (``suggest``) on the web form or a bot asks the sender to
    pick among the candidates (``ask``: default yes on those channels); its
    claim waits for the answer before it goes to the desk.

    ``image``: the bytes of a picture (a screenshot, a poster), with ``text``
    as its caption (may be empty). It is refused with
    ``ValidationError({"image": …})`` before anything is stored; else matched
    by its picture and the text read in it, and kept privately with the tip.
    Reading takes a second or two (OCR): a caller may pass the ``ImageRead``
    done before its transaction began (SQLite locks from the first write).
    """
    read = image_matching.image_read(image) if isinstance(image, bytes) else image
    if read is None:
        cleaned = tip_text_clean(text)
        signature = clustering.minhash(cleaned)
    else:
        cleaned, signature = _image_tip_text(text, read)
    tipster, region = _tipster_for_tip(contact_channel, contact, region)
    found = _tip_match(cleaned) if read is None else _image_tip_match(read, text)
    if ask is None:
        ask = channel in confirmations.ASKED_ON
    candidates = _candidates(found) if ask else []
    now = timezone.now()
    claim = _tip_claim(
        cleaned,
        found,
        now,
        asking=bool(candidates),
        signature=signature,
        phash=read.phash if read is not None else "",
    )
    decision, factcheck, reply = _tip_answer(claim, found)
    if factcheck is not None or claim.status == Claim.Status.NOT_CHECKABLE:
        candidates = []
    tip = Tip(
        claim=claim,
        tipster=tipster,
        channel=channel,
        text=cleaned,
        region=region,
        decision=decision,
        matched=factcheck or found.best,
        score=found.matches[0]["score"] if found.matches else None,
        received_at=now,
        link_url=links.url_find(cleaned),
    )
    # Its claim, tipster, region and fact-check were read or made just now in
    # this transaction: the fields are checked, not the rows' existence again.
    tip.full_clean(exclude=["claim", "tipster", "region", "matched"])
    tip.save()
    if read is not None:
        images.tip_image_store(tip=tip, read=read)
    if tip.link_url:
        _tip_link_read_later(tip.pk)
    confirmation = None
    if candidates:
        confirmation = confirmations.confirmation_ask(tip=tip, candidates=candidates)
        reply = texts.confirm_question(candidates)
    if send_reply and tipster is not None:
        _tip_reply_send(tipster, tip, reply, decision, found.best, confirmation)
    claim.refresh_from_db()
    return TipOutcome(
        tip,
        claim,
        decision,
        factcheck,
        found.matches,
        reply,
        confirmation,
        candidates,
    )


def _candidates(found: _Match) -> list[FactCheck]:
    """Up to three published candidates, best first, for a likely match."""
    if found.decision != Decision.SUGGEST:
        return []
    ids = [m["id"] for m in found.matches[:CANDIDATES]]
    published = FactCheck.objects.filter(
        pk__in=ids, status=FactCheck.Status.PUBLISHED
    ).in_bulk()
    return [published[pk] for pk in ids if pk in published]


def _tipster_for_tip(
    contact_channel: str, contact: str, region: Region | None
) -> tuple[Tipster | None, Region | None]:
    """The sender's record (created on their first tip) and the tip's region:
    the one given, else the KIM member's, else the one the tipster chose."""
    if not (contact_channel and contact):
        return None, region
    tipster = tipster_get_or_create(channel=contact_channel, contact=contact)
    region = region or _member_region(contact) or tipster.region
    if region is not None and tipster.region_id != region.kode:
        tipster.region = region
    tipster.subscribed = True
    tipster.save(update_fields=["region", "subscribed"])
    return tipster, region


def _image_tip_text(
    caption: object, read: image_matching.ImageRead
) -> tuple[str, list[int]]:
    """An image tip's text (its caption and the text read in the picture) and
    its clustering signature; a picture without words gets a placeholder and
    no signature (it joins no other claim by its text)."""
    words = "\n".join(
        part
        for part in (caption if isinstance(caption, str) else "", read.text)
        if part.strip()
    )
    try:
        cleaned = tip_text_clean(words[: settings.TIPLINE_MAX_CHARS])
    except ValidationError:
        return texts.IMAGE_NO_TEXT, []
    return texts.IMAGE_PREFIX + cleaned, clustering.minhash(cleaned)


def _image_tip_match(read: image_matching.ImageRead, caption: object) -> _Match:
    return _found(
        image_matching.match_image(
            read, text=caption if isinstance(caption, str) else "", top=5
        )
    )


def _tip_match(cleaned: str) -> _Match:
    return _found(matching_service.match(cleaned, top=5))


def _found(result: dict[str, Any]) -> _Match:
    matches = result["matches"]
    best = (
        FactCheck.objects.filter(pk=matches[0]["id"], status="published").first()
        if matches
        else None
    )
    decision = result["decision"] if best is not None else Decision.NONE
    return _Match(decision, matches, best)


def _tip_claim(
    cleaned: str,
    found: _Match,
    now: datetime,
    *,
    asking: bool = False,
    signature: list[int] | None = None,
    phash: str = "",
) -> Claim:
    """The claim the tip belongs to (the matched fact-check's, a near-duplicate
    seen lately, else a new one), its suggestions and count brought up to date.
    ``asking``: the sender is asked to confirm a candidate, so a new claim waits
    for their answer; a tip nobody is asked about brings a waiting claim to the
    desk. ``signature``: the text's MinHash, when the caller computed it;
    ``phash``: the picture's hash, for an image tip."""
    if signature is None:
        signature = clustering.minhash(cleaned)
    matched = found.best if found.decision == Decision.MATCH else None
    claim = _find_claim(signature=signature, factcheck=matched, phash=phash)
    if claim is None:
        claim = Claim(
            text=cleaned,
            signature=signature,
            first_seen_at=now,
            last_seen_at=now,
        )
        if matched is not None:
            claim.status = Claim.Status.PUBLISHED
            claim.factcheck = matched
            claim.auto_answered = True
            claim.topic = matched.topic
        else:
            claim.topic = topics.classify(text=cleaned)
            if asking:
                claim.status = Claim.Status.AWAITING
        # The constraints (a published claim has its fact-check, a known
        # topic) hold by construction here and PostgreSQL enforces them: their
        # queries (three each) are not repeated for every tip of a surge.
        claim.full_clean(validate_constraints=False)
        claim.save()
    elif claim.status == Claim.Status.AWAITING and not asking:
        claim.status = Claim.Status.NEW
        claim.save(update_fields=["status"])
    waiting = claim.is_open or claim.status == Claim.Status.AWAITING
    if found.decision == Decision.SUGGEST and waiting:
        known = {s["id"] for s in claim.suggestions}
        claim.suggestions = claim.suggestions + [
            {"id": m["id"], "score": m["score"]}
            for m in found.matches[:3]
            if m["id"] not in known
        ]
        claim.save(update_fields=["suggestions"])
    Claim.objects.filter(pk=claim.pk).update(
        tip_count=F("tip_count") + 1, last_seen_at=now
    )
    return claim


def _tip_answer(claim: Claim, found: _Match) -> tuple[str, FactCheck | None, str]:
    """The tip's decision, the fact-check that answers it (if any) and the
    instant reply."""
    decision = found.decision
    factcheck = found.best if decision == Decision.MATCH else None
    if claim.status == Claim.Status.PUBLISHED and claim.factcheck is not None:
        # The same story was answered already: this sender gets that answer.
        decision, factcheck = Decision.MATCH, claim.factcheck
    if factcheck is not None:
        reply = texts.match_reply(factcheck)
    elif claim.status == Claim.Status.NOT_CHECKABLE:
        reply = texts.NOT_CHECKABLE
    elif decision == Decision.SUGGEST and found.best is not None:
        reply = texts.suggest_reply(found.best)
    else:
        reply = texts.CHECKING
    return decision, factcheck, reply


def reply_key(tip_id: int) -> str:
    """The dedupe key of a tip's instant answer."""
    return f"factcheck:reply:tip:{tip_id}"


def _tip_reply_send(
    tipster: Tipster,
    tip: Tip,
    reply: str,
    decision: str,
    best: FactCheck | None,
    confirmation: TipConfirmation | None,
    *,
    dedupe_key: str = "",
) -> None:
    """The instant answer: a question comes with a button per candidate and
    "Tidak ada"; an unasked suggestion with a button that shows it.
    ``dedupe_key``: another answer to the same tip (the link's), sent once."""
    interactive = None
    if confirmation is not None:
        interactive = confirmations.confirmation_interactive(
            confirmation, confirmations.confirmation_candidates(confirmation)
        )
    elif decision == Decision.SUGGEST and best is not None:
        interactive = {
            "buttons": [{"id": f"fc:fakta:{best.pk}", "title": texts.SHOW_BUTTON}]
        }
    outgoing.tipster_send(
        tipster=tipster,
        text=reply,
        dedupe_key=dedupe_key or reply_key(tip.pk),
        interactive=interactive,
    )


def _tip_link_read_later(tip_id: int) -> None:
    """The linked page is read after the first answer, in a task."""
    from factcheck.tasks import tip_link_read_task

    transaction.on_commit(lambda: tip_link_read_task.enqueue(tip_id))


@transaction.atomic
def tipster_set_region(*, channel: str, contact: str, query: str) -> Region | None:
    from regions import provinces
    from regions.selectors import region_list

    # Matched among every regency, then kept to the provinces served: a close
    # spelling of a served one must not stand for a regency elsewhere.
    region = (
        region_list(level=Region.Level.REGENCY, q=query[:100])
        .filter(provinces.served_q("kode"))
        .first()
    )
    if region is None:
        return None
    tipster = tipster_get_or_create(channel=channel, contact=contact)
    tipster.region = region
    tipster.save(update_fields=["region"])
    return region


@transaction.atomic
def tipster_delete(*, actor: User | None, tipster: Tipster) -> None:
    """Erase a tipster's contact on their request (or staff's, on their behalf).

    Their tips stay, without a sender; messages still queued for them are
    withdrawn from the outbox.
    """
    if actor is not None and not can(actor, "delete", "factcheck.tipster"):
        raise PermissionDenied
    pk = tipster.pk
    outgoing.tipster_messages_cancel(tipster=tipster)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="factcheck.tipster",
        object_id=str(pk),
        object_repr=f"tipster #{pk} ({tipster.channel})",
        changes={"reason": "request" if actor is None else "staff"},
    )
    tipster.delete()


def _tipster_by_contact(channel: str, contact: str) -> Tipster | None:
    if channel not in (Channel.TELEGRAM, Channel.WHATSAPP):
        return None
    return Tipster.objects.filter(
        channel=channel, contact_hash=contact_hash(channel, contact)
    ).first()


def tipster_delete_by_contact(*, channel: str, contact: str) -> int:
    """The person's own request ("HAPUS", handled by channels, which calls this
    as factcheck's eraser): their record goes, their tips stay without a sender.
    Returns the number of records deleted (0 or 1)."""
    tipster = _tipster_by_contact(channel, contact)
    if tipster is None:
        return 0
    tipster_delete(actor=None, tipster=tipster)
    return 1


def tipster_data_summary(*, channel: str, contact: str) -> list[str]:
    """What the fact-check service keeps about this person (answer to "DATA")."""
    tipster = _tipster_by_contact(channel, contact)
    if tipster is None:
        return []
    lines = [texts.DATA_TIPS.format(n=Tip.objects.filter(tipster=tipster).count())]
    if tipster.region_id:
        lines.append(texts.DATA_REGION.format(name=tipster.region))
    return lines
