from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def optional_link(
    to: Any, verbose_name: Any = None, *, related_name: str = "+", **kwargs: Any
) -> Any:
    """A foreign key that may be empty and is emptied when its target is deleted.

    The house's loose references (the staff member who reviewed something, the plan
    a tower came from, the fact-check a tip matched) use it, so deleting an account
    or a plan never deletes the records that point at it.
    """
    return models.ForeignKey(
        to,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        **kwargs,
    )


def staff_link(verbose_name: Any = None, **kwargs: Any) -> Any:
    """Who did something (created, reviewed, answered…): a user ``optional_link``."""
    return optional_link(settings.AUTH_USER_MODEL, verbose_name, **kwargs)


class WorkerHeartbeat(models.Model):
    """Last sign of life of a background worker process (see ``manage.py worker``)."""

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class ScheduledRun(models.Model):
    """When a periodic task was last enqueued (see ``core.schedule``)."""

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued"))

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return self.name


class IdempotencyKey(models.Model):
    """A form sent from a phone's outbox, by the key the phone gave it: the same key
    sent again (a reconnect that lost the first answer) gets the first answer back
    instead of making a second record (see ``core.idempotency``)."""

    key = models.CharField(_("key"), max_length=64)
    scope = models.CharField(_("scope"), max_length=200)  # the path it was sent to
    # 0 while the first send is still being handled.
    status = models.PositiveSmallIntegerField(_("response status"), default=0)
    location = models.CharField(_("redirected to"), max_length=500, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.TextField(_("response body"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "scope"], name="core_idempotency_key_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
