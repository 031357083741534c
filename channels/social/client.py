"""What the X and TikTok clients share: one connection pool, OAuth 2.0 token
answers, and the errors' meaning for the outbox.

A request that never reached the platform (connection refused, connect
timeout) or that it answered with 429/5xx is tried again (``TemporaryError``).
A connection that broke *after* a post was sent is ``Uncertain``: the platform
may have the post, so it is not simply sent again (it could appear twice);
the sender looks it up first where the platform allows it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import httpx

from channels.senders import HttpPool

# The Graph client defines the errors every platform shares.
from channels.social.graph import (
    ImageRefused,
    TokenError,
    Uncertain,
    transport_error,
)

__all__ = [
    "ApiClient",
    "ImageRefused",
    "Profile",
    "TokenError",
    "Tokens",
    "Uncertain",
    "pkce_pair",
]


@dataclass(frozen=True)
class Tokens:
    access: str
    refresh: str
    expires_in: int | None
    account_id: str = ""  # TikTok's open_id comes with the tokens


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    username: str


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge) of RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def as_int(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and value >= 0 else 0


class ApiClient(HttpPool):
    """One platform's API: its base URL (``url``), what its answers mean
    (``problem``) and its token endpoint (``_token``); the calls, the refresh
    flow and the token answers are the same for X and TikTok."""

    name = ""

    def url(self, path: str) -> str:
        raise NotImplementedError

    def problem(
        self, response: httpx.Response, data: dict[str, Any], *, image: bool
    ) -> Exception | None:
        """The error an answer means, None when it is a success."""
        raise NotImplementedError

    def _token(self, **form: str) -> Tokens:
        raise NotImplementedError

    def send(
        self, method: str, url: str, *, creates: bool = False, **kwargs: Any
    ) -> httpx.Response:
        """The platform's answer. ``creates``: this request makes a post, so a
        connection lost after sending it is ``Uncertain``, not temporary."""
        try:
            return self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise transport_error(self.name, exc, creates=creates) from exc

    def call(
        self,
        method: str,
        path: str,
        *,
        token: str = "",
        creates: bool = False,
        image: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The answer's JSON; ``image``: a refusal means the picture."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.send(
            method, self.url(path), creates=creates, headers=headers, **kwargs
        )
        data = self.json(response)
        problem = self.problem(response, data, image=image)
        if problem is not None:
            raise problem
        return data

    def refresh(self, *, refresh_token: str) -> Tokens:
        return self._token(grant_type="refresh_token", refresh_token=refresh_token)

    @staticmethod
    def tokens(data: dict[str, Any], *, account_id: str = "") -> Tokens:
        expires = data.get("expires_in")
        return Tokens(
            access=str(data.get("access_token", "")),
            refresh=str(data.get("refresh_token", "")),
            expires_in=int(expires) if isinstance(expires, int | float) else None,
            account_id=account_id or str(data.get("open_id", "")),
        )
