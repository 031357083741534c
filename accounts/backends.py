from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User
from accounts.phones import InvalidPhoneNumber, normalize_phone


class EmailOrPhoneBackend(ModelBackend):
    """Sign in with an email address or a phone number (any Indonesian format)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        identifier = (username or kwargs.get("email") or "").strip()
        if not identifier or password is None:
            return None
        user = self._find(identifier)
        if user is None:
            # Spend the same time as a real check so timing does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    @staticmethod
    def _find(identifier: str) -> User | None:
        if "@" in identifier:
            return User.objects.filter(email__iexact=identifier).first()
        try:
            phone = normalize_phone(identifier)
        except InvalidPhoneNumber:
            return None
        return User.objects.filter(phone=phone).first()
