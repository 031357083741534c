"""Writes of the fact-checkers' desk: a claim's workflow, its verdict drafted,
reviewed and published, sent to everyone who asked and to the KIM network.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.permissions import can, in_scope
from accounts.services import audit_record, audited_update
from channels.models import OutboxMessage
from factcheck import matching_service
from factcheck import messages as texts
from factcheck.models import (
    Channel,
    Claim,
    ClaimNote,
    Decision,
    FactCheck,
    Tipster,
    Topic,
)
from factcheck.services import outgoing
from factcheck.services.confirmations import pairs_record_for_claim
from factcheck.services.factchecks import (
    _card_render,
    factcheck_create,
    factcheck_update,
)
from regions.models import Region

# --- The desk -------------------------------------------------------------------

_NEXT: dict[str, set[str]] = {
    Claim.Status.NEW: {Claim.Status.IN_PROGRESS, Claim.Status.NOT_CHECKABLE},
    Claim.Status.IN_PROGRESS: {Claim.Status.NEW, Claim.Status.NOT_CHECKABLE},
    Claim.Status.DRAFTED: {Claim.Status.IN_PROGRESS, Claim.Status.NOT_CHECKABLE},
    Claim.Status.REVIEWED: {Claim.Status.DRAFTED, Claim.Status.IN_PROGRESS},
    Claim.Status.NOT_CHECKABLE: {Claim.Status.NEW, Claim.Status.IN_PROGRESS},
    Claim.Status.PUBLISHED: set(),
    # The desk need not wait for the sender's answer.
    Claim.Status.AWAITING: {
        Claim.Status.NEW,
        Claim.Status.IN_PROGRESS,
        Claim.Status.NOT_CHECKABLE,
    },
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
    audited_update(actor, claim, changes={"status": [before, status]})
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
    everyone who asked is told, and each tip is kept as a labelled pair."""
    _desk(actor)
    if not (claim.is_open or claim.status == Claim.Status.AWAITING):
        raise ValidationError(_("This claim is already closed."))
    if not factcheck.is_published:
        raise ValidationError(_("Only a published fact-check can answer a claim."))
    claim.factcheck = factcheck
    claim.status = Claim.Status.PUBLISHED
    audited_update(
        actor, claim, changes={"factcheck": factcheck.pk, "verdict": factcheck.verdict}
    )
    pairs_record_for_claim(claim=claim, factcheck=factcheck, user=actor)
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
    # Whoever (re)writes the verdict is its drafter; a review of an older
    # text no longer counts.
    claim.drafted_by = actor
    claim.reviewed_by = None
    if claim.assigned_to is None:
        claim.assigned_to = actor
    audited_update(
        actor, claim, changes={"status": [before, claim.status], "verdict": verdict}
    )
    return draft


def _drafter_id(claim: Claim) -> int | None:
    if claim.drafted_by_id is not None:
        return claim.drafted_by_id
    # Drafted before the desk recorded its drafter: the draft's author.
    return claim.factcheck.created_by_id if claim.factcheck is not None else None


def _one_person(actor: User, claim: Claim, refusal: str) -> bool:
    """Whether ``actor`` is the verdict's own drafter: refused (``refusal``)
    unless the office runs a one-person desk (FACTCHECK_SINGLE_PERSON_DESK),
    in which case the caller records it in the audit log."""
    if _drafter_id(claim) != actor.pk:
        return False
    if settings.FACTCHECK_SINGLE_PERSON_DESK:
        return True
    raise ValidationError(refusal)


@transaction.atomic
def claim_review(*, actor: User, claim: Claim) -> Claim:
    """A second look at the draft before it goes out, by someone other than
    its drafter."""
    _desk(actor)
    if claim.status != Claim.Status.DRAFTED or claim.factcheck is None:
        raise ValidationError(_("Only a drafted verdict can be reviewed."))
    alone = _one_person(
        actor,
        claim,
        _("Someone other than the person who drafted this verdict must review it."),
    )
    claim.status = Claim.Status.REVIEWED
    claim.reviewed_by = actor
    claim.save()
    changes: dict[str, Any] = {"status": [Claim.Status.DRAFTED, Claim.Status.REVIEWED]}
    if alone:
        changes["single_person_desk"] = True
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=claim, changes=changes
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
    alone = _one_person(
        actor,
        claim,
        _("Someone other than the person who drafted this verdict must publish it."),
    )
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
            "drafted_by": _drafter_id(claim),
            "reviewed_by": claim.reviewed_by_id,
            **({"single_person_desk": True} if alone else {}),
        },
    )
    matching_service.factchecks_changed([factcheck.pk])
    _notify_askers(claim, texts.verdict_later(factcheck))
    if to_network:
        _disseminate(actor=actor, factcheck=factcheck)
    return factcheck


@transaction.atomic
def factcheck_share_to_network(
    *, actor: User, factcheck: FactCheck, region_codes: list[str] | None = None
) -> FactCheck:
    """Send a published verdict to the KIM network (and subscribers) of
    ``region_codes`` (default: the regions it concerns) through the newsroom's
    dissemination; again to other regions if asked (nobody gets it twice)."""
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
        changes={"network": True, "regions": region_codes or []},
    )
    _disseminate(actor=actor, factcheck=factcheck, region_codes=region_codes)
    return factcheck


# Channels for verdicts pushed to the KIM network, in order of preference.
NETWORK_CHANNELS = ["whatsapp", "telegram", "sms", "email"]


def _disseminate(
    *, actor: User, factcheck: FactCheck, region_codes: list[str] | None = None
) -> None:
    """Hand a published verdict to the newsroom's dissemination (KIM members and
    subscribers of the regions concerned, else of the actor's region).

    The newsroom sends it in its tasks, once per person whatever the number of
    calls (the item is identified by ``factcheck:<id>``); its sending page shows
    the regions and the delivery counts.
    """
    if not django_apps.is_installed("newsroom"):
        return
    from newsroom.channels import enabled_channels
    from newsroom.services import dissemination_create

    enabled = enabled_channels()
    channel_list = [c for c in NETWORK_CHANNELS if c in enabled]
    if not channel_list:
        return
    from factcheck.selectors import network_region_codes

    codes = region_codes or network_region_codes(factcheck=factcheck)
    if not actor.is_superuser and actor.region_id:
        # By default only where the sender works (the newsroom refuses others).
        codes = [c for c in codes if in_scope(actor, c)] or [actor.region_id]
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
    keys = {
        t.pk: outgoing.verdict_key(claim_id=claim.pk, tipster_id=t.pk) for t in tipsters
    }
    told = set(
        OutboxMessage.objects.filter(
            origin=outgoing.ORIGIN, dedupe_key__in=list(keys.values())
        ).values_list("dedupe_key", flat=True)
    )
    queued = 0
    for tipster in tipsters:
        if keys[tipster.pk] in told:
            continue
        # An asker who sent BERHENTI meanwhile gets a "held" row: nothing goes out.
        if outgoing.tipster_send(
            tipster=tipster,
            text=text,
            dedupe_key=keys[tipster.pk],
            kind=outgoing.VERDICT,
        ):
            queued += 1
    return queued


def claim_notify_askers(*, claim: Claim) -> int:
    """Send a published claim's verdict to askers who have not had it (idempotent)."""
    if claim.factcheck is None or not claim.factcheck.is_published:
        return 0
    with transaction.atomic():
        return _notify_askers(claim, texts.verdict_later(claim.factcheck))
