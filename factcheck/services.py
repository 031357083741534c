"""Writes of the fact-check app: fact-checks and their import, tips and claims,
the desk workflow, publishing and sending verdicts back.

Every change of a fact-check tells the matching index (``matching_service``)
inside the same transaction; every message to a tipster is an ``OutgoingMessage``
sent afterwards by a task.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, Role, User
from accounts.permissions import can
from accounts.services import audit_record
from core.uploads import IMAGE, check_upload
from factcheck import clustering, matching_service, selectors, topics
from factcheck import messages as texts
from factcheck.cards import render_card
from factcheck.importing import FactCheckRecord, Parsed
from factcheck.models import (
    Channel,
    Claim,
    ClaimNote,
    Decision,
    FactCheck,
    FeedSource,
    OutgoingMessage,
    Tip,
    Tipster,
    Topic,
    WebhookDelivery,
)
from factcheck.personal import (
    contact_encrypt,
    contact_hash,
    contact_mask,
)
from regions.models import Region

CLUSTER_WINDOW = timedelta(days=30)
CLUSTER_CANDIDATES = 3000
OWN_PUBLISHER = "Diskominfo Kaltim (Simpul)"


# --- Fact-checks ----------------------------------------------------------------


def _check(actor: User | None, action: str, resource: str) -> None:
    if actor is not None and not can(actor, action, resource):
        raise PermissionDenied


def _references(value: Iterable[str] | str) -> list[str]:
    items = value.splitlines() if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item.strip()]


@transaction.atomic
def factcheck_create(
    *,
    actor: User | None,
    title: str,
    verdict: str,
    claim_reviewed: str = "",
    explanation: str = "",
    conclusion: str = "",
    references: Iterable[str] | str = (),
    publisher: str = OWN_PUBLISHER,
    author: str = "",
    url: str = "",
    regions: Iterable[Region] = (),
    status: str = FactCheck.Status.DRAFT,
    is_own: bool = True,
    topic: str = "",
) -> FactCheck:
    """A fact-check written here (a draft unless ``status`` says otherwise); its
    topic classified from the title and claim unless given."""
    _check(actor, "change", "factcheck.factcheck")
    factcheck = FactCheck(
        title=title.strip(),
        verdict=verdict,
        topic=topic
        or topics.classify(title=title, text=claim_reviewed, verdict=verdict),
        claim_reviewed=claim_reviewed.strip(),
        explanation=explanation.strip(),
        conclusion=conclusion.strip(),
        references=_references(references),
        publisher=publisher.strip() or OWN_PUBLISHER,
        author=author.strip() or (actor.full_name if actor else ""),
        url=url.strip(),
        status=status,
        is_own=is_own,
        created_by=actor,
    )
    if status == FactCheck.Status.PUBLISHED:
        factcheck.published_on = timezone.localdate()
    factcheck.full_clean()
    factcheck.save()
    factcheck.regions.set(list(regions))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=factcheck,
        changes={"verdict": verdict, "status": status, "topic": factcheck.topic},
    )
    if factcheck.is_published:
        _card_render(factcheck)
        matching_service.factchecks_changed([factcheck.pk])
    return factcheck


_EDITABLE = (
    "title",
    "verdict",
    "topic",
    "claim_reviewed",
    "explanation",
    "conclusion",
    "references",
    "author",
    "url",
)


def _check_area(
    actor: User | None,
    action: str,
    factcheck: FactCheck,
    regions: Iterable[Region] | None = None,
) -> None:
    """A published (or withdrawn) fact-check is changed only by someone whose
    area covers every region it concerns, before and after the change."""
    if actor is None:
        return
    if not selectors.factcheck_allowed(actor=actor, action=action, factcheck=factcheck):
        raise PermissionDenied
    if regions is not None and not selectors.factcheck_allowed(
        actor=actor, action=action, factcheck=factcheck, regions=regions
    ):
        raise ValidationError(
            {
                "regions": _(
                    "Choose only regions within your own area (a fact-check "
                    "without regions concerns the whole province)."
                )
            }
        )


@transaction.atomic
def factcheck_update(
    *,
    actor: User | None,
    factcheck: FactCheck,
    regions: Iterable[Region] | None = None,
    image: File[Any] | None = None,
    remove_image: bool = False,
    **fields: Any,
) -> FactCheck:
    """Change a fact-check; a verdict change is logged with before and after.

    ``image`` replaces its picture (a JPEG, PNG or WebP photo of at most 10 MB,
    checked by its content); ``remove_image`` drops it. Nothing is stored when
    a field or the image is refused."""
    _check(actor, "change", "factcheck.factcheck")
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    if regions is not None:
        regions = list(regions)
    if factcheck.status != FactCheck.Status.DRAFT:
        _check_area(actor, "change", factcheck, regions)
    ext = check_upload(image, kinds={IMAGE}, field="image") if image else ""
    before = {name: getattr(factcheck, name) for name in fields}
    for name, value in fields.items():
        if name == "references":
            value = _references(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(factcheck, name, value)
    factcheck.full_clean()
    old_image = factcheck.image.name if factcheck.image else ""
    if image:
        factcheck.image.save(
            f"factcheck-{factcheck.pk}-{secrets.token_hex(4)}.{ext}", image, save=False
        )
    elif remove_image:
        factcheck.image = ""
    factcheck.save()
    new_image = factcheck.image.name if factcheck.image else ""
    if old_image and old_image != new_image:
        storage = factcheck.image.storage
        transaction.on_commit(lambda: storage.delete(old_image))
    changes = {
        name: [before[name], getattr(factcheck, name)]
        for name in fields
        if before[name] != getattr(factcheck, name)
    }
    # Texts can be long: the log keeps which fields changed, and the verdict
    # and topic.
    logged: dict[str, Any] = {
        name: value if name in ("verdict", "topic") else "…"
        for name, value in changes.items()
    }
    if old_image != new_image:
        logged["image"] = [old_image, new_image]
    if regions is not None:
        region_codes = sorted(r.kode for r in factcheck.regions.all())
        factcheck.regions.set(regions)
        new_codes = sorted(r.kode for r in regions)
        if new_codes != region_codes:
            logged["regions"] = [region_codes, new_codes]
    if logged:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=factcheck,
            changes=logged,
        )
    if factcheck.is_published:
        if changes.keys() & {"title", "verdict"}:
            _card_render(factcheck)
        matching_service.factchecks_changed([factcheck.pk])
    return factcheck


@transaction.atomic
def factcheck_withdraw(*, actor: User, factcheck: FactCheck, reason: str) -> FactCheck:
    """Take a published fact-check back: it leaves the archive and the matching
    index; its public page stays and says it was withdrawn, and why."""
    _check(actor, "publish", "factcheck.factcheck")
    _check_area(actor, "publish", factcheck)
    if not factcheck.is_published:
        raise ValidationError(_("Only a published fact-check can be withdrawn."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"withdrawal_reason": _("Say why the fact-check is withdrawn.")}
        )
    factcheck.status = FactCheck.Status.WITHDRAWN
    factcheck.withdrawn_at = timezone.now()
    factcheck.withdrawal_reason = reason
    factcheck.full_clean()
    factcheck.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=factcheck,
        changes={
            "status": [FactCheck.Status.PUBLISHED, FactCheck.Status.WITHDRAWN],
            "reason": reason,
        },
    )
    matching_service.factchecks_changed([factcheck.pk])
    return factcheck


@transaction.atomic
def factcheck_republish(*, actor: User, factcheck: FactCheck) -> FactCheck:
    """Publish a withdrawn fact-check again (the audit log keeps why it had been
    withdrawn); matchable at once, its share card rendered afresh."""
    _check(actor, "publish", "factcheck.factcheck")
    _check_area(actor, "publish", factcheck)
    if not factcheck.is_withdrawn:
        raise ValidationError(_("Only a withdrawn fact-check can be published again."))
    factcheck.status = FactCheck.Status.PUBLISHED
    factcheck.published_on = factcheck.published_on or timezone.localdate()
    factcheck.withdrawn_at = None
    factcheck.withdrawal_reason = ""
    factcheck.full_clean()
    factcheck.save()
    _card_render(factcheck)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.PUBLISH,
        obj=factcheck,
        changes={"status": [FactCheck.Status.WITHDRAWN, FactCheck.Status.PUBLISHED]},
    )
    matching_service.factchecks_changed([factcheck.pk])
    return factcheck


@transaction.atomic
def factcheck_delete(*, actor: User | None, factcheck: FactCheck) -> None:
    _check(actor, "change", "factcheck.factcheck")
    pk = factcheck.pk
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, obj=factcheck)
    if factcheck.card:
        factcheck.card.delete(save=False)
    factcheck.delete()
    matching_service.factchecks_changed([pk])


def _card_render(factcheck: FactCheck) -> None:
    png = render_card(
        verdict_label=factcheck.verdict_label,
        verdict_key=factcheck.verdict,
        title=factcheck.title,
        publisher=factcheck.publisher,
    )
    if factcheck.card:
        factcheck.card.delete(save=False)
    factcheck.card.save(f"factcheck-{factcheck.pk}.png", ContentFile(png), save=False)
    FactCheck.objects.filter(pk=factcheck.pk).update(card=factcheck.card.name)


def factcheck_card_ensure(*, factcheck: FactCheck) -> FactCheck:
    """Render the share card if it is missing (imported fact-checks get theirs
    the first time someone shares them)."""
    name = factcheck.card.name if factcheck.card else ""
    if not name or not factcheck.card.storage.exists(name):
        factcheck.card.name = ""
        _card_render(factcheck)
    return factcheck


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.created + self.updated


_IMPORTED_FIELDS = [
    "title",
    "claim_reviewed",
    "verdict",
    "source_verdict",
    "explanation",
    "conclusion",
    "references",
    "publisher",
    "author",
    "published_on",
    "url",
    "claim_author",
    "claim_appearances",
    "language",
    "external_id",
    "topic",
]


def _from_record(record: FactCheckRecord) -> FactCheck:
    """The fact-check of a record; its topic the publisher's category when it
    names one, else classified from the title and claim."""
    return FactCheck(
        title=record.title,
        claim_reviewed=record.claim,
        verdict=record.verdict,
        topic=record.topic
        or topics.classify(
            title=record.title, text=record.claim, verdict=record.verdict
        ),
        source_verdict=record.source_verdict[:100],
        explanation=record.explanation,
        conclusion=record.conclusion,
        references=record.references,
        publisher=record.source or "?",
        author=record.author,
        published_on=record.published,
        url=record.url,
        claim_author=record.claim_author,
        claim_appearances=record.claim_appearances,
        language=record.language,
        external_id=record.external_id,
        is_own=False,
        status=FactCheck.Status.PUBLISHED,
    )


def factchecks_import(
    *, items: Iterable[Parsed], actor: User | None = None, batch_size: int = 500
) -> ImportResult:
    """Insert or update imported fact-checks, matched on external id, else URL.

    Bad records (unparsable, invalid fields, unknown regions) are reported by line
    and nothing of them is stored; the others are written in batches, and the
    matching index learns about every new or changed fact-check.
    """
    result = ImportResult()
    with matching_service.one_sync():
        _import_items(items, result, batch_size)
    if result.stored:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            object_type="factcheck.factcheck",
            object_repr=f"import: {result.created} new, {result.updated} changed",
            changes={"created": result.created, "updated": result.updated},
        )
    return result


def _import_items(
    items: Iterable[Parsed], result: ImportResult, batch_size: int
) -> None:
    regions = set(Region.objects.values_list("kode", flat=True))
    batch: list[tuple[int, FactCheckRecord]] = []
    seen: set[str] = set()
    for item in items:
        if item.record is None:
            result.errors.append((item.line, item.error))
            continue
        record = item.record
        if record.external_id in seen:
            result.errors.append(
                (item.line, f"external_id {record.external_id!r} repeated in the file")
            )
            continue
        unknown = [code for code in record.regions if code not in regions]
        if unknown:
            result.errors.append(
                (item.line, f"unknown region code(s): {', '.join(unknown)}")
            )
            continue
        seen.add(record.external_id)
        batch.append((item.line, record))
        if len(batch) >= batch_size:
            _import_batch(batch, result)
            batch = []
    if batch:
        _import_batch(batch, result)


@transaction.atomic
def _import_batch(
    batch: list[tuple[int, FactCheckRecord]], result: ImportResult
) -> None:
    ids = [record.external_id for _, record in batch]
    urls = [record.url for _, record in batch if record.url]
    existing = {
        fc.external_id: fc for fc in FactCheck.objects.filter(external_id__in=ids)
    }
    by_url = {
        fc.url: fc
        for fc in FactCheck.objects.filter(url__in=urls).exclude(external_id__in=ids)
    }
    new: list[tuple[FactCheck, list[str]]] = []
    changed: list[tuple[FactCheck, list[str]]] = []
    for line, record in batch:
        candidate = _from_record(record)
        try:
            # Uniqueness is settled above (existing rows are updated).
            candidate.full_clean(
                exclude=["regions", "card", "image"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            message = "; ".join(
                f"{name}: {' '.join(errors)}"
                for name, errors in exc.message_dict.items()
            )
            result.errors.append((line, message))
            continue
        current = existing.get(record.external_id) or (
            by_url.get(record.url) if record.url else None
        )
        if current is None:
            new.append((candidate, record.regions))
            continue
        if current.is_own:
            result.errors.append((line, "would overwrite one of our own fact-checks"))
            continue
        differs = [
            name
            for name in _IMPORTED_FIELDS
            if getattr(current, name) != getattr(candidate, name)
        ]
        if not differs:
            result.unchanged += 1
            continue
        for name in _IMPORTED_FIELDS:
            setattr(current, name, getattr(candidate, name))
        changed.append((current, record.regions))
    FactCheck.objects.bulk_create([fc for fc, _ in new])
    if any(fc.pk is None for fc, _ in new):  # backends without RETURNING
        by_ext = dict(
            FactCheck.objects.filter(
                external_id__in=[fc.external_id for fc, _ in new]
            ).values_list("external_id", "pk")
        )
        for fc, _ in new:
            fc.pk = by_ext[fc.external_id]
    FactCheck.objects.bulk_update(
        [fc for fc, _ in changed], [*_IMPORTED_FIELDS, "updated_at"]
    )
    through = FactCheck.regions.through
    for fc, codes in [*new, *changed]:
        if codes:
            through.objects.filter(factcheck_id=fc.pk).delete()
            through.objects.bulk_create(
                [through(factcheck_id=fc.pk, region_id=code) for code in codes]
            )
    result.created += len(new)
    result.updated += len(changed)
    touched = [fc.pk for fc, _ in [*new, *changed]]
    if touched:
        matching_service.factchecks_changed(touched)


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
    duplicate: bool = False


def _delivery_seen(channel: str, delivery_id: str) -> bool:
    """Record a webhook delivery; True if it had been processed already."""
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(channel=channel, delivery_id=delivery_id)
    except IntegrityError:
        return True
    return False


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
    tipster.full_clean()
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


def _find_claim(*, signature: list[int], factcheck: FactCheck | None) -> Claim | None:
    if factcheck is not None:
        claim = (
            Claim.objects.filter(factcheck=factcheck).order_by("-last_seen_at").first()
        )
        if claim is not None:
            return claim
    if not signature:
        return None
    since = timezone.now() - CLUSTER_WINDOW
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


@transaction.atomic
def tip_submit(
    *,
    channel: str,
    text: str,
    contact_channel: str = "",
    contact: str = "",
    region: Region | None = None,
    delivery_id: str = "",
    send_reply: bool = False,
) -> TipOutcome:
    """Receive a tip: match it, group it into a claim, and prepare the answer.

    ``contact_channel``/``contact`` say how to reach the sender later (a Telegram
    chat id, a WhatsApp number); ``send_reply`` queues the instant answer on that
    channel. ``delivery_id`` makes a replayed webhook delivery a no-op.
    """
    cleaned = tip_text_clean(text)
    if delivery_id and _delivery_seen(channel, delivery_id):
        return TipOutcome(None, None, "", None, [], "", duplicate=True)
    tipster = None
    if contact_channel and contact:
        tipster = tipster_get_or_create(channel=contact_channel, contact=contact)
        region = region or _member_region(contact) or tipster.region
        if region is not None and tipster.region_id != region.kode:
            tipster.region = region
        tipster.subscribed = True
        tipster.save(update_fields=["region", "subscribed"])
    result = matching_service.match(cleaned, top=5)
    decision = result["decision"]
    matches = result["matches"]
    best = (
        FactCheck.objects.filter(pk=matches[0]["id"], status="published").first()
        if matches
        else None
    )
    if best is None:
        decision = Decision.NONE
    now = timezone.now()
    signature = clustering.minhash(cleaned)
    claim = _find_claim(
        signature=signature, factcheck=best if decision == Decision.MATCH else None
    )
    if claim is None:
        claim = Claim(
            text=cleaned,
            signature=signature,
            first_seen_at=now,
            last_seen_at=now,
        )
        if decision == Decision.MATCH and best is not None:
            claim.status = Claim.Status.PUBLISHED
            claim.factcheck = best
            claim.auto_answered = True
            claim.topic = best.topic
        else:
            claim.topic = topics.classify(text=cleaned)
        claim.full_clean()
        claim.save()
    if decision == Decision.SUGGEST and claim.is_open:
        known = {s["id"] for s in claim.suggestions}
        claim.suggestions = claim.suggestions + [
            {"id": m["id"], "score": m["score"]}
            for m in matches[:3]
            if m["id"] not in known
        ]
        claim.save(update_fields=["suggestions"])
    Claim.objects.filter(pk=claim.pk).update(
        tip_count=F("tip_count") + 1, last_seen_at=now
    )
    factcheck = best if decision == Decision.MATCH else None
    if claim.status == Claim.Status.PUBLISHED and claim.factcheck is not None:
        # The same story was answered already: this sender gets that answer.
        decision, factcheck = Decision.MATCH, claim.factcheck
    if factcheck is not None:
        reply = texts.match_reply(factcheck)
    elif claim.status == Claim.Status.NOT_CHECKABLE:
        reply = texts.NOT_CHECKABLE
    elif decision == Decision.SUGGEST and best is not None:
        reply = texts.suggest_reply(best)
    else:
        reply = texts.CHECKING
    tip = Tip(
        claim=claim,
        tipster=tipster,
        channel=channel,
        text=cleaned,
        region=region,
        decision=decision,
        matched=factcheck or best,
        score=matches[0]["score"] if matches else None,
        received_at=now,
    )
    tip.full_clean()
    tip.save()
    if send_reply and tipster is not None:
        _queue(
            tipster=tipster,
            kind=OutgoingMessage.Kind.REPLY,
            text=reply,
            claim=claim,
            tip=tip,
        )
    claim.refresh_from_db()
    return TipOutcome(tip, claim, decision, factcheck, matches, reply)


def _queue(
    *,
    tipster: Tipster,
    kind: str,
    text: str,
    claim: Claim | None = None,
    tip: Tip | None = None,
    detached: bool = False,
) -> OutgoingMessage | None:
    """Queue a message; ``detached`` keeps its own copy of the contact (for the
    goodbye to someone whose record is deleted right after)."""
    from factcheck.tasks import outgoing_send_task

    message = OutgoingMessage(
        tipster=None if detached else tipster,
        channel=tipster.channel,
        kind=kind,
        text=text,
        claim=claim,
        tip=tip,
        contact_encrypted=tipster.contact_encrypted if detached else "",
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return None  # this verdict was queued for this person already
    transaction.on_commit(lambda: outgoing_send_task.enqueue(message.pk))
    return message


def tipster_message(*, tipster: Tipster, text: str) -> OutgoingMessage | None:
    """A short answer to a tipster's command (welcome, region set, …)."""
    return _queue(tipster=tipster, kind=OutgoingMessage.Kind.REPLY, text=text)


@transaction.atomic
def tipster_unsubscribe(*, channel: str, contact: str) -> Tipster | None:
    tipster = Tipster.objects.filter(
        channel=channel, contact_hash=contact_hash(channel, contact)
    ).first()
    if tipster is not None and tipster.subscribed:
        tipster.subscribed = False
        tipster.save(update_fields=["subscribed"])
    return tipster


@transaction.atomic
def tipster_set_region(*, channel: str, contact: str, query: str) -> Region | None:
    from regions.selectors import region_list

    region = region_list(level=Region.Level.REGENCY, q=query[:100]).first()
    if region is None:
        return None
    tipster = tipster_get_or_create(channel=channel, contact=contact)
    tipster.region = region
    tipster.save(update_fields=["region"])
    return region


@transaction.atomic
def tipster_delete(*, actor: User | None, tipster: Tipster) -> None:
    """Erase a tipster's contact on their request (or staff's, on their behalf).

    Their tips stay, without a sender; pending messages to them are cancelled.
    """
    if actor is not None and not can(actor, "delete", "factcheck.tipster"):
        raise PermissionDenied
    pk = tipster.pk
    OutgoingMessage.objects.filter(
        tipster=tipster, status=OutgoingMessage.Status.PENDING
    ).update(status=OutgoingMessage.Status.CANCELLED, text="")
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="factcheck.tipster",
        object_id=str(pk),
        object_repr=f"tipster #{pk} ({tipster.channel})",
        changes={"reason": "request" if actor is None else "staff"},
    )
    tipster.delete()


def tipster_delete_by_contact(*, channel: str, contact: str, goodbye: str = "") -> bool:
    """The tipster's own request (a bot command): delete, then say goodbye."""
    tipster = Tipster.objects.filter(
        channel=channel, contact_hash=contact_hash(channel, contact)
    ).first()
    if tipster is None:
        return False
    if goodbye:
        _queue(
            tipster=tipster,
            kind=OutgoingMessage.Kind.REPLY,
            text=goodbye,
            detached=True,
        )
    tipster_delete(actor=None, tipster=tipster)
    return True


# --- The desk -------------------------------------------------------------------

_NEXT: dict[str, set[str]] = {
    Claim.Status.NEW: {Claim.Status.IN_PROGRESS, Claim.Status.NOT_CHECKABLE},
    Claim.Status.IN_PROGRESS: {Claim.Status.NEW, Claim.Status.NOT_CHECKABLE},
    Claim.Status.DRAFTED: {Claim.Status.IN_PROGRESS, Claim.Status.NOT_CHECKABLE},
    Claim.Status.REVIEWED: {Claim.Status.DRAFTED, Claim.Status.IN_PROGRESS},
    Claim.Status.NOT_CHECKABLE: {Claim.Status.NEW, Claim.Status.IN_PROGRESS},
    Claim.Status.PUBLISHED: set(),
}


def _desk(actor: User) -> None:
    if not can(actor, "change", "factcheck.claim"):
        raise PermissionDenied


@transaction.atomic
def claim_set_status(*, actor: User, claim: Claim, status: str) -> Claim:
    """Move a claim along the workflow (drafting and publishing have their own
    services)."""
    _desk(actor)
    if status not in _NEXT.get(claim.status, set()):
        raise ValidationError(
            {
                "status": _("A claim cannot go from “%(a)s” to “%(b)s”.")
                % {"a": claim.get_status_display(), "b": status}
            }
        )
    before = claim.status
    claim.status = status
    if status == Claim.Status.IN_PROGRESS and claim.assigned_to is None:
        claim.assigned_to = actor
    claim.full_clean()
    claim.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=claim,
        changes={"status": [before, status]},
    )
    if status == Claim.Status.NOT_CHECKABLE:
        _notify_askers(claim, texts.NOT_CHECKABLE)
    return claim


@transaction.atomic
def claim_assign(*, actor: User, claim: Claim, assignee: User | None) -> Claim:
    _desk(actor)
    if assignee is not None and not can(assignee, "change", "factcheck.claim"):
        raise ValidationError({"assigned_to": _("This person does not work the desk.")})
    before = claim.assigned_to_id
    claim.assigned_to = assignee
    if assignee is not None and claim.status == Claim.Status.NEW:
        claim.status = Claim.Status.IN_PROGRESS
    claim.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=claim,
        changes={"assigned_to": [before, assignee.pk if assignee else None]},
    )
    return claim


@transaction.atomic
def claim_set_topic(*, actor: User, claim: Claim, topic: str) -> Claim:
    """Correct what a claim is about; its tips count under the new topic, and
    its draft verdict (not yet published) follows."""
    _desk(actor)
    if topic not in Topic.values:
        raise ValidationError({"topic": _("Choose one of the topics.")})
    before = claim.topic
    if before == topic:
        return claim
    claim.topic = topic
    claim.full_clean()
    claim.save(update_fields=["topic", "updated_at"])
    draft = claim.factcheck
    if draft is not None and not draft.is_published and draft.topic != topic:
        factcheck_update(actor=actor, factcheck=draft, topic=topic)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=claim,
        changes={"topic": [before, topic]},
    )
    return claim


@transaction.atomic
def claim_note_add(*, actor: User, claim: Claim, text: str) -> ClaimNote:
    _desk(actor)
    note = ClaimNote(claim=claim, author=actor, text=text.strip()[:5000])
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def claim_confirm_match(*, actor: User, claim: Claim, factcheck: FactCheck) -> Claim:
    """One click: this claim is answered by an existing published fact-check;
    everyone who asked is told."""
    _desk(actor)
    if not claim.is_open:
        raise ValidationError(_("This claim is already closed."))
    if not factcheck.is_published:
        raise ValidationError(_("Only a published fact-check can answer a claim."))
    claim.factcheck = factcheck
    claim.status = Claim.Status.PUBLISHED
    claim.full_clean()
    claim.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=claim,
        changes={"factcheck": factcheck.pk, "verdict": factcheck.verdict},
    )
    _notify_askers(claim, texts.verdict_later(factcheck))
    return claim


@transaction.atomic
def claim_draft_verdict(
    *,
    actor: User,
    claim: Claim,
    title: str,
    verdict: str,
    claim_reviewed: str = "",
    explanation: str = "",
    conclusion: str = "",
    references: Iterable[str] | str = (),
    regions: Iterable[Region] | None = None,
    topic: str = "",
) -> FactCheck:
    """Write (or rewrite) the claim's own fact-check as a draft. Its topic
    (the claim's unless another is chosen) becomes the claim's too."""
    _desk(actor)
    if claim.status not in (
        Claim.Status.NEW,
        Claim.Status.IN_PROGRESS,
        Claim.Status.DRAFTED,
        Claim.Status.REVIEWED,
    ):
        raise ValidationError(_("This claim is closed."))
    if regions is None:
        regions = Region.objects.filter(tips__claim=claim).distinct()
    fields: dict[str, Any] = {
        "title": title,
        "verdict": verdict,
        "claim_reviewed": claim_reviewed or claim.text[:2000],
        "explanation": explanation,
        "conclusion": conclusion,
        "references": references,
        "topic": topic or claim.topic,
    }
    draft = claim.factcheck
    if draft is not None and not draft.is_published:
        draft = factcheck_update(
            actor=actor, factcheck=draft, regions=regions, **fields
        )
    else:
        draft = factcheck_create(actor=actor, regions=regions, **fields)
    claim.factcheck = draft
    claim.topic = draft.topic
    before = claim.status
    claim.status = Claim.Status.DRAFTED
    if claim.assigned_to is None:
        claim.assigned_to = actor
    claim.full_clean()
    claim.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=claim,
        changes={"status": [before, claim.status], "verdict": verdict},
    )
    return draft


@transaction.atomic
def claim_review(*, actor: User, claim: Claim) -> Claim:
    """A second look at the draft before it goes out."""
    _desk(actor)
    if claim.status != Claim.Status.DRAFTED or claim.factcheck is None:
        raise ValidationError(_("Only a drafted verdict can be reviewed."))
    claim.status = Claim.Status.REVIEWED
    claim.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=claim,
        changes={"status": [Claim.Status.DRAFTED, Claim.Status.REVIEWED]},
    )
    return claim


@transaction.atomic
def claim_publish(*, actor: User, claim: Claim, to_network: bool = False) -> FactCheck:
    """Publish the reviewed verdict: public page and card, matchable at once,
    sent to everyone who asked, and listed for the KIM network if chosen."""
    if not can(actor, "publish", "factcheck.factcheck"):
        raise PermissionDenied
    if claim.status != Claim.Status.REVIEWED or claim.factcheck is None:
        raise ValidationError(_("Only a reviewed verdict can be published."))
    factcheck = claim.factcheck
    factcheck.status = FactCheck.Status.PUBLISHED
    factcheck.published_on = factcheck.published_on or timezone.localdate()
    factcheck.topic = claim.topic  # the claim's topic goes out with its verdict
    if to_network:
        factcheck.network_requested_at = timezone.now()
    factcheck.full_clean()
    factcheck.save()
    _card_render(factcheck)
    claim.status = Claim.Status.PUBLISHED
    claim.full_clean()
    claim.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.PUBLISH,
        obj=factcheck,
        changes={
            "verdict": factcheck.verdict,
            "claim": claim.pk,
            "network": to_network,
        },
    )
    matching_service.factchecks_changed([factcheck.pk])
    _notify_askers(claim, texts.verdict_later(factcheck))
    if to_network:
        _disseminate(actor=actor, factcheck=factcheck)
    return factcheck


@transaction.atomic
def factcheck_share_to_network(*, actor: User, factcheck: FactCheck) -> FactCheck:
    if not can(actor, "publish", "factcheck.factcheck"):
        raise PermissionDenied
    if not factcheck.is_published:
        raise ValidationError(_("Only a published fact-check can be shared."))
    factcheck.network_requested_at = timezone.now()
    factcheck.save(update_fields=["network_requested_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=factcheck,
        changes={"network": True},
    )
    _disseminate(actor=actor, factcheck=factcheck)
    return factcheck


# Channels for verdicts pushed to the KIM network, in order of preference.
NETWORK_CHANNELS = ["whatsapp", "telegram", "sms", "email"]


def _disseminate(*, actor: User, factcheck: FactCheck) -> None:
    """Hand a published verdict to the newsroom's dissemination (KIM members and
    subscribers of the regions concerned, else of the actor's region).

    The newsroom sends it in its tasks, once per person whatever the number of
    calls (the item is identified by ``factcheck:<id>``). Without the newsroom
    installed, the coordinators' contact list (``selectors.network_contacts``) is
    how staff pass it on.
    """
    if not django_apps.is_installed("newsroom"):
        return
    from newsroom.channels import enabled_channels
    from newsroom.services import dissemination_create

    enabled = enabled_channels()
    channel_list = [c for c in NETWORK_CHANNELS if c in enabled]
    if not channel_list:
        return
    codes = list(factcheck.regions.values_list("kode", flat=True))
    if not codes and actor.region_id:
        codes = [actor.region_id]
    dissemination_create(
        actor=actor,
        item_url=texts.absolute(factcheck.get_absolute_url()),
        title=f"{factcheck.verdict_label}: {factcheck.title}"[:300],
        summary=factcheck.summary,
        item_ref=f"factcheck:{factcheck.pk}",
        audience={
            "region_codes": codes,
            "subscribers": True,
            "kim_members": True,
            "forum_boards": False,
            "topics": ["klarifikasi_hoaks"],
        },
        channels=channel_list,
    )


def _notify_askers(claim: Claim, text: str) -> int:
    """Queue the verdict for everyone who asked about the claim and has not had an
    answer yet (those answered instantly already know)."""
    tipsters = Tipster.objects.filter(
        tips__claim=claim,
        tips__decision__in=[Decision.NONE, Decision.SUGGEST],
        subscribed=True,
        channel__in=[Channel.TELEGRAM, Channel.WHATSAPP],
    ).distinct()
    queued = 0
    for tipster in tipsters:
        if _queue(
            tipster=tipster, kind=OutgoingMessage.Kind.VERDICT, text=text, claim=claim
        ):
            queued += 1
    return queued


def claim_notify_askers(*, claim: Claim) -> int:
    """Send a published claim's verdict to askers who have not had it (idempotent)."""
    if claim.factcheck is None or not claim.factcheck.is_published:
        return 0
    with transaction.atomic():
        return _notify_askers(claim, texts.verdict_later(claim.factcheck))


# --- Sending --------------------------------------------------------------------


def _window_open(message: OutgoingMessage) -> bool:
    """Whether the person wrote to us within the messaging window (WhatsApp's
    24 hours): their latest tip is recent enough.  Someone without a tipster
    record (deleted on request) is outside it."""
    if message.tipster_id is None:
        return False
    since = timezone.now() - timedelta(hours=settings.FACTCHECK_WHATSAPP_WINDOW_HOURS)
    return Tip.objects.filter(
        tipster_id=message.tipster_id, received_at__gte=since
    ).exists()


def outgoing_send(*, message_id: int) -> str:
    """Send one queued message through its channel; safe to run again."""
    from factcheck.personal import contact_decrypt
    from factcheck.senders import SendError, sender_for

    with transaction.atomic():
        message = (
            OutgoingMessage.objects.select_for_update(of=("self",))
            .select_related("tipster")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.status in (
            OutgoingMessage.Status.SENT,
            OutgoingMessage.Status.CANCELLED,
        ):
            return message.status if message else "missing"
        if message.tipster is not None:
            contact = contact_decrypt(message.tipster.contact_encrypted)
        else:
            contact = contact_decrypt(message.contact_encrypted)
        if contact is None:
            message.status = OutgoingMessage.Status.CANCELLED
            message.error = "no contact (deleted, or the key changed)"
            message.save(update_fields=["status", "error"])
            return message.status
        message.attempts += 1
        message.save(update_fields=["attempts"])
    try:
        sender_for(message.channel).send(
            contact, message.text, outside_window=not _window_open(message)
        )
    except SendError as exc:
        message.status = OutgoingMessage.Status.FAILED
        message.error = str(exc)[:300]
        message.save(update_fields=["status", "error"])
        return message.status
    message.status = OutgoingMessage.Status.SENT
    message.sent_at = timezone.now()
    message.error = ""
    message.contact_encrypted = ""
    message.save(update_fields=["status", "sent_at", "error", "contact_encrypted"])
    return message.status


def outgoing_retry_failed(*, max_attempts: int = 5) -> list[int]:
    """Ids of failed messages worth another try (the task re-enqueues them)."""
    # Given up: a goodbye's copy of the contact is not kept any longer.
    OutgoingMessage.objects.filter(
        status=OutgoingMessage.Status.FAILED, attempts__gte=max_attempts
    ).exclude(contact_encrypted="").update(contact_encrypted="")
    ids = list(
        OutgoingMessage.objects.filter(
            status=OutgoingMessage.Status.FAILED, attempts__lt=max_attempts
        ).values_list("pk", flat=True)[:500]
    )
    OutgoingMessage.objects.filter(pk__in=ids).update(
        status=OutgoingMessage.Status.PENDING
    )
    return ids


# --- Feeds ------------------------------------------------------------------------

_FEED_FIELDS = ("name", "url", "format", "publisher", "active")


def _feed_check(actor: User) -> None:
    if not selectors.feed_allowed(actor=actor):
        raise PermissionDenied


def _feed_clean(feed: FeedSource) -> None:
    feed.full_clean()
    if not feed.url.lower().startswith(("http://", "https://")):
        raise ValidationError(
            {"url": _("Enter a web address that starts with http:// or https://.")}
        )


@transaction.atomic
def feed_create(
    *,
    actor: User,
    name: str,
    url: str,
    format: str,
    publisher: str = "",
    active: bool = True,
) -> FeedSource:
    """A feed to import on the schedule (``tasks.feeds_import_due_task``)."""
    _feed_check(actor)
    feed = FeedSource(
        name=name.strip(),
        url=url.strip(),
        format=format,
        publisher=publisher.strip(),
        active=active,
    )
    _feed_clean(feed)
    feed.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=feed,
        changes={"url": feed.url, "format": feed.format, "active": feed.active},
    )
    return feed


@transaction.atomic
def feed_update(*, actor: User, feed: FeedSource, **fields: Any) -> FeedSource:
    _feed_check(actor)
    unknown = set(fields) - set(_FEED_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    before = {name: getattr(feed, name) for name in fields}
    for name, value in fields.items():
        setattr(feed, name, value.strip() if isinstance(value, str) else value)
    _feed_clean(feed)
    feed.save()
    changes = {
        name: [before[name], getattr(feed, name)]
        for name in fields
        if before[name] != getattr(feed, name)
    }
    if changes:
        audit_record(
            actor=actor, action=AuditEntry.Action.UPDATE, obj=feed, changes=changes
        )
    return feed


def feed_set_active(*, actor: User, feed: FeedSource, active: bool) -> FeedSource:
    return feed_update(actor=actor, feed=feed, active=active)


@transaction.atomic
def feed_delete(*, actor: User, feed: FeedSource) -> None:
    """Stop importing a feed (the fact-checks it brought stay)."""
    _feed_check(actor)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=feed,
        changes={"url": feed.url},
    )
    feed.delete()


@transaction.atomic
def feed_import_now(*, actor: User, feed: FeedSource) -> None:
    """Ask the worker to import an active feed now, not at its next turn."""
    from factcheck.tasks import feed_import_task

    _feed_check(actor)
    if not feed.active:
        raise ValidationError(_("Turn the feed on before importing it."))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.OTHER,
        obj=feed,
        changes={"import": "requested"},
    )
    pk = feed.pk
    transaction.on_commit(lambda: feed_import_task.enqueue(pk))
