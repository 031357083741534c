"""Data hub: offices, datasets with versioned resources, indicators, PPID requests.

Metadata follows the Satu Data Indonesia principles (Perpres 39/2019): a standard
(declared columns with types), metadata (title, description, topic, producing office,
period, frequency, licence, unit), reference codes (Kemendagri region codes checked
on upload) and interoperability (CSV/Excel/JSON downloads, DCAT and the CKAN API).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import optional_link, staff_link
from regions.models import region_link


class Office(models.Model):
    """A government office that publishes data and answers information requests
    (a CKAN "organization"), bound to the region it serves."""

    class Kind(models.TextChoices):
        KECAMATAN = "kecamatan", _("District office (kantor camat)")
        DISKOMINFO = "diskominfo", _("Diskominfo")
        AGENCY = "agency", _("Other government office")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    region = region_link("data_offices")
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("public email"), blank=True)
    created_at = models.DateTimeField(
        pgettext_lazy("time", "created"), default=timezone.now
    )

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A theme of datasets (a CKAN "group")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(
        pgettext_lazy("time", "created"), default=timezone.now
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.title


class Dataset(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("dataset status", "draft")
        PUBLISHED = "published", pgettext_lazy("dataset status", "published")
        WITHDRAWN = "withdrawn", pgettext_lazy("dataset status", "withdrawn")

    class Kind(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded by an office")
        INDICATOR = "indicator", _("built-in indicator")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")
        SEMIANNUAL = "semiannual", _("every six months")
        ANNUAL = "annual", _("yearly")
        IRREGULAR = "irregular", _("irregular")
        CONTINUOUS = "continuous", _("continuously (computed by the platform)")

    class Licence(models.TextChoices):
        CC_BY = "cc-by", _("Creative Commons Attribution 4.0")
        CC_BY_SA = "cc-by-sa", _("Creative Commons Attribution Share-Alike 4.0")
        CC_ZERO = "cc-zero", _("Creative Commons CC0 (public domain)")
        ODC_BY = "odc-by", _("Open Data Commons Attribution")
        OTHER_OPEN = "other-open", _("Other (open)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("responsible office"),
    )
    region = region_link("datasets", _("region covered"))
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("topic"),
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    frequency = models.CharField(
        _("update frequency"), max_length=20, choices=Frequency
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence, default=Licence.CC_BY
    )
    unit = models.CharField(_("unit of measure"), max_length=100, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind, default=Kind.UPLOADED
    )
    indicator = models.CharField(_("indicator key"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT
    )
    created_by = staff_link(_("created by"))
    created_at = models.DateTimeField(
        pgettext_lazy("time", "created"), default=timezone.now
    )
    updated_at = models.DateTimeField(
        pgettext_lazy("time", "changed"), default=timezone.now
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="dataset_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["indicator", "region"],
                condition=Q(kind="indicator"),
                name="dataset_one_indicator_per_region",
            ),
            models.CheckConstraint(
                condition=Q(kind="uploaded", indicator="")
                | (Q(kind="indicator") & ~Q(indicator="")),
                name="dataset_indicator_key_iff_indicator",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="dataset_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "region"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("datahub:dataset", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Resource(models.Model):
    """One table of a dataset: uploaded by staff (versioned) or computed live."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", _("uploaded table")
        LIVE = "live", _("live table (computed by the platform)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(
        Dataset,
        on_delete=models.CASCADE,
        related_name="resources",
        verbose_name=_("dataset"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.UPLOAD)
    columns = models.JSONField(_("declared columns"), default=list, blank=True)
    current = optional_link("ResourceVersion", _("current version"))
    created_at = models.DateTimeField(
        pgettext_lazy("time", "created"), default=timezone.now
    )
    updated_at = models.DateTimeField(
        pgettext_lazy("time", "changed"), default=timezone.now
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.name


def _upload_path(instance: ResourceVersion, filename: str) -> str:
    return f"datahub/{instance.resource_id}/{instance.number}-{filename}"


class ResourceVersion(models.Model):
    """An upload (or a live table's snapshot), its checked rows and its problems.

    Only a ``valid`` version can become a resource's current one; the previous ones
    are kept and stay downloadable.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        INVALID = "invalid", _("has errors")
        PERSONAL = "personal", _("holds personal data")

    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("resource"),
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_upload_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    personal_data = models.JSONField(_("personal data found"), default=list, blank=True)
    created_by = staff_link(_("uploaded by"))
    created_at = models.DateTimeField(
        pgettext_lazy("time", "created"), default=timezone.now
    )

    class Meta:
        ordering = ["resource", "-number"]
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="resource_version_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="valid") | (Q(error_count=0) & Q(personal_data=[])),
                name="resource_version_valid_is_clean",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"

    @property
    def column_names(self) -> list[str]:
        return [c["name"] for c in self.columns]


class NonWorkingDay(models.Model):
    """A day off that the ``holidays`` package does not know (a new joint-leave
    decree, a regional holiday); admins add them in the Django admin."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("non-working day")
        verbose_name_plural = _("non-working days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class InfoRequest(models.Model):
    """A request for public information (UU 14/2008 on public information; the
    service standard of Perki 1/2021): answered within 10 working days, extendable
    once by 7."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        EXTENDED = "extended", _("extended")
        ANSWERED = "answered", _("answered")
        REFUSED = "refused", _("refused")

    class Delivery(models.TextChoices):
        EMAIL = "email", _("by email")
        PICKUP = "pickup", _("collect at the office")
        POST = "post", _("by post")

    class Refusal(models.TextChoices):
        # UU 14/2008: exempted information (Pasal 17) and information the office
        # does not hold or has not yet documented (Pasal 22 ayat 7).
        LAW_ENFORCEMENT = "17a", _("Art. 17(a): would obstruct law enforcement")
        IPR = "17b", _("Art. 17(b): intellectual property or fair competition")
        DEFENCE = "17c", _("Art. 17(c): state defence and security")
        NATURAL_WEALTH = "17d", _("Art. 17(d): would reveal Indonesia's natural wealth")
        ECONOMY = "17e", _("Art. 17(e): national economic resilience")
        FOREIGN = "17f", _("Art. 17(f): foreign relations")
        WILL = "17g", _("Art. 17(g): authentic deeds or a person's will")
        PRIVACY = "17h", _("Art. 17(h): personal secrets")
        MEMO = "17i", _("Art. 17(i): internal memoranda, unless decided otherwise")
        NOT_DISCLOSABLE = "17j", _("Art. 17(j): not to be disclosed under a law")
        NOT_HELD = "22-7a", _("Art. 22(7): the office does not hold the information")
        NOT_DOCUMENTED = "22-7b", _("Art. 22(7): not yet documented")

    tracking_number = models.CharField(
        _("tracking number"), max_length=40, unique=True, editable=False
    )
    access_key = models.CharField(max_length=32, editable=False)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="info_requests",
        verbose_name=_("office"),
    )
    requester_name = models.CharField(_("name"), max_length=150)
    requester_email = models.EmailField(_("email"), blank=True)
    requester_phone = models.CharField(_("phone number"), max_length=16, blank=True)
    requester_address = models.CharField(_("address"), max_length=300)
    information = models.TextField(_("information requested"))
    purpose = models.TextField(_("purpose of the request"))
    delivery = models.CharField(
        _("how to receive it"), max_length=10, choices=Delivery, default=Delivery.EMAIL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.RECEIVED
    )
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due by"))
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answer_dataset = optional_link(Dataset, _("dataset given"))
    refusal_reason = models.CharField(
        _("legal reason"), max_length=10, choices=Refusal, blank=True
    )
    closed_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_by = staff_link(_("answered by"))
    notified = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester_email="") | ~Q(requester_phone=""),
                name="info_request_has_contact",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")),
                name="info_request_due_after_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="info_request_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["received", "extended"])
                | Q(closed_at__isnull=False),
                name="info_request_closed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["office", "status"])]

    def __str__(self) -> str:
        return self.tracking_number

    def get_absolute_url(self) -> str:
        return reverse(
            "datahub:request_track_detail",
            kwargs={"number": self.tracking_number, "key": self.access_key},
        )

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.EXTENDED)


class RequestDocument(models.Model):
    """A document given with an answer."""

    request = models.ForeignKey(
        InfoRequest,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("request"),
    )
    file = models.FileField(_("file"), upload_to="ppid/%Y/")
    name = models.CharField(_("name"), max_length=255)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("answer document")
        verbose_name_plural = _("answer documents")

    def __str__(self) -> str:
        return self.name


class Objection(models.Model):
    """An objection (keberatan, UU 14/2008 Art. 35) to the handling of a request,
    answered by the office's superior within 30 working days (Art. 36)."""

    class Reason(models.TextChoices):
        REFUSED = "a", _("the request was refused (Art. 17)")
        NOT_PUBLISHED = "b", _("periodic information was not published")
        NOT_ANSWERED = "c", _("the request was not answered")
        NOT_AS_ASKED = "d", _("the answer was not what was asked")
        NOT_FULFILLED = "e", _("the request was not fulfilled")
        FEE = "f", _("an unreasonable fee was charged")
        LATE = "g", _("the answer came later than the law allows")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ANSWERED = "answered", _("answered")

    request = models.ForeignKey(
        InfoRequest,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("request"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    reason = models.CharField(_("reason"), max_length=1, choices=Reason)
    description = models.TextField(_("explanation"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.RECEIVED
    )
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("response due by"))
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = staff_link(_("responded by"))
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)

    class Meta:
        ordering = ["request", "number"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "number"], name="objection_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="received") | Q(responded_at__isnull=False),
                name="objection_answered_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.tracking_number}-K{self.number}"

    @property
    def tracking_number(self) -> str:
        return f"{self.request.tracking_number}-K{self.number}"
