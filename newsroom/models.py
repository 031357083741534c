"""Kabar: articles, the portal's comments, subscribers, dissemination and reach.

An article belongs to a KIM (``network.Kim``) or to a Diskominfo office (a
province or regency ``Region``); ``region`` is copied from that author and decides
who may edit, review and publish it (the permission layer's region scope).

Dissemination sends an item (an article, or a fact-check identified only by its
URL and a reference string) to an audience; each ``Delivery`` row is one message
to one person over one channel. ``(item_ref, recipient_key)`` is unique, so a
person never receives the same item twice, and a fan-out that is run again (after
a worker was killed) adds only the rows that are missing.
"""

from __future__ import annotations

import math
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.models import optional_link, staff_link
from regions.models import region_link


def _token() -> str:
    return secrets.token_urlsafe(18)


def _short_code() -> str:
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(7))


class Kind(models.TextChoices):
    PUBLIC_INFO = "informasi_publik", _("Public information / government programme")
    PRODUCT = "produk_lokal", _("Local potential: products")
    TOURISM = "wisata", _("Local potential: tourism")
    CULTURE = "budaya", _("Local potential: culture")
    UMKM = "umkm", _("Local potential: small businesses (UMKM)")
    EVENT_REPORT = "laporan_kegiatan", _("Event report")
    HOAX_CLARIFICATION = "klarifikasi_hoaks", _("Hoax clarification")
    ANNOUNCEMENT = "pengumuman", _("Announcement")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=70, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:tag", kwargs={"slug": self.slug})


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    lead = models.CharField(
        _("lead"), max_length=400, help_text=_("One or two sentences: the summary.")
    )
    body = models.TextField(_("body"), help_text=_("Sanitised HTML."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT
    )
    # The author: a KIM or a Diskominfo office (exactly one of the two).
    kim = models.ForeignKey(
        "network.Kim",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("KIM"),
    )
    office = region_link("+", _("Diskominfo office"), null=True, blank=True)
    # The author's region: decides the editors who review and publish it.
    region = region_link("articles", editable=False)
    regions = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="+",
        verbose_name=_("regions concerned"),
        help_text=_(
            "The article is listed on these regions' pages (and the author's)."
        ),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    source_links = models.JSONField(_("source links"), default=list, blank=True)
    factcheck_url = models.URLField(
        _("fact-check link"),
        blank=True,
        help_text=_("For a hoax clarification: the published fact-check."),
    )
    factcheck_ref = models.CharField(
        _("fact-check reference"), max_length=64, blank=True
    )
    # Plain, lower-cased text of title, lead and body: the search document.
    search_document = models.TextField(editable=False, blank=True)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = staff_link(_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    # Who scheduled it: the scheduler publishes on their behalf, so the
    # article is held (``held_reason``) once they lose the right to publish.
    scheduled_by = staff_link(_("scheduled by"), editable=False)
    held_reason = models.CharField(
        _("held because"), max_length=300, blank=True, editable=False
    )
    # What to send once it is published (by schedule or by hand):
    # {"audience": {...}, "channels": [...], "urgent": false, "by": user id}.
    send_on_publish = models.JSONField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    unpublished_at = models.DateTimeField(_("unpublished"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kim__isnull=False) & Q(office__isnull=True))
                | (Q(kim__isnull=True) & Q(office__isnull=False)),
                name="article_one_author",
            ),
            models.CheckConstraint(
                condition=~Q(kind="klarifikasi_hoaks") | ~Q(factcheck_url=""),
                name="article_clarification_links_factcheck",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False),
                name="article_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["kind", "status", "-published_at"]),
            models.Index(fields=["kim", "status", "-published_at"]),
            models.Index(fields=["status", "publish_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("newsroom:article", kwargs={"slug": self.slug})

    @property
    def item_ref(self) -> str:
        return f"article:{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def author_name(self) -> str:
        if self.kim_id:
            return self.kim.name if self.kim else ""
        return f"Diskominfo {self.office.name}" if self.office else ""


#: Indonesia's extent with a margin (Sabang to Merauke, Rote to Miangas): a
#: local-potential point outside it is a typo or swapped coordinates.
INDONESIA_LAT = (-11.0, 6.5)
INDONESIA_LNG = (94.0, 141.5)


class PotentialCategory(models.TextChoices):
    """What a local-potential story is about. The values are the article kinds
    of the same name, so a potential story is an ordinary article of that kind
    (feeds per kind, subscribers' topics and cross-posting apply unchanged)."""

    PRODUCT = Kind.PRODUCT.value, _("Local product")
    # "Tourism" alone is network's KIM topic ("Pariwisata"): one msgid has one
    # translation in the merged catalogue, so the category has its context.
    TOURISM = Kind.TOURISM.value, pgettext_lazy("local potential", "Tourism")
    CULTURE = Kind.CULTURE.value, _("Culture")


class Potential(models.Model):
    """The structured facts of a local-potential story (``potensi lokal``): what,
    where (a region and, optionally, a point), a contact, and price or opening
    hours. It lives beside its article and follows the article's workflow: it
    is public exactly when the article is published.

    ``phone`` is a business contact (a shop, a site's manager, an organising
    committee) that the author chooses to publish; it is shown on the public
    page, so the form says not to enter a private person's number."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="potential",
        verbose_name=_("article"),
    )
    category = models.CharField(_("category"), max_length=20, choices=PotentialCategory)
    name = models.CharField(
        _("name"),
        max_length=150,
        help_text=_("What it is: the product, the place or the tradition."),
    )
    place = region_link("+", _("where"))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    price_range = models.CharField(_("price range"), max_length=100, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    # A cultural event's days (e.g. a festival); empty for a tradition or a site.
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["-article__published_at", "-pk"]
        verbose_name = _("local potential")
        verbose_name_plural = _("local potential")
        constraints = [
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lng__isnull=True))
                | Q(
                    lat__gte=INDONESIA_LAT[0],
                    lat__lte=INDONESIA_LAT[1],
                    lng__gte=INDONESIA_LNG[0],
                    lng__lte=INDONESIA_LNG[1],
                ),
                name="potential_point_in_indonesia",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(category="budaya"),
                name="potential_dates_only_culture",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=False, ends_on__gte=models.F("starts_on")),
                name="potential_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^\+?[0-9][0-9 ()-]{5,24}$"),
                name="potential_phone_chars",
            ),
        ]
        indexes = [models.Index(fields=["category", "place"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The constraints' rules, with a message for each (in the person's
        language) before the database would refuse the row."""
        errors: dict[str, str] = {}
        if (self.lat is None) != (self.lng is None):
            errors["lat"] = gettext("Give both latitude and longitude, or neither.")
        elif self.lat is not None and self.lng is not None:
            problem = point_problem(self.lat, self.lng)
            if problem:
                errors["lat"] = problem
        if self.starts_on and self.category != PotentialCategory.CULTURE:
            errors["starts_on"] = gettext("Only a culture story has event dates.")
        if self.ends_on and not self.starts_on:
            errors["starts_on"] = gettext("Give the day the event starts.")
        elif self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = gettext("The event cannot end before it starts.")
        if self.phone and not re.fullmatch(r"\+?[0-9][0-9 ()-]{5,24}", self.phone):
            errors["phone"] = gettext(
                "Write the phone number with digits only (spaces, dashes, brackets "
                "and a leading + are allowed), e.g. 0541 123456 or +62 812 3456 7890."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lng is not None


def point_problem(lat: float, lng: float) -> str | None:
    """Why (lat, lng) cannot be a place in Indonesia, or None when it can."""
    if not (math.isfinite(lat) and math.isfinite(lng)):
        return gettext("Latitude and longitude must be numbers.")

    def inside(y: float, x: float) -> bool:
        return (
            INDONESIA_LAT[0] <= y <= INDONESIA_LAT[1]
            and INDONESIA_LNG[0] <= x <= INDONESIA_LNG[1]
        )

    if inside(lat, lng):
        return None
    if inside(lng, lat):
        return gettext(
            "Latitude and longitude look swapped: in Indonesia the latitude is "
            "between -11 and 6.5 and the longitude between 94 and 141.5 "
            "(e.g. lat -0.42, lng 116.99)."
        )
    return gettext(
        "This point is outside Indonesia (latitude -11 to 6.5, longitude 94 to 141.5)."
    )


class ArticleRevision(models.Model):
    """The text of an article as it was saved each time (newest has the top number)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    lead = models.CharField(_("lead"), max_length=400)
    body = models.TextField(_("body"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="revision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


class ReviewNote(models.Model):
    """A step of the publishing workflow, with the reviewer's comment."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="review_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30)
    status = models.CharField(_("new status"), max_length=20, choices=Article.Status)
    note = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["article", "-created_at", "-pk"]
        verbose_name = _("review note")
        verbose_name_plural = _("review notes")

    def __str__(self) -> str:
        return f"{self.article_id} {self.action}"


class ArticleImage(models.Model):
    """A photo, stored only as re-encoded WebP renditions (no EXIF, no GPS)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="images"
    )
    # {"480": "newsroom/img/2026/abc-480.webp", …}: width → storage name.
    renditions = models.JSONField(default=dict)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "position", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.caption or f"image {self.pk}"

    def _sorted(self) -> list[tuple[int, str]]:
        return sorted((int(w), name) for w, name in self.renditions.items())

    def url(self, width: int | None = None) -> str:
        from django.core.files.storage import default_storage

        sizes = self._sorted()
        if not sizes:
            return ""
        name = sizes[-1][1]
        if width is not None:
            fitting = [n for w, n in sizes if w >= width]
            name = fitting[0] if fitting else name
        return default_storage.url(name)

    @property
    def src(self) -> str:
        from django.core.files.storage import default_storage

        sizes = self._sorted()
        return default_storage.url(sizes[0][1]) if sizes else ""

    @property
    def srcset(self) -> str:
        from django.core.files.storage import default_storage

        return ", ".join(f"{default_storage.url(n)} {w}w" for w, n in self._sorted())

    @property
    def largest(self) -> str:
        return self.url()


class Comment(models.Model):
    """A reader's reply ("Tinggalkan balasan"), shown only once a moderator
    approves it. No e-mail address or IP address is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=80)
    body = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING
    )
    spam_reason = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    moderated_by = staff_link()
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:40]}"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    TELEGRAM = "telegram", "Telegram"
    WHATSAPP = "whatsapp", "WhatsApp"
    SMS = "sms", "SMS"


class Subscriber(models.Model):
    """Someone who asked to receive the news of a region (and, optionally, only
    some kinds of article) on one channel."""

    name = models.CharField(_("name"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone number"), max_length=16, blank=True)
    telegram_chat_id = models.CharField(max_length=32, blank=True)
    region = region_link("+")
    # Comma-delimited kinds (",umkm,wisata,"); empty: every kind.
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(channel="email") & ~Q(email=""))
                | (Q(channel__in=["whatsapp", "sms"]) & ~Q(phone=""))
                | (Q(channel="telegram") & ~Q(telegram_chat_id="")),
                name="subscriber_has_address_for_channel",
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^\+[1-9][0-9]{6,14}$"),
                name="subscriber_phone_e164",
            ),
            models.UniqueConstraint(
                fields=["channel", "email", "phone", "telegram_chat_id"],
                name="subscriber_unique_address",
            ),
        ]
        indexes = [models.Index(fields=["region", "opted_out_at"])]

    def __str__(self) -> str:
        return self.name or self.get_channel_display()

    def topic_list(self) -> list[str]:
        return [t for t in self.topics.split(",") if t]


class Dissemination(models.Model):
    """One sending of an item (article or fact-check) to an audience."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        FANNING_OUT = "fanning_out", _("Preparing deliveries")
        SENDING = "sending", _("Sending")

    item_ref = models.CharField(_("item"), max_length=64, db_index=True)
    # http(s) address; not a URLField, which refuses hosts without a dot.
    item_url = models.CharField(_("link"), max_length=500)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=600)
    article = optional_link(Article, related_name="disseminations")
    region = region_link(
        "+", help_text=_("The item's region: decides who sees this sending.")
    )
    audience = models.JSONField(_("audience"), default=dict)
    channels = models.JSONField(_("channels"), default=list)
    urgent = models.BooleanField(_("urgent (ignores quiet hours)"), default=False)
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    recipients = models.PositiveIntegerField(default=0)
    created_by = staff_link()
    created_at = models.DateTimeField(default=timezone.now)
    # Set after each batch of the fan-out: a stale one means a killed worker.
    fanout_heartbeat_at = models.DateTimeField(null=True, blank=True)
    fanout_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("dissemination")
        verbose_name_plural = _("disseminations")

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One message of one item to one person over one channel."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Held (opted out)")

    class Source(models.TextChoices):
        SUBSCRIBER = "subscriber", _("Subscriber")
        KIM_MEMBER = "kim_member", _("KIM member")
        FORUM_BOARD = "forum_board", _("Forum KIM board")

    dissemination = models.ForeignKey(
        Dissemination, on_delete=models.CASCADE, related_name="deliveries"
    )
    item_ref = models.CharField(max_length=64)
    recipient_key = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, choices=Channel)
    address = models.CharField(max_length=254)
    source = models.CharField(max_length=12, choices=Source)
    region_code = models.CharField(max_length=13, blank=True)
    kim_id = models.IntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    provider_id = models.CharField(max_length=128, blank=True)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The message itself is channels' (sent, retried, reported on there); this
    # row keeps who was reached for the reach figures, its status mirrored by
    # ``newsroom.services.dissemination.delivery_status_mirror``.
    outbox_message = optional_link("channels.OutboxMessage")

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["item_ref", "recipient_key"], name="delivery_once_per_person"
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "status", "next_attempt_at"]),
            models.Index(fields=["dissemination", "status"]),
            models.Index(fields=["provider_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.item_ref} → {self.channel} ({self.status})"


class ShortLink(models.Model):
    """``/s/<code>``: one per dissemination and channel, so clicks are counted
    per item and channel without knowing who clicked."""

    code = models.CharField(max_length=12, unique=True, default=_short_code)
    target_url = models.CharField(max_length=500)
    dissemination = models.ForeignKey(
        Dissemination,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="short_links",
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, blank=True)
    clicks = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")
        constraints = [
            models.UniqueConstraint(
                fields=["dissemination", "channel"], name="shortlink_one_per_channel"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("newsroom:short_link", kwargs={"code": self.code})


class DailyStat(models.Model):
    """Anonymous counters of an article per day: page views, share buttons,
    short-link clicks."""

    class Metric(models.TextChoices):
        VIEW = "view", _("Page views")
        CLICK = "click", _("Link clicks")
        SHARE_WHATSAPP = "share_whatsapp", _("Shared to WhatsApp")
        SHARE_FACEBOOK = "share_facebook", _("Shared to Facebook")
        SHARE_X = "share_x", _("Shared to X")
        SHARE_TELEGRAM = "share_telegram", _("Shared to Telegram")
        SHARE_COPY = "share_copy", _("Link copied")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    metric = models.CharField(max_length=20, choices=Metric)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day", "metric"], name="dailystat_unique"
            )
        ]
        indexes = [models.Index(fields=["day", "metric"])]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day} {self.metric}={self.count}"


SHARE_METRICS = frozenset(m for m in DailyStat.Metric.values if m.startswith("share_"))


def recipient_key(*, phone: str = "", email: str = "", telegram: str = "") -> str:
    """Who a person is, for "never twice": their phone, else email, else chat."""
    if phone:
        return f"p:{phone}"
    if email:
        return f"e:{email.strip().lower()}"
    if telegram:
        return f"t:{telegram}"
    return ""
