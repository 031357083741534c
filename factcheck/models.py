"""Fact-checks, the tips people send and the claims tips are grouped into.

A tip (one message from one person, on one channel) is stored with its sender
hashed and encrypted (``Tipster``); tips that say the same thing form one
``Claim``, which fact-checkers work on at the desk until a ``FactCheck`` answers
it. Messages to a tipster go through ``channels`` (``services.outgoing``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import optional_link, staff_link
from factcheck import topics
from factcheck.verdicts import verdict_label


class Verdict(models.TextChoices):
    SALAH = "salah", _("False")
    HOAKS = "hoaks", _("Hoax")
    DISINFORMASI = "disinformasi", _("Disinformation")
    MISINFORMASI = "misinformasi", _("Misinformation")
    PENIPUAN = "penipuan", _("Scam")
    KONTEN_PALSU = "konten_palsu", _("Fabricated content")
    KONTEN_DIMANIPULASI = "konten_dimanipulasi", _("Manipulated content")
    KONTEN_TIRUAN = "konten_tiruan", _("Impostor content")
    KONTEKS_KELIRU = "konteks_keliru", _("False context")
    MENYESATKAN = "menyesatkan", _("Misleading")
    SEBAGIAN_BENAR = "sebagian_benar", _("Partly true")
    SATIRE = "satire", _("Satire/parody")
    BENAR = "benar", _("True")
    BELUM_TERBUKTI = "belum_terbukti", _("Unproven")


class Topic(models.TextChoices):
    """What a story is about; the values are those of ``factcheck.topics``, which
    classifies texts into them."""

    POLITIK = topics.POLITIK, _("Politics and elections")
    PEMERINTAHAN = topics.PEMERINTAHAN, _("Government and public services")
    KESEHATAN = topics.KESEHATAN, _("Health")
    PENIPUAN = topics.PENIPUAN, _("Scams and fraud")
    BENCANA = topics.BENCANA, _("Disasters and weather")
    EKONOMI = topics.EKONOMI, _("Economy and prices")
    SARA = topics.SARA, _("Religion, ethnicity and race (SARA)")
    KRIMINAL = topics.KRIMINAL, _("Crime and security")
    TEKNOLOGI = topics.TEKNOLOGI, _("Technology and the internet")
    LAINNYA = topics.LAINNYA, _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    TELEGRAM = "telegram", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Decision(models.TextChoices):
    MATCH = "match", _("Already fact-checked")
    SUGGEST = "suggest", _("Possible match")
    NONE = "none", _("New")


class FactCheck(models.Model):
    """A fact-check: ours (written at the desk) or imported, publisher credited."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=300)
    claim_reviewed = models.TextField(_("claim reviewed"), blank=True)
    verdict = models.CharField(
        _("verdict"), max_length=24, choices=Verdict, default=Verdict.SALAH
    )
    source_verdict = models.CharField(
        _("verdict as published by the source"), max_length=100, blank=True
    )
    topic = models.CharField(
        _("topic"), max_length=16, choices=Topic, default=Topic.LAINNYA
    )
    explanation = models.TextField(_("explanation"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    references = models.JSONField(_("sources and references"), default=list, blank=True)
    publisher = models.CharField(_("publisher"), max_length=150)
    author = models.CharField(_("author"), max_length=150, blank=True)
    published_on = models.DateField(_("date published"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    # Who made the claim and where it was seen (schema.org Claim author and
    # appearance), when the publisher's ClaimReview says so.
    claim_author = models.CharField(_("claim made by"), max_length=150, blank=True)
    claim_appearances = models.JSONField(
        _("where the claim appeared"), default=list, blank=True
    )
    language = models.CharField(_("language"), max_length=10, default="id")
    regions = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="factchecks",
        verbose_name=_("regions concerned"),
    )
    image = models.ImageField(
        _("image"), upload_to="factcheck/images/%Y/%m/", blank=True
    )
    card = models.ImageField(
        _("share card"), upload_to="factcheck/cards/", blank=True, editable=False
    )
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    is_own = models.BooleanField(_("our own fact-check"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PUBLISHED
    )
    network_requested_at = models.DateTimeField(
        _("to be sent to the KIM network"), null=True, blank=True
    )
    # A withdrawn fact-check keeps its public page, which says why (people may
    # have shared the link), and leaves the matching index.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = staff_link(_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("fact-check")
        verbose_name_plural = _("fact-checks")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="factcheck_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values),
                name="factcheck_verdict_valid",
            ),
            models.CheckConstraint(
                condition=Q(topic__in=Topic.values), name="factcheck_topic_valid"
            ),
        ]
        indexes = [models.Index(fields=["url"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("factcheck:detail", kwargs={"pk": self.pk})

    @property
    def verdict_label(self) -> str:
        """The Indonesian verdict label (``"SALAH"``), whatever the page language."""
        return verdict_label(self.verdict)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def summary(self) -> str:
        """One line: the conclusion's first sentence, else the claim reviewed."""
        text = (self.conclusion or self.explanation or self.claim_reviewed).strip()
        first = text.split("\n", 1)[0]
        if len(first) > 220:
            first = first[:217].rsplit(" ", 1)[0] + "…"
        return first


class Tipster(models.Model):
    """A person who sent a tip over a channel that can answer back.

    The contact (phone number or Telegram chat id) is stored as a keyed hash (to
    find the person again) and encrypted (to reply); staff see ``masked`` only.
    Deleting a tipster on request removes the contact; their tips stay, unlinked.
    """

    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    contact_hash = models.CharField(max_length=64, editable=False)
    contact_encrypted = models.TextField(editable=False)
    masked = models.CharField(_("contact (masked)"), max_length=40, editable=False)
    subscribed = models.BooleanField(_("receives verdicts"), default=True)
    region = optional_link("regions.Region", _("region"))
    created_at = models.DateTimeField(_("first tip"), default=timezone.now)

    class Meta:
        verbose_name = _("tipster")
        verbose_name_plural = _("tipsters")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "contact_hash"], name="tipster_unique_contact"
            )
        ]

    def __str__(self) -> str:
        return self.masked


class Claim(models.Model):
    """One story, however many people sent it: the unit fact-checkers work on."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        DRAFTED = "drafted", _("Verdict drafted")
        REVIEWED = "reviewed", _("Reviewed")
        PUBLISHED = "published", _("Published")
        NOT_CHECKABLE = "not_checkable", _("Not checkable")
        # Likely answered by an existing fact-check: the sender was asked to
        # pick it among the candidates (``TipConfirmation``); not at the desk
        # until they say "none of these" or do not answer within a day.
        AWAITING = "awaiting", _("Awaiting the sender's answer")

    OPEN = (Status.NEW, Status.IN_PROGRESS, Status.DRAFTED, Status.REVIEWED)

    text = models.TextField(_("text"))
    signature = models.JSONField(default=list, editable=False)
    status = models.CharField(
        _("status"), max_length=15, choices=Status, default=Status.NEW
    )
    factcheck = optional_link(FactCheck, _("fact-check"), related_name="claims")
    topic = models.CharField(
        _("topic"), max_length=16, choices=Topic, default=Topic.LAINNYA
    )
    suggestions = models.JSONField(_("suggested matches"), default=list, blank=True)
    # The desk's four eyes: who wrote the draft verdict (another person
    # reviews and publishes it, unless FACTCHECK_SINGLE_PERSON_DESK).
    drafted_by = staff_link(_("drafted by"), editable=False)
    reviewed_by = staff_link(_("reviewed by"), editable=False)
    assigned_to = staff_link(_("assigned to"), related_name="assigned_claims")
    tip_count = models.PositiveIntegerField(_("tips"), default=0)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    auto_answered = models.BooleanField(_("answered automatically"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        indexes = [models.Index(fields=["status", "last_seen_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(factcheck__isnull=False),
                name="claim_published_has_factcheck",
            ),
            models.CheckConstraint(
                condition=Q(topic__in=Topic.values), name="claim_topic_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("factcheck:claim", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Tip(models.Model):
    """One message from one person asking whether something is true.

    Its topic is its claim's (``claim.topic``): set when the claim is formed,
    corrected at the desk for every tip of the claim at once.
    """

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="tips", verbose_name=_("claim")
    )
    tipster = optional_link(Tipster, _("tipster"), related_name="tips")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    text = models.TextField(_("text"))
    region = optional_link("regions.Region", _("region"), related_name="tips")
    decision = models.CharField(_("answer"), max_length=10, choices=Decision)
    matched = optional_link(FactCheck, _("matched fact-check"))
    score = models.FloatField(_("match score"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # A link in the tip: the page's metadata, read in a task after the first
    # answer (``factcheck.links``); ``link_error`` says why it could not be.
    link_url = models.CharField(_("link"), max_length=2000, blank=True)
    link_title = models.CharField(_("link title"), max_length=300, blank=True)
    link_description = models.TextField(_("link description"), blank=True)
    link_site = models.CharField(_("link site"), max_length=200, blank=True)
    link_fetched_at = models.DateTimeField(_("link read"), null=True, blank=True)
    link_error = models.CharField(_("link error"), max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        indexes = [models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return self.text[:80]


class ConfirmationState(models.TextChoices):
    PENDING = "pending", _("Waiting for the answer")
    CONFIRMED = "confirmed", _("Confirmed by the sender")
    NONE = "none", _("None of these")
    UNKNOWN = "unknown", _("No answer")


class TipConfirmation(models.Model):
    """The question put to the sender of a tip that likely matches a fact-check:
    "is it one of these?" with up to three candidates, and their answer.

    ``token`` is the opaque reference carried by the buttons (web form, Telegram
    callback data, WhatsApp reply ids); it never holds the sender's data.
    """

    tip = models.OneToOneField(
        Tip,
        on_delete=models.CASCADE,
        related_name="confirmation",
        verbose_name=_("tip"),
    )
    token = models.CharField(max_length=24, unique=True, editable=False)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ConfirmationState,
        default=ConfirmationState.PENDING,
    )
    # Fact-check ids in the order shown (button n is candidates[n - 1]).
    candidates = models.JSONField(_("candidates shown"), default=list)
    chosen = models.ForeignKey(
        FactCheck,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen fact-check"),
    )
    channel = models.CharField(_("asked on"), max_length=10, choices=Channel)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("tip confirmation")
        verbose_name_plural = _("tip confirmations")
        indexes = [models.Index(fields=["state", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ConfirmationState.values),
                name="tipconfirmation_state_valid",
            ),
            # An answer has its time; a question still open has none.
            models.CheckConstraint(
                condition=Q(
                    state__in=[ConfirmationState.CONFIRMED, ConfirmationState.NONE],
                    answered_at__isnull=False,
                )
                | Q(
                    state__in=[ConfirmationState.PENDING, ConfirmationState.UNKNOWN],
                    answered_at__isnull=True,
                ),
                name="tipconfirmation_answered_at",
            ),
            models.CheckConstraint(
                condition=Q(chosen__isnull=True) | Q(state=ConfirmationState.CONFIRMED),
                name="tipconfirmation_chosen_only_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tip_id}: {self.state}"

    @property
    def is_pending(self) -> bool:
        return self.state == ConfirmationState.PENDING


class PairSource(models.TextChoices):
    TIPSTER_WEB = "tipster_web", _("Sender, on the web")
    TIPSTER_TELEGRAM = "tipster_telegram", _("Sender, on Telegram")
    TIPSTER_WHATSAPP = "tipster_whatsapp", _("Sender, on WhatsApp")
    DESK = "desk", _("Fact-check desk")


class MatchPair(models.Model):
    """A labelled pair: this message is answered by this existing fact-check,
    as confirmed by its sender or decided at the desk. What the matcher can
    be measured (and later re-trained) on."""

    Source = PairSource

    tip = models.ForeignKey(
        Tip, on_delete=models.CASCADE, related_name="pairs", verbose_name=_("tip")
    )
    factcheck = models.ForeignKey(
        FactCheck,
        on_delete=models.CASCADE,
        related_name="pairs",
        verbose_name=_("fact-check"),
    )
    text = models.TextField(_("message"))
    source = models.CharField(_("confirmed by"), max_length=20, choices=PairSource)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("desk user"),
    )
    created_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("labelled match")
        verbose_name_plural = _("labelled matches")
        constraints = [
            models.UniqueConstraint(
                fields=["tip", "factcheck"], name="matchpair_unique_tip_factcheck"
            ),
            models.CheckConstraint(
                condition=Q(source__in=PairSource.values),
                name="matchpair_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tip_id} → {self.factcheck_id} ({self.source})"


class ClaimNote(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return self.text[:80]


class FeedSource(models.Model):
    """A ClaimReview or RSS feed imported on a schedule by the worker."""

    class Format(models.TextChoices):
        CLAIMREVIEW = "claimreview", _("ClaimReview JSON-LD")
        RSS = "rss", _("RSS/Atom")

    name = models.CharField(_("name"), max_length=150)
    url = models.URLField(_("URL"), max_length=500, unique=True)
    format = models.CharField(_("format"), max_length=12, choices=Format)
    publisher = models.CharField(_("publisher"), max_length=150, blank=True)
    active = models.BooleanField(_("active"), default=True)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_result = models.CharField(_("last result"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")

    def __str__(self) -> str:
        return self.name


class MatchingIndexState(models.Model):
    """Which index belongs to this database, and how up to date it must be.

    ``database_id`` names the index folder under ``SIMPUL_DATA_DIR``, so a data
    folder shared by two databases keeps one index each. ``generation`` goes up
    with every change to the fact-checks; a process whose index is older brings
    it up to date (``factcheck.matching_service``).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    database_id = models.UUIDField(default=uuid.uuid4, editable=False)
    generation = models.BigIntegerField(default=0)
    # Change records up to this generation have been pruned: a process older
    # than this reloads the saved index or rebuilds instead of catching up.
    pruned_through = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching index state")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="matching_state_singleton")
        ]

    def __str__(self) -> str:
        return f"{self.database_id} @ {self.generation}"


class IndexChange(models.Model):
    """A fact-check changed at ``generation``: lets other processes catch up by
    applying only the changes since their own generation."""

    generation = models.BigIntegerField(db_index=True)
    factcheck_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("index change")
        ordering = ["generation"]

    def __str__(self) -> str:
        return f"{self.generation}: {self.factcheck_id}"


def private_images() -> FileSystemStorage:
    """Where images of tips and fact-checks are kept: outside MEDIA_ROOT, never
    served by the web server; staff see them through a permission-checked view."""
    return FileSystemStorage(location=settings.FACTCHECK_PRIVATE_DIR, base_url=None)


class ImageSource(models.TextChoices):
    IMPORTED = "imported", _("Imported with the fact-check")
    DESK = "desk", _("Attached at the desk")


class FactCheckImage(models.Model):
    """A picture that circulated with the hoax a fact-check answers: tips with
    the same picture (or its text) are matched to that fact-check. Stored
    re-encoded (no EXIF) in private storage, with its perceptual hash and the
    MinHash signature of the text read in it."""

    factcheck = models.ForeignKey(
        FactCheck,
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("fact-check"),
    )
    file = models.FileField(
        _("file"), storage=private_images, upload_to="factchecks/%Y/%m/"
    )
    source = models.CharField(
        _("source"), max_length=10, choices=ImageSource, default=ImageSource.DESK
    )
    phash = models.CharField(_("perceptual hash"), max_length=16)
    text = models.TextField(_("text read in the image"), blank=True)
    signature = models.JSONField(default=list, editable=False)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("fact-check image")
        verbose_name_plural = _("fact-check images")
        constraints = [
            models.UniqueConstraint(
                fields=["factcheck", "phash"], name="factcheck_image_unique_hash"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ImageSource.values),
                name="factcheck_image_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.factcheck_id}:{self.phash}"


class TipImage(models.Model):
    """The picture a tip was (or came with): kept privately as long as the tip,
    EXIF removed. Once the tip's claim is answered by a fact-check, later tips
    with the same picture match that fact-check."""

    tip = models.OneToOneField(
        Tip, on_delete=models.CASCADE, related_name="image", verbose_name=_("tip")
    )
    file = models.FileField(_("file"), storage=private_images, upload_to="tips/%Y/%m/")
    phash = models.CharField(_("perceptual hash"), max_length=16)
    text = models.TextField(_("text read in the image"), blank=True)
    signature = models.JSONField(default=list, editable=False)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tip image")
        verbose_name_plural = _("tip images")
        indexes = [models.Index(fields=["phash"])]

    def __str__(self) -> str:
        return f"{self.tip_id}:{self.phash}"
