"""The outbox, consent records and inbound events of every messaging channel.

Addresses: a phone number in E.164 (WhatsApp, SMS), a Telegram chat id, an email
address in lower case. Each row also keeps ``address_hash`` (keyed HMAC, see
``channels.addresses``) so that consent and erasure find a person's rows without
comparing numbers in clear.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    TELEGRAM = "telegram", "Telegram"
    WHATSAPP = "whatsapp", "WhatsApp"
    SMS = "sms", "SMS"
    EMAIL = "email", _("Email")
    # Posts to a connected social account (``to`` is the SocialAccount id).
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    TIKTOK = "tiktok", "TikTok"


class OutboxMessage(models.Model):
    """One message to one address over one channel, sent by a task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Held (no consent)")

    channel = models.CharField(max_length=10, choices=Channel)
    to = models.CharField(max_length=254)
    address_hash = models.CharField(max_length=64, db_index=True)
    subject = models.CharField(max_length=200, blank=True)  # email only
    body = models.TextField(blank=True)
    image_url = models.URLField(max_length=500, blank=True)
    # An approved WhatsApp template, used when the 24-hour window is closed.
    template = models.CharField(max_length=100, blank=True)
    template_language = models.CharField(max_length=10, blank=True)
    parameters = models.JSONField(default=list, blank=True)
    # {"buttons": [{"id", "title"}…]} or {"list": {"button", "sections": […]}}
    interactive = models.JSONField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200)
    origin = models.CharField(max_length=40)  # the app that asked: "newsroom"
    reference = models.CharField(max_length=100, blank=True)  # the app's own id
    not_before = models.DateTimeField(default=timezone.now)
    # A worker holds the row until then (it is in that worker's batch).
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=Status, default=Status.QUEUED, db_index=True
    )
    provider_message_id = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "dedupe_key"], name="outbox_once_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["channel", "status", "not_before"], name="outbox_due"),
            models.Index(
                fields=["channel", "provider_message_id"], name="outbox_provider_id"
            ),
            models.Index(fields=["origin", "reference"], name="outbox_origin_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} {self.dedupe_key}"


class Consent(models.Model):
    """What one person (an address on a channel) agreed to, and when.

    ``opted_out``: no app sends anything more on this channel (UU 27/2022 PDP),
    except the confirmation of that very request. The number itself is not kept
    here: only its hash and a masked form that staff may see."""

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("No choice recorded")
        OPTED_IN = "opted_in", _("Opted in")
        OPTED_OUT = "opted_out", _("Opted out")

    channel = models.CharField(max_length=10, choices=Channel)
    address_hash = models.CharField(max_length=64)
    address_masked = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.UNKNOWN)
    opted_in_at = models.DateTimeField(null=True, blank=True)
    opted_in_source = models.CharField(max_length=60, blank=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    opted_out_source = models.CharField(max_length=60, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    # WhatsApp's customer-service window: free text within 24 hours of this.
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address_hash"], name="consent_one_per_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.address_masked} {self.status}"


class WebhookCall(models.Model):
    """A provider's call to our webhook, stored as received (answered at once,
    processed by a task). ``key`` makes a replayed call a no-op: the Telegram
    update id, or the SHA-256 of a WhatsApp/SMS body."""

    channel = models.CharField(max_length=10, choices=Channel)
    key = models.CharField(max_length=100)
    body = models.TextField()
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Leased to the worker processing it in a batch (``inbound.calls_process``):
    # others skip it until then; a dead worker's lease simply runs out.
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="webhook_call_once")
        ]
        # Each batch looks for the calls still waiting: a few among many kept.
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=models.Q(processed_at__isnull=True),
                name="webhook_call_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.key}"


class InboundEvent(models.Model):
    """One normalised event of a webhook call: a message, a button pressed, a
    command, or a status report about one of our messages. ``event_key`` (the
    provider's message id, or ``<id>:<status>``) makes each one count once even
    when it comes again inside another call."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        IMAGE = "image", _("Image")
        BUTTON = "button", _("Button reply")
        COMMAND = "command", _("Command")
        STATUS = "status", _("Status")
        OTHER = "other", _("Other")

    channel = models.CharField(max_length=10, choices=Channel)
    event_key = models.CharField(max_length=200)
    call = models.ForeignKey(
        WebhookCall, null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(max_length=10, choices=Kind)
    address = models.CharField(max_length=254, blank=True)
    address_hash = models.CharField(max_length=64, blank=True, db_index=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    handled_by = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "event_key"], name="inbound_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} {self.event_key}"


# --- social accounts (channels/social) ----------------------------------------------
class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    TIKTOK = "tiktok", "TikTok"


class SocialAccount(models.Model):
    """An organisation's account on a social platform, connected through the
    platform's OAuth flow: a Facebook Page or an Instagram professional account.

    The owner is a KIM or a Diskominfo office, named by ``owner_kind`` and
    ``owner_id`` (channels imports no domain app: the owner kinds are registered
    by the apps, see ``channels.social.owners``). The token is kept encrypted
    (Fernet, ``channels.social.crypto``)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnecting")
        REVOKED = "revoked", _("Disconnected")

    platform = models.CharField(_("platform"), max_length=10, choices=Platform)
    owner_kind = models.CharField(_("owner kind"), max_length=20)
    owner_id = models.CharField(_("owner id"), max_length=40)
    owner_name = models.CharField(_("owner"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    external_id = models.CharField(_("account id on the platform"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    username = models.CharField(_("username"), max_length=100, blank=True)
    # The Facebook Page an Instagram account is linked to.
    linked_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked",
    )
    token_encrypted = models.TextField(blank=True, editable=False)
    # X and TikTok: access tokens live hours, the refresh token gets new ones
    # (X rotates it at each use, so the new one replaces it).
    refresh_encrypted = models.TextField(blank=True, editable=False)
    expires_at = models.DateTimeField(_("token expires"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.ACTIVE
    )
    status_detail = models.CharField(_("status detail"), max_length=300, blank=True)
    # Opted in by its owner: the region's editors may publish to it (those who
    # manage the owner always may).
    shared = models.BooleanField(_("open to the region's editors"), default=False)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    connected_at = models.DateTimeField(_("connected"), default=timezone.now)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["owner_name", "platform", "name"]
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="social_account_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="active") | ~models.Q(token_encrypted=""),
                name="social_account_active_has_token",
            ),
        ]
        indexes = [models.Index(fields=["owner_kind", "owner_id"])]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.name}"


class SocialPost(models.Model):
    """One item (an article, a verdict) posted to one account, through one
    outbox row. ``(account, source_key)`` is unique: publishing twice posts once."""

    class Problem(models.TextChoices):
        NONE = "", _("None")
        TOKEN = "token", _("The account must be reconnected")
        IMAGE = "image", _("The platform refused the image")
        REFUSED = "refused", _("The platform refused the post")
        TEMPORARY = "temporary", _("The platform is not answering; trying again")
        # The connection broke after the post was sent: the platform may have
        # it. Not sent again (it could appear twice); the editor checks.
        UNCERTAIN = "uncertain", _("The platform did not confirm the post")
        LIMIT = "limit", _("Waiting for the platform's posting limit")

    account = models.ForeignKey(
        SocialAccount, on_delete=models.CASCADE, related_name="posts"
    )
    # The app's item: "newsroom.article:12" (channels imports no domain app).
    source_key = models.CharField(max_length=100, db_index=True)
    source_title = models.CharField(max_length=200)
    link = models.URLField(max_length=500)
    caption = models.TextField()
    image = models.CharField(max_length=300, blank=True)  # storage name of the JPEG
    outbox = models.OneToOneField(
        OutboxMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_post",
    )
    # Instagram: the media container, kept so that a retry publishes it again
    # rather than creating a second one; X: the uploaded media id; TikTok: the
    # publish id (a retry asks for its status instead of posting again).
    container_id = models.CharField(max_length=64, blank=True)
    platform_post_id = models.CharField(max_length=100, blank=True)
    permalink = models.URLField(max_length=500, blank=True)
    problem = models.CharField(max_length=10, choices=Problem, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("social media post")
        verbose_name_plural = _("social media posts")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "source_key"], name="social_post_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.source_key}"


class SocialInsight(models.Model):
    """The latest figures the platform gives for one post (read by a task)."""

    post = models.OneToOneField(
        SocialPost, on_delete=models.CASCADE, related_name="insight"
    )
    impressions = models.PositiveIntegerField(default=0)
    reach = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("social media insight")
        verbose_name_plural = _("social media insights")

    def __str__(self) -> str:
        return f"{self.post_id}: {self.reach}"
