"""KIMs, the people in them and their memberships."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models._common import E164
from network.uploads import upload_path
from regions.models import region_link


class FocusArea(models.TextChoices):
    PUBLIC_INFO = "informasi_publik", _("Public information")
    ANTI_HOAX = "anti_hoaks", _("Countering hoaxes")
    DIGITAL_LITERACY = "literasi_digital", _("Digital literacy")
    LOCAL_POTENTIAL = "potensi_lokal", _("Local potential")
    TOURISM = "pariwisata", _("Tourism")
    SMALL_BUSINESS = "umkm", _("Small businesses (UMKM)")
    AGRICULTURE = "pertanian", _("Agriculture and fisheries")
    HEALTH = "kesehatan", _("Health")
    EDUCATION = "pendidikan", _("Education")
    CULTURE = "budaya", _("Culture")
    ENVIRONMENT = "lingkungan", _("Environment and disasters")
    PUBLIC_SERVICE = "pelayanan_publik", _("Public services")


SOCIAL_NETWORKS: dict[str, str] = {
    # field name → base URL for a bare handle ("@kimjahab")
    "facebook": "https://www.facebook.com/",
    "instagram": "https://www.instagram.com/",
    "tiktok": "https://www.tiktok.com/@",
    "youtube": "https://www.youtube.com/@",
    "x": "https://x.com/",
    "whatsapp_channel": "https://whatsapp.com/channel/",
}


class Kim(models.Model):
    """A Kelompok Informasi Masyarakat of a village (desa/kelurahan) or kecamatan."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        DISSOLVED = "dissolved", _("Dissolved")

    class Level(models.TextChoices):
        PEMULA = "pemula", _("Pemula (beginner)")
        MADYA = "madya", _("Madya (intermediate)")
        UTAMA = "utama", _("Utama (advanced)")

    name = models.CharField(_("name"), max_length=150)
    region = region_link("kims", _("village or district"))
    # Copies of the region's ancestors' codes, set on save: filters and counts per
    # kecamatan/kabupaten without joins or LIKE scans.
    district_code = models.CharField(max_length=8, editable=False, db_index=True)
    regency_code = models.CharField(max_length=5, editable=False, db_index=True)
    address = models.CharField(_("secretariat address"), max_length=255, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.ACTIVE
    )
    level = models.CharField(
        _("maturity level"), max_length=10, choices=Level, default=Level.PEMULA
    )
    level_updated_at = models.DateTimeField(_("level computed"), null=True, blank=True)
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    decree_number = models.CharField(
        _("decree (SK) number"), max_length=100, blank=True
    )
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decree_issuer = models.CharField(_("decree issued by"), max_length=150, blank=True)
    decree_file = models.FileField(
        _("decree (PDF)"), upload_to=upload_path, blank=True, max_length=200
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone number"), max_length=16, blank=True)
    website = models.URLField(_("website"), blank=True)
    facebook = models.URLField("Facebook", blank=True)
    instagram = models.URLField("Instagram", blank=True)
    tiktok = models.URLField("TikTok", blank=True)
    youtube = models.URLField("YouTube", blank=True)
    x = models.URLField("X", blank=True)
    whatsapp_channel = models.URLField(_("WhatsApp channel"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("KIM")
        verbose_name_plural = _("KIMs")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "region", name="kim_unique_name_per_region"
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=E164), name="kim_phone_e164"
            ),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lng__isnull=True))
                | Q(lat__gte=-90, lat__lte=90, lng__gte=-180, lng__lte=180),
                name="kim_point_valid",
            ),
        ]
        indexes = [models.Index(fields=["regency_code", "status"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.set_codes()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("network:kim_detail", kwargs={"pk": self.pk})

    def set_codes(self) -> None:
        code = self.region_id or ""
        self.district_code = code[:8]
        self.regency_code = code[:5]

    def social_links(self) -> list[tuple[str, str]]:
        labels = {
            "facebook": "Facebook",
            "instagram": "Instagram",
            "tiktok": "TikTok",
            "youtube": "YouTube",
            "x": "X",
            "whatsapp_channel": "WhatsApp",
        }
        return [
            (labels[name], value)
            for name in SOCIAL_NETWORKS
            if (value := getattr(self, name))
        ]

    def focus_area_labels(self) -> list[str]:
        labels = dict(FocusArea.choices)
        return [str(labels.get(code, code)) for code in self.focus_areas]


class Person(models.Model):
    """Someone in the network: a KIM member, a board member, an event participant.

    Personal data: shown only to staff in scope and to the KIM's coordinator.
    """

    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(
        _("phone number"), max_length=16, unique=True, null=True, blank=True
    )
    email = models.EmailField(_("email"), blank=True)
    public_contact = models.BooleanField(
        _("agrees to show a public contact"),
        default=False,
        help_text=_("Only for KIM chairs and coordinators, on the KIM's public page."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_person",
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(phone__isnull=True) | Q(phone__regex=E164),
                name="person_phone_e164",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Membership(models.Model):
    """A person's membership of a KIM."""

    class Role(models.TextChoices):
        KETUA = "ketua", _("Chair (ketua)")
        SEKRETARIS = "sekretaris", _("Secretary (sekretaris)")
        BENDAHARA = "bendahara", _("Treasurer (bendahara)")
        ANGGOTA = "anggota", _("Member (anggota)")

    kim = models.ForeignKey(
        Kim, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("KIM")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=12, choices=Role, default=Role.ANGGOTA
    )
    is_coordinator = models.BooleanField(
        _("platform coordinator"),
        default=False,
        help_text=_("Manages the KIM's records in Simpul (the chair always does)."),
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["kim", "role", "person__full_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["kim", "person"], name="membership_unique_person_per_kim"
            ),
            models.UniqueConstraint(
                fields=["kim"],
                condition=Q(role="ketua", left_on__isnull=True),
                name="membership_one_active_chair",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.kim})"

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    @property
    def coordinates(self) -> bool:
        return self.is_active and (self.role == self.Role.KETUA or self.is_coordinator)
