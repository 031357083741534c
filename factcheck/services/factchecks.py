"""Writes of fact-checks: create, edit, withdraw, publish again, delete, share
cards, and the import of others' fact-checks (files and feeds).

Every change of a published fact-check tells the matching index
(``matching_service``) inside the same transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.permissions import can
from accounts.services import audit_record, audited_update
from core.uploads import IMAGE, check_upload
from factcheck import image_matching, matching_service, selectors, topics
from factcheck.cards import render_card
from factcheck.importing import FactCheckRecord, Parsed
from factcheck.models import (
    FactCheck,
    FactCheckImage,
    ImageSource,
)
from regions.models import Region

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
    # The picture also answers image tips (a private copy, hashed, its text
    # read): refused here, before anything is written, if it cannot be read.
    read = None
    if image:
        read = image_matching.image_read(image.read())
        image.seek(0)
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
    if read is not None:
        from factcheck.services.images import factcheck_image_add

        factcheck_image_add(
            factcheck=factcheck, data=b"", source=ImageSource.DESK, read=read
        )
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
    withdrawn = [FactCheck.Status.PUBLISHED, FactCheck.Status.WITHDRAWN]
    audited_update(actor, factcheck, changes={"status": withdrawn, "reason": reason})
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


def _pictures_fetch_later(pictures: dict[int, str]) -> None:
    """The pictures of new or changed imported fact-checks that have none yet
    are fetched by the worker once the batch is committed."""
    from factcheck.tasks import factcheck_image_fetch_task

    have = set(
        FactCheckImage.objects.filter(
            factcheck_id__in=pictures, source=ImageSource.IMPORTED
        ).values_list("factcheck_id", flat=True)
    )
    for pk, url in pictures.items():
        if pk not in have:
            transaction.on_commit(partial(factcheck_image_fetch_task.enqueue, pk, url))


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
    new_records: list[FactCheckRecord] = []
    changed_records: list[FactCheckRecord] = []
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
            new_records.append(record)
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
        changed_records.append(record)
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
    pictures = {
        fc.pk: record.image_url
        for (fc, _), record in zip(
            [*new, *changed], [*new_records, *changed_records], strict=True
        )
        if record.image_url
    }
    if pictures:
        _pictures_fetch_later(pictures)
