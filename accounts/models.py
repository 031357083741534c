from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import optional_link


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Provincial Diskominfo admin")
    REGENCY_ADMIN = "regency_admin", _("Regency/city Diskominfo admin")
    DISTRICT_OPERATOR = "district_operator", _("District (kecamatan) operator")
    KIM_COORDINATOR = "kim_coordinator", _("KIM coordinator")
    KIM_MEMBER = "kim_member", _("KIM member")
    FACT_CHECKER = "fact_checker", _("Fact-checker")
    EDITOR = "editor", _("Editor")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.PROVINCE_ADMIN)
        extra["is_superuser"] = True
        extra["is_staff"] = True
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: Diskominfo staff, KIM coordinators and members, …

    Every account except a superuser's is bound to a region; the permission layer
    (``accounts.permissions``) limits what it sees to that region and below. A KIM
    coordinator's KIM is recorded by the network app on the KIM's side.
    """

    email = models.EmailField(_("email"), unique=True)
    phone = models.CharField(
        _("phone number"), max_length=16, unique=True, null=True, blank=True
    )
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("region"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the Django admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_superuser=True) | Q(region__isnull=False),
                name="user_region_required_unless_superuser",
            ),
            models.CheckConstraint(
                condition=Q(phone__isnull=True)
                | Q(phone__regex=r"^\+[1-9][0-9]{6,14}$"),
                name="user_phone_e164",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class AuditEntry(models.Model):
    """Who changed what, and when. Written by services, never edited."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_failed", _("failed to sign in")
        EXPORT = "export", _("exported")
        PUBLISH = "publish", _("published")
        OTHER = "other", _("other")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = optional_link(User, _("actor"), related_name="audit_entries")
    actor_label = models.CharField(_("actor name"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    region_code = models.CharField(
        _("region code"), max_length=13, blank=True, db_index=True
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        who = self.actor_label or "-"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_repr}"


class ApiToken(models.Model):
    """A bearer token for the write API. Only a hash of the secret is stored."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
