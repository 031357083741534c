"""The KIM network: KIMs and their members, Forum KIM, activities, events, trainings.

People are recorded once (``Person``: name, phone in E.164, email, consent to show
a public contact) and linked to KIMs by ``Membership`` rows (role, join date).

How a KIM coordinator is recorded: an ``accounts.User`` with the role
``kim_coordinator`` is linked to a ``Person`` (``Person.user``); that user
coordinates every KIM in which the person holds an active membership that is
either the chair (``ketua``) or marked ``is_coordinator`` (a KIM may hand the
platform work to its secretary). ``network.selectors.kims_coordinated_by`` is the
one place that reads this rule.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.uploads import upload_path

# Far above the biggest hall or stadium event a KIM holds.
MAX_EVENT_CAPACITY = 100_000

E164 = r"^\+[1-9][0-9]{6,14}$"


def _token() -> str:
    return secrets.token_urlsafe(16)


def _certificate_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


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
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="kims",
        verbose_name=_("village or district"),
    )
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


class Forum(models.Model):
    """A Forum KIM of a kabupaten/kota, or of the province."""

    name = models.CharField(_("name"), max_length=150)
    region = models.OneToOneField(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="kim_forum",
        verbose_name=_("region"),
    )
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
    inaugurated_on = models.DateField(_("inaugurated on"), null=True, blank=True)
    inauguration_place = models.CharField(
        _("inauguration place"), max_length=200, blank=True
    )
    inaugurated_by = models.CharField(
        _("inaugurated by"),
        max_length=200,
        blank=True,
        help_text=_("Name and office of the inaugurating official."),
    )
    inauguration_decree = models.CharField(
        _("inauguration decree"), max_length=100, blank=True
    )
    inauguration_event = models.ForeignKey(
        "Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inauguration event"),
    )
    kims = models.ManyToManyField(
        Kim, blank=True, related_name="forums", verbose_name=_("member KIMs")
    )
    email = models.EmailField(_("email"), blank=True)
    instagram = models.URLField("Instagram", blank=True)
    facebook = models.URLField("Facebook", blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["region"]
        verbose_name = _("Forum KIM")
        verbose_name_plural = _("Forum KIM")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:forum_detail", kwargs={"pk": self.pk})


class BoardMember(models.Model):
    """A seat on a Forum KIM's board (pengurus)."""

    class Position(models.TextChoices):
        KETUA = "ketua", _("Chair")
        WAKIL_KETUA = "wakil_ketua", _("Vice-chair")
        SEKRETARIS = "sekretaris", _("Secretary")
        BENDAHARA = "bendahara", _("Treasurer")
        KOORDINATOR = "koordinator", _("Division coordinator")
        ANGGOTA = "anggota", _("Member")

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="board", verbose_name=_("forum")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="board_seats",
        verbose_name=_("person"),
    )
    position = models.CharField(_("position"), max_length=12, choices=Position)
    title = models.CharField(
        _("title"), max_length=150, blank=True, help_text=_("e.g. Bidang Humas")
    )
    kim = models.ForeignKey(
        Kim,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from KIM"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["forum", "order", "pk"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "person"], name="board_unique_person_per_forum"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_position_display()})"


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
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
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


class Event(models.Model):
    """An FGD, training, workshop, inauguration or festival organised by Diskominfo
    or a Forum KIM. Times are stored in UTC and shown in WITA (Asia/Makassar)."""

    class Kind(models.TextChoices):
        FGD = "fgd", _("Focus group discussion")
        TRAINING = "training", _("Digital-literacy training")
        WORKSHOP = "workshop", _("Workshop")
        INAUGURATION = "inauguration", _("Inauguration (pelantikan)")
        FESTIVAL = "festival", _("KIM festival")
        OTHER = "other", _("Other")

    class Registration(models.TextChoices):
        PUBLIC = "public", _("Open to the public")
        INVITED = "invited", _("By invitation")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="kim_events",
        verbose_name=_("held in"),
        help_text=_(
            "The region where it takes place (for online events: the organiser's)."
        ),
    )
    organiser_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organising office"),
        help_text=_("The Diskominfo office in charge: its staff manage the event."),
    )
    organiser_forum = models.ForeignKey(
        Forum,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organising forum"),
    )
    organisers = models.CharField(
        _("organisers"),
        max_length=300,
        blank=True,
        help_text=_("As printed on the invitation."),
    )
    opened_by = models.CharField(_("opened by"), max_length=200, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    invited_regions = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="+",
        verbose_name=_("invited regions"),
    )
    registration = models.CharField(
        _("registration"),
        max_length=10,
        choices=Registration,
        default=Registration.PUBLIC,
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_EVENT_CAPACITY)],
    )
    minutes = models.TextField(_("minutes"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    checkin_token = models.CharField(max_length=32, default=_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True)
                | Q(capacity__lte=MAX_EVENT_CAPACITY),
                name="event_capacity_range",
            ),
        ]
        indexes = [models.Index(fields=["region", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:event_detail", kwargs={"pk": self.pk})

    @property
    def is_training(self) -> bool:
        return self.kind == self.Kind.TRAINING


class Speaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=250, blank=True)
    talk_title = models.CharField(_("talk title"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event", "order", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class EventMaterial(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to=upload_path, blank=True, max_length=200
    )
    url = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="material_file_or_url"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A person registered for (or invited to) an event. ``token`` is the secret of
    their personal page and QR check-in link."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="participations"
    )
    kim = models.ForeignKey(
        Kim,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("KIM"),
    )
    origin = models.CharField(_("institution / origin"), max_length=200, blank=True)
    invited = models.BooleanField(_("invited"), default=False)
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["event", "person__full_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], name="participant_unique_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("network:participant_home", kwargs={"token": self.token})


class Attendance(models.Model):
    class Mode(models.TextChoices):
        ONSITE = "onsite", _("On site")
        ONLINE = "online", _("Online")

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        ORGANISER = "organiser", _("By the organiser")
        LINK = "link", _("Online link")
        RECORD = "record", _("From the records")

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="attendances"
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode)
    method = models.CharField(_("check-in"), max_length=10, choices=Method)
    checked_in_at = models.DateTimeField(_("checked in"), default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["event", "checked_in_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        indexes = [models.Index(fields=["event", "mode"])]

    def __str__(self) -> str:
        return f"{self.participant} ({self.mode})"


class Question(models.Model):
    """A multiple-choice question of a training's pre- and post-test (the same
    questions are asked before and after, so the gain measures the training)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["event", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices"
    )
    text = models.CharField(_("answer"), max_length=300)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["question", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class QuizAttempt(models.Model):
    class Phase(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attempts"
    )
    phase = models.CharField(_("test"), max_length=4, choices=Phase)
    score = models.PositiveSmallIntegerField(_("score (0-100)"))
    correct = models.PositiveSmallIntegerField(_("correct answers"))
    total = models.PositiveSmallIntegerField(_("questions"))
    answers = models.JSONField(default=dict)  # question id → choice id
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["participant", "phase"]
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "phase"], name="attempt_one_per_phase"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="attempt_score"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.phase}: {self.score}"


class Certificate(models.Model):
    """A certificate of attendance; anyone can check its code on a public page."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(
        _("verification code"), max_length=11, unique=True, default=_certificate_code
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("network:certificate_verify") + f"?kode={self.code}"
