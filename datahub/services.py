from __future__ import annotations

import hashlib
import logging
import os
import secrets
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.permissions import can
from accounts.phones import InvalidPhoneNumber, normalize_phone
from accounts.services import audit_record, audited_create, audited_update
from core.links import site_url
from datahub import indicators as indicator_registry
from datahub import tables, workdays
from datahub.models import (
    Dataset,
    InfoRequest,
    Objection,
    Office,
    RequestDocument,
    Resource,
    ResourceVersion,
    Topic,
)
from datahub.selectors import days_off_for, today_local
from regions.models import Region

logger = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ANSWER_DAYS = 10  # working days (Perki 1/2021, Art. 36 UU 14/2008 practice)
EXTENSION_DAYS = 7
OBJECTION_DAYS = 30  # UU 14/2008 Art. 36


def _unique_slug(model: Any, text: str, *, max_length: int = 90) -> str:
    base = slugify(text)[:max_length].strip("-") or "data"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _require(actor: User, action: str, resource: str, region_code: str) -> None:
    if not can(actor, action, resource, region_code=region_code):
        raise PermissionDenied(_("You may not do this for this office."))


# --- offices and topics -----------------------------------------------------------


@transaction.atomic
def office_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    region: Region,
    description: str = "",
    email: str = "",
    slug: str = "",
) -> Office:
    """An office that publishes data; ``actor`` None means the system."""
    if actor is not None:
        _require(actor, "create", "datahub.office", region.kode)
    office = Office(
        slug=slug or _unique_slug(Office, name),
        name=name.strip(),
        kind=kind,
        region=region,
        description=description.strip(),
        email=email.strip(),
    )
    office.full_clean()
    office.save()
    if actor is not None:  # the system's own offices (indicators, demo) are not
        audit_record(  # a person's change
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=office,
            region_code=region.kode,
        )
    return office


def office_ensure(*, region: Region, kind: str, name: str, email: str = "") -> Office:
    """The office of this kind for the region, created when missing (system)."""
    office = Office.objects.filter(region=region, kind=kind).order_by("created_at")
    found = office.first()
    if found is not None:
        return found
    return office_create(actor=None, name=name, kind=kind, region=region, email=email)


def topic_ensure(*, slug: str, title: str, description: str = "") -> Topic:
    topic, _created = Topic.objects.get_or_create(
        slug=slug, defaults={"title": title, "description": description}
    )
    return topic


# --- datasets -------------------------------------------------------------------


def _clean_keywords(keywords: list[str] | str) -> list[str]:
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    seen: list[str] = []
    for word in keywords:
        word = word.strip().lower()[:50]
        if word and word not in seen:
            seen.append(word)
    return seen[:20]


@transaction.atomic
def dataset_create(
    *,
    actor: User,
    office: Office,
    title: str,
    description: str,
    topic: Topic,
    frequency: str,
    licence: str = Dataset.Licence.CC_BY,
    keywords: list[str] | str = (),  # type: ignore[assignment]
    period_start: date | None = None,
    period_end: date | None = None,
    unit: str = "",
    region: Region | None = None,
) -> Dataset:
    """A draft dataset of an office in the actor's region (published later)."""
    _require(actor, "create", "datahub.dataset", office.region_id)
    region = region or office.region
    if not office.region.contains_code(region.kode):
        raise ValidationError(
            {"region": _("The region must be the office's region or inside it.")}
        )
    dataset = Dataset(
        slug=_unique_slug(Dataset, title),
        title=title.strip(),
        description=description.strip(),
        office=office,
        region=region,
        topic=topic,
        keywords=_clean_keywords(keywords),
        period_start=period_start,
        period_end=period_end,
        frequency=frequency,
        licence=licence,
        unit=unit.strip(),
        created_by=actor,
    )
    audited_create(actor, dataset, office.region_id)
    return dataset


@transaction.atomic
def dataset_update(*, actor: User, dataset: Dataset, **fields: Any) -> Dataset:
    """Change a dataset's metadata (title, description, topic, period, …)."""
    _require(actor, "change", "datahub.dataset", dataset.office.region_id)
    if dataset.kind == Dataset.Kind.INDICATOR:
        raise PermissionDenied(_("Built-in indicators are maintained by the platform."))
    allowed = {
        "title",
        "description",
        "topic",
        "frequency",
        "licence",
        "keywords",
        "period_start",
        "period_end",
        "unit",
    }
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        if name == "keywords":
            value = _clean_keywords(value)
        before = getattr(dataset, name)
        if before != value:
            changes[name] = [str(before), str(value)]
            setattr(dataset, name, value)
    if changes:
        dataset.updated_at = timezone.now()
        audited_update(actor, dataset, dataset.office.region_id, changes)
    return dataset


def _region_codes() -> frozenset[str]:
    return frozenset(Region.objects.values_list("kode", flat=True))


@transaction.atomic
def resource_upload(
    *,
    actor: User,
    dataset: Dataset,
    upload: UploadedFile,
    resource: Resource | None = None,
    name: str = "",
    description: str = "",
    columns_text: str = "",
) -> ResourceVersion:
    """Check an uploaded sheet and store it as the resource's next version.

    Every upload becomes a version with its row-level errors; only a version
    without errors and without personal data becomes the resource's current one
    (what the public sees). Columns are those declared in ``columns_text``, else
    those of the resource's current version, else inferred from the sheet.
    """
    _require(actor, "change", "datahub.dataset", dataset.office.region_id)
    if dataset.kind == Dataset.Kind.INDICATOR:
        raise PermissionDenied(_("Built-in indicators are maintained by the platform."))
    if resource is not None and resource.dataset_id != dataset.pk:
        raise PermissionDenied
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    filename = os.path.basename(upload.name or "tabel.csv")
    data = upload.read()
    declared: list[tables.Column] | None = None
    if columns_text.strip():
        try:
            declared = tables.parse_columns(columns_text)
        except ValueError as exc:
            raise ValidationError(
                {
                    "columns": _(
                        "Line “%(line)s”: write “name: type”, "
                        "with type one of %(types)s."
                    )
                    % {"line": exc.args[0], "types": ", ".join(tables.TYPES)}
                }
            ) from None
    if resource is None:
        resource = Resource(
            dataset=dataset,
            name=(name or os.path.splitext(filename)[0]).strip()[:200],
            description=description.strip(),
            kind=Resource.Kind.UPLOAD,
        )
        resource.full_clean()
        resource.save()
    elif declared is None and resource.current_id and resource.columns:
        declared = [tables.Column(c["name"], c["type"]) for c in resource.columns]
    if resource.kind != Resource.Kind.UPLOAD:
        raise PermissionDenied
    sheet = tables.read_table(data, filename)
    checked = tables.check(sheet, columns=declared, region_codes=_region_codes())
    if not checked.ok:
        status = ResourceVersion.Status.INVALID
    elif not checked.publishable:
        status = ResourceVersion.Status.PERSONAL
    else:
        status = ResourceVersion.Status.VALID
    number = (resource.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ResourceVersion(
        resource=resource,
        number=number,
        original_name=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        status=status,
        columns=[c.as_dict() for c in checked.columns],
        errors=[e.as_dict() for e in checked.errors],
        error_count=checked.error_count,
        personal_data=[f.as_dict() for f in checked.personal],
        created_by=actor,
    )
    if status == ResourceVersion.Status.VALID:
        # Only clean tables are kept: rejected ones may hold personal data.
        version.rows = checked.rows
        version.row_count = len(checked.rows)
        version.file.save(filename, ContentFile(data), save=False)
    version.full_clean(exclude=["file"])
    version.save()
    if status == ResourceVersion.Status.VALID:
        now = timezone.now()
        resource.current = version
        resource.columns = version.columns
        resource.updated_at = now
        resource.save(update_fields=["current", "columns", "updated_at"])
        dataset.updated_at = now
        dataset.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=dataset,
        region_code=dataset.office.region_id,
        changes={
            "resource": resource.name,
            "version": number,
            "status": status,
            "rows": len(checked.rows),
            "errors": checked.error_count,
            "personal_data": [f.column for f in checked.personal],
        },
    )
    return version


@transaction.atomic
def dataset_publish(*, actor: User, dataset: Dataset) -> Dataset:
    """Publish a dataset whose every table has a valid version (no errors, no
    personal data): it then appears in the catalogue, DCAT and the CKAN API."""
    _require(actor, "publish", "datahub.dataset", dataset.office.region_id)
    resources = list(dataset.resources.all())
    if not resources:
        raise ValidationError(_("Upload at least one table before publishing."))
    waiting = [r.name for r in resources if r.current_id is None]
    if waiting:
        raise ValidationError(
            _("These tables have no version without errors yet: %(names)s.")
            % {"names": ", ".join(waiting)}
        )
    if dataset.status != Dataset.Status.PUBLISHED:
        now = timezone.now()
        dataset.status = Dataset.Status.PUBLISHED
        dataset.published_at = dataset.published_at or now
        dataset.updated_at = now
        audited_update(
            actor, dataset, dataset.office.region_id, action=AuditEntry.Action.PUBLISH
        )
    return dataset


@transaction.atomic
def dataset_withdraw(*, actor: User, dataset: Dataset) -> Dataset:
    _require(actor, "publish", "datahub.dataset", dataset.office.region_id)
    if dataset.status == Dataset.Status.PUBLISHED:
        dataset.status = Dataset.Status.WITHDRAWN
        dataset.updated_at = timezone.now()
        dataset.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=dataset,
            region_code=dataset.office.region_id,
            changes={"status": ["published", "withdrawn"]},
        )
    return dataset


# --- built-in indicators ----------------------------------------------------------

TOPICS: list[tuple[str, str, str]] = [
    # (slug, title, description): themes of Satu Data Indonesia portals.
    ("pemerintahan", "Pemerintahan", "Wilayah administrasi, pelayanan publik."),
    ("kependudukan", "Kependudukan", "Penduduk dan pencatatan sipil."),
    ("kesehatan", "Kesehatan", "Fasilitas dan layanan kesehatan, posyandu."),
    ("pendidikan", "Pendidikan", "Sekolah, guru dan peserta didik."),
    ("ekonomi", "Ekonomi", "UMKM, pasar, produk unggulan dan pariwisata."),
    ("infrastruktur", "Infrastruktur", "Jalan, air bersih, listrik."),
    (
        "komunikasi-informatika",
        "Komunikasi dan Informatika",
        "KIM, literasi digital, konektivitas, informasi publik.",
    ),
    ("sosial", "Sosial dan Budaya", "Kegiatan sosial, budaya dan keagamaan."),
]


def topics_ensure() -> list[Topic]:
    return [topic_ensure(slug=s, title=t, description=d) for s, t, d in TOPICS]


def system_office(region: Region) -> Office:
    return office_ensure(
        region=region, kind=Office.Kind.DISKOMINFO, name=f"Diskominfo {region.name}"
    )


@transaction.atomic
def indicator_refresh(*, key: str, region: Region) -> bool:
    """Recompute one indicator for one parent region; returns whether it changed.

    Idempotent: an unchanged table writes nothing.
    """
    indicator = indicator_registry.registry()[key]
    if region.level not in indicator.levels or not indicator.available():
        return False
    columns, rows = indicator.table(region)
    column_dicts = [c.as_dict() for c in columns]
    topics = {t.slug: t for t in topics_ensure()}
    dataset = Dataset.objects.filter(
        kind=Dataset.Kind.INDICATOR, indicator=key, region=region
    ).first()
    now = timezone.now()
    if dataset is None:
        dataset = Dataset(
            slug=_unique_slug(Dataset, f"indikator {key} {region.name}"),
            title=f"{indicator.title} — {region.name}",
            description=indicator.description,
            office=system_office(region),
            region=region,
            topic=topics[indicator.topic],
            keywords=["indikator", key, region.name.lower()],
            frequency=Dataset.Frequency.CONTINUOUS,
            licence=Dataset.Licence.CC_BY,
            unit=indicator.unit,
            kind=Dataset.Kind.INDICATOR,
            indicator=key,
            status=Dataset.Status.PUBLISHED,
            published_at=now,
        )
        dataset.full_clean()
        dataset.save()  # computed by the platform: no person's change to audit
    resource = dataset.resources.first()
    if resource is None:
        resource = Resource.objects.create(
            dataset=dataset,
            name=f"{indicator.title} per wilayah",
            description="Tabel langsung, dihitung ulang oleh platform.",
            kind=Resource.Kind.LIVE,
        )
    if not live_table_write(resource=resource, columns=column_dicts, rows=rows):
        return False
    dataset.updated_at = resource.updated_at
    dataset.save(update_fields=["updated_at"])
    return True


def live_table_write(
    *, resource: Resource, columns: list[dict[str, str]], rows: list[list[Any]]
) -> bool:
    """Store ``rows`` as the live table's new version; returns whether it changed
    (an unchanged table writes nothing)."""
    current = resource.current
    if current is not None and current.rows == rows and current.columns == columns:
        return False
    number = (resource.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ResourceVersion.objects.create(
        resource=resource,
        number=number,
        status=ResourceVersion.Status.VALID,
        columns=columns,
        rows=rows,
        row_count=len(rows),
    )
    resource.current = version
    resource.columns = columns
    resource.updated_at = timezone.now()
    resource.save(update_fields=["current", "columns", "updated_at"])
    return True


def indicators_refresh(*, region_codes: list[str] | None = None) -> int:
    """Recompute every available indicator for the province and each kabupaten/kota
    (or only ``region_codes``); returns how many tables changed."""
    parents = Region.objects.filter(
        level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]
    ).order_by("kode")
    if region_codes is not None:
        parents = parents.filter(kode__in=region_codes)
    changed = 0
    for region in parents:
        for indicator in indicator_registry.available():
            if region.level not in indicator.levels:
                continue
            try:
                changed += indicator_refresh(key=indicator.key, region=region)
            except Exception:  # one app's failing selector must not stop the rest
                logger.exception("indicator %s for %s failed", indicator.key, region)
    return changed


# --- information requests (PPID) --------------------------------------------------


def _due(start: date, days: int) -> date:
    off = days_off_for(range(start.year, start.year + 2))
    return workdays.add_working_days(start, days, off)


def _next_tracking_number(office: Office, year: int) -> str:
    prefix = f"PPID-{office.region_id}-{year}-"
    last = (
        InfoRequest.objects.filter(tracking_number__startswith=prefix)
        .order_by("-tracking_number")
        .values_list("tracking_number", flat=True)
        .first()
    )
    return f"{prefix}{(int(last[-6:]) + 1) if last else 1:06d}"


def _request_changed(
    actor: User, request: InfoRequest, changes: dict[str, Any], event: str
) -> InfoRequest:
    """Save the request, log the change and tell the requester about ``event``."""
    audited_update(actor, request, request.office.region_id, changes)
    _notify(request, event)
    return request


def _notify(request: InfoRequest, event: str) -> None:
    if not request.requester_email:
        return
    from datahub.tasks import info_request_notify_task

    transaction.on_commit(
        lambda: info_request_notify_task.enqueue(request_id=request.pk, event=event)
    )


def info_request_file(
    *,
    office: Office,
    requester_name: str,
    requester_address: str,
    information: str,
    purpose: str,
    requester_email: str = "",
    requester_phone: str = "",
    delivery: str = InfoRequest.Delivery.EMAIL,
    received_on: date | None = None,
) -> InfoRequest:
    """File a request for public information; anyone may, without an account.

    The tracking number is ``PPID-<region code>-<year>-<sequence>``; the answer is
    due 10 working days after receipt (weekends, national holidays and cuti
    bersama excluded).
    """
    phone = ""
    if requester_phone.strip():
        try:
            phone = normalize_phone(requester_phone)
        except InvalidPhoneNumber:
            raise ValidationError(
                {
                    "requester_phone": _(
                        "Enter a valid phone number, e.g. 0812 3456 7890."
                    )
                }
            ) from None
    if not requester_email.strip() and not phone:
        raise ValidationError(
            {"requester_email": _("Give an email address or a phone number.")}
        )
    if delivery == InfoRequest.Delivery.EMAIL and not requester_email.strip():
        raise ValidationError(
            {
                "requester_email": _(
                    "Give an email address to receive the answer by email."
                )
            }
        )
    received = received_on or today_local()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request = InfoRequest(
                    tracking_number=_next_tracking_number(office, received.year),
                    access_key=secrets.token_urlsafe(16)[:22],
                    office=office,
                    requester_name=requester_name.strip(),
                    requester_email=requester_email.strip().lower(),
                    requester_phone=phone,
                    requester_address=requester_address.strip(),
                    information=information.strip(),
                    purpose=purpose.strip(),
                    delivery=delivery,
                    received_on=received,
                    due_on=_due(received, ANSWER_DAYS),
                )
                audited_create(
                    None,
                    request,
                    office.region_id,
                    {"due_on": request.due_on.isoformat()},
                )
                _notify(request, "received")
                return request
        except IntegrityError:
            continue  # another request took the number: take the next one
    raise ValidationError(_("Please try again in a moment."))


def _require_answer(actor: User, request: InfoRequest) -> None:
    _require(actor, "answer", "datahub.request", request.office.region_id)


@transaction.atomic
def info_request_extend(
    *, actor: User, request: InfoRequest, reason: str
) -> InfoRequest:
    """Extend the deadline once, by 7 working days, with a written reason."""
    _require_answer(actor, request)
    if request.status != InfoRequest.Status.RECEIVED:
        raise ValidationError(_("Only a request not yet extended or answered can be."))
    if not reason.strip():
        raise ValidationError({"extension_reason": _("Give the reason.")})
    before = request.due_on
    request.status = InfoRequest.Status.EXTENDED
    request.extended_at = timezone.now()
    request.extension_reason = reason.strip()
    request.due_on = _due(request.due_on, EXTENSION_DAYS)
    return _request_changed(
        actor,
        request,
        {"due_on": [before.isoformat(), request.due_on.isoformat()]},
        "extended",
    )


@transaction.atomic
def info_request_answer(
    *,
    actor: User,
    request: InfoRequest,
    answer: str,
    documents: list[UploadedFile] | None = None,
    dataset: Dataset | None = None,
) -> InfoRequest:
    """Answer with a text and documents and/or a published dataset."""
    _require_answer(actor, request)
    if not request.is_open:
        raise ValidationError(_("This request has already been closed."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    if dataset is not None and dataset.status != Dataset.Status.PUBLISHED:
        raise ValidationError({"answer_dataset": _("Choose a published dataset.")})
    for document in documents or []:
        if document.size is not None and document.size > MAX_UPLOAD_BYTES:
            raise ValidationError({"documents": _("The file is larger than 10 MB.")})
        RequestDocument.objects.create(
            request=request,
            file=document,
            name=os.path.basename(document.name or "dokumen")[:255],
        )
    request.status = InfoRequest.Status.ANSWERED
    request.answer = answer.strip()
    request.answer_dataset = dataset
    request.closed_at = timezone.now()
    request.closed_by = actor
    return _request_changed(
        actor,
        request,
        {"status": "answered", "documents": len(documents or [])},
        "answered",
    )


@transaction.atomic
def info_request_refuse(
    *, actor: User, request: InfoRequest, reason: str, explanation: str
) -> InfoRequest:
    """Refuse with the legal ground (UU 14/2008 Art. 17 or Art. 22(7))."""
    _require_answer(actor, request)
    if not request.is_open:
        raise ValidationError(_("This request has already been closed."))
    if reason not in InfoRequest.Refusal.values:
        raise ValidationError({"refusal_reason": _("Choose the legal reason.")})
    if not explanation.strip():
        raise ValidationError({"answer": _("Explain the refusal.")})
    request.status = InfoRequest.Status.REFUSED
    request.refusal_reason = reason
    request.answer = explanation.strip()
    request.closed_at = timezone.now()
    request.closed_by = actor
    return _request_changed(
        actor, request, {"status": "refused", "refusal_reason": reason}, "refused"
    )


@transaction.atomic
def objection_file(*, request: InfoRequest, reason: str, description: str) -> Objection:
    """The requester objects (keberatan); tracked as ``<number>-K<n>``, answered
    within 30 working days."""
    if reason not in Objection.Reason.values:
        raise ValidationError({"reason": _("Choose the reason.")})
    if request.objections.filter(status=Objection.Status.RECEIVED).exists():
        raise ValidationError(_("An objection to this request is already pending."))
    received = today_local()
    objection = Objection(
        request=request,
        number=request.objections.count() + 1,
        reason=reason,
        description=description.strip(),
        received_on=received,
        due_on=_due(received, OBJECTION_DAYS),
    )
    audited_create(None, objection, request.office.region_id, {"reason": reason})
    _notify(request, f"objection-{objection.number}")
    return objection


@transaction.atomic
def objection_respond(*, actor: User, objection: Objection, response: str) -> Objection:
    _require_answer(actor, objection.request)
    if objection.status != Objection.Status.RECEIVED:
        raise ValidationError(_("This objection has already been answered."))
    if not response.strip():
        raise ValidationError({"response": _("Write the response.")})
    objection.status = Objection.Status.ANSWERED
    objection.response = response.strip()
    objection.responded_at = timezone.now()
    objection.responded_by = actor
    audited_update(
        actor, objection, objection.request.office.region_id, {"status": "answered"}
    )
    _notify(objection.request, f"objection-{objection.number}-answered")
    return objection


def info_request_notify(*, request_id: int, event: str) -> bool:
    """Email the requester about ``event`` once (idempotent); returns whether sent."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    with transaction.atomic():
        request = (
            InfoRequest.objects.select_for_update(of=("self",))
            .select_related("office")
            .filter(pk=request_id)
            .first()
        )
        if request is None or not request.requester_email or event in request.notified:
            return False
        url = site_url(request.get_absolute_url())
        body = render_to_string(
            "datahub/ppid_email.txt", {"request": request, "event": event, "url": url}
        )
        # Sent while the row is locked and marked in the same transaction: a failed
        # send rolls the mark back, so a retry sends it (once).
        send_mail(
            subject=f"[{request.tracking_number}] {request.office.name}",
            message=body,
            from_email=None,
            recipient_list=[request.requester_email],
        )
        request.notified = [*request.notified, event]
        request.save(update_fields=["notified"])
    return True
