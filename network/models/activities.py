"""Activities KIMs report, their photos, and the monthly scores."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import staff_link
from network.models.kims import FocusArea, Kim
from network.uploads import upload_path


class Activity(models.Model):
    """What a KIM did, reported by its coordinator and reviewed by regency staff.

    ``kind`` is one of the six ADINDA activities of KIM development.
    """

    class Kind(models.TextChoices):
        AKSES = "akses", _("Access (akses)")
        DISKUSI = "diskusi", _("Discussion (diskusi)")
        IMPLEMENTASI = "implementasi", _("Implementation (implementasi)")
        NETWORKING = "networking", _("Networking")
        DISEMINASI = "diseminasi", _("Dissemination (diseminasi)")
        ASPIRASI = "aspirasi", _("Aspiration (aspirasi)")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    kim = models.ForeignKey(
        Kim, on_delete=models.CASCADE, related_name="activities", verbose_name=_("KIM")
    )
    # The KIM's kecamatan/kabupaten codes, copied on save: the dashboards count a
    # region's activities from one index, without joining the KIMs.
    district_code = models.CharField(max_length=8, editable=False)
    regency_code = models.CharField(max_length=5, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    focus = models.CharField(_("topic"), max_length=20, choices=FocusArea, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    links = models.JSONField(_("links"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.SUBMITTED
    )
    reported_by = staff_link(_("reported by"))
    reviewed_by = staff_link(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["kim", "date"]),
            models.Index(fields=["status", "date"]),
            models.Index(fields=["regency_code", "status", "date", "kind"]),
            models.Index(fields=["district_code", "status", "date", "kind"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.set_codes()
        super().save(*args, **kwargs)

    def set_codes(self) -> None:
        code = self.kim.region_id if self.kim_id else ""
        self.district_code = code[:8]
        self.regency_code = code[:5]


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=upload_path, max_length=200)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self) -> str:
        return self.caption or str(self.image.name)


class MonthlyScore(models.Model):
    """A KIM's activity score for one month (see ``network.scoring``)."""

    kim = models.ForeignKey(Kim, on_delete=models.CASCADE, related_name="scores")
    month = models.DateField(_("month"))  # the first day of the month
    activities = models.PositiveIntegerField(_("reviewed activities"), default=0)
    score = models.PositiveIntegerField(_("score"), default=0)

    class Meta:
        ordering = ["kim", "-month"]
        verbose_name = _("monthly score")
        verbose_name_plural = _("monthly scores")
        constraints = [
            models.UniqueConstraint(fields=["kim", "month"], name="score_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="score_month_first"),
        ]

    def __str__(self) -> str:
        return f"{self.kim} {self.month:%Y-%m}: {self.score}"
