"""Events, their speakers, materials, participants and attendance."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import optional_link, staff_link
from network.models._common import _token
from network.models.forums import Forum
from network.models.kims import Kim, Person
from network.uploads import upload_path
from regions.models import region_link

# Far above the biggest hall or stadium event a KIM holds.
MAX_EVENT_CAPACITY = 100_000
# An event without an end time is taken to last this long.
DEFAULT_EVENT_LENGTH = timedelta(hours=8)
# On-site check-in opens this long before the start (people arrive early).
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)


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
    region = region_link(
        "kim_events",
        _("held in"),
        help_text=_(
            "The region where it takes place (for online events: the organiser's)."
        ),
    )
    organiser_region = region_link(
        "+",
        _("organising office"),
        help_text=_("The Diskominfo office in charge: its staff manage the event."),
    )
    organiser_forum = optional_link(Forum, _("organising forum"), related_name="events")
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
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: registration stays open until the event ends."),
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

    def clean(self) -> None:
        if (
            self.registration_closes_at is not None
            and self.starts_at is not None
            and self.registration_closes_at > self.end
        ):
            raise ValidationError(
                {
                    "registration_closes_at": _(
                        "Registration must close by the end of the event."
                    )
                }
            )

    @property
    def is_training(self) -> bool:
        return self.kind == self.Kind.TRAINING

    @property
    def end(self) -> datetime:
        return self.ends_at or self.starts_at + DEFAULT_EVENT_LENGTH

    @property
    def registration_deadline(self) -> datetime:
        """When public registration closes: the organiser's deadline, at the
        latest the end of the event."""
        if self.registration_closes_at is not None:
            return min(self.registration_closes_at, self.end)
        return self.end

    def registration_open(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) < self.registration_deadline

    @property
    def checkin_opens_at(self) -> datetime:
        return self.starts_at - CHECKIN_OPENS_BEFORE

    def checkin_open(self, now: datetime | None = None) -> bool:
        """Whether attendance can be recorded now (on site or online)."""
        return self.checkin_opens_at <= (now or timezone.now()) <= self.end


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
    kim = optional_link(Kim, _("KIM"))
    origin = models.CharField(_("institution / origin"), max_length=200, blank=True)
    # The phone given at sign-up when it cannot be the person's: it belongs to
    # another province's KIM member, whose record this province's staff must not
    # see (network.services.members.person_for_province). The organiser still
    # reaches them, and a second sign-up or check-in with it finds this one.
    contact_phone = models.CharField(
        _("phone number given"), max_length=16, blank=True, editable=False
    )
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
    checked_in_by = staff_link()

    class Meta:
        ordering = ["event", "checked_in_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        indexes = [models.Index(fields=["event", "mode"])]

    def __str__(self) -> str:
        return f"{self.participant} ({self.mode})"
