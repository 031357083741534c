from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import AuditEntry, User
from accounts.services import audit_record


@receiver(user_logged_in)
def _audit_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    audit_record(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        obj=user,
        region_code=user.region_id or "",
    )


@receiver(user_login_failed)
def _audit_login_failed(
    sender: Any, credentials: dict[str, Any], **kwargs: Any
) -> None:
    # The identifier typed may be personal data (a phone number): keep it out.
    audit_record(
        actor=None,
        action=AuditEntry.Action.LOGIN_FAILED,
        object_type="accounts.user",
    )
