"""X API v2: OAuth 2.0 authorization code with PKCE (a confidential client:
the token calls carry HTTP Basic auth with the client id and secret), posts
with one image, public metrics.

Access tokens live two hours; with the ``offline.access`` scope X gives a
refresh token, which it replaces at each use (the new one must be kept).

Errors: 401 (token expired or revoked) and ``invalid_grant`` on a refresh are
``TokenError``; 429 and 5xx ``TemporaryError`` (after ``x-rate-limit-reset``
when given); a 4xx on the media upload ``ImageRefused``; the rest (a duplicate
post is 403) ``PermanentError``.
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings

from channels.senders import PermanentError, TemporaryError, retry_after_seconds
from channels.social.client import (
    ApiClient,
    ImageRefused,
    Profile,
    TokenError,
    Tokens,
    as_int,
)

SCOPES = "tweet.read tweet.write users.read media.write offline.access"
_URL = re.compile(r"https?://\S+")
# Posts of the account read back when looking for one that may be up.
LOOKUP_MAX = 20


def text_key(text: str) -> str:
    """A post's text as X gives it back and as it was sent, made comparable: X
    escapes ``&<>`` as HTML, writes links as t.co links and appends the
    picture's link, so links are left out and spaces collapsed."""
    return " ".join(_URL.sub(" ", html.unescape(text)).split())


class XClient(ApiClient):
    name = "x"

    def url(self, path: str) -> str:
        return f"{settings.SOCIAL_X_API_BASE}/{path.lstrip('/')}"

    @staticmethod
    def error(
        response: httpx.Response, data: dict[str, Any], *, image: bool = False
    ) -> Exception:
        errors = data.get("errors")
        first = errors[0] if isinstance(errors, list) and errors else {}
        first = first if isinstance(first, dict) else {}
        detail = (
            data.get("detail")
            or data.get("error_description")
            or first.get("message")
            or data.get("title")
            or data.get("error")
            or ""
        )
        text = f"x: HTTP {response.status_code} {detail}"[:300]
        status = response.status_code
        if status == 401 or data.get("error") == "invalid_grant":
            return TokenError(text, code="401")
        if status == 429 or status >= 500:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            reset = response.headers.get("x-rate-limit-reset", "")
            if wait is None and reset.isdigit():
                wait = max(0.0, int(reset) - time.time())
            return TemporaryError(text, code=str(status), retry_after=wait)
        if image:
            return ImageRefused(text, code=str(status))
        return PermanentError(text, code=str(status))

    def problem(
        self, response: httpx.Response, data: dict[str, Any], *, image: bool
    ) -> Exception | None:
        if response.status_code < 400:
            return None
        return self.error(response, data, image=image)

    # --- OAuth ----------------------------------------------------------------------
    @staticmethod
    def authorize_url(*, redirect_uri: str, state: str, challenge: str) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": settings.X_CLIENT_ID,
                "redirect_uri": redirect_uri,
                "scope": SCOPES,
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{settings.SOCIAL_X_AUTHORIZE_URL}?{query}"

    def _token(self, **form: str) -> Tokens:
        data = self.call(
            "POST",
            "2/oauth2/token",
            data={**form, "client_id": settings.X_CLIENT_ID},
            auth=(settings.X_CLIENT_ID, settings.X_CLIENT_SECRET),
        )
        return self.tokens(data)

    def code_exchange(self, *, code: str, redirect_uri: str, verifier: str) -> Tokens:
        return self._token(
            grant_type="authorization_code",
            code=code,
            redirect_uri=redirect_uri,
            code_verifier=verifier,
        )

    def revoke(self, *, token: str) -> None:
        self.call(
            "POST",
            "2/oauth2/revoke",
            data={
                "token": token,
                "token_type_hint": "access_token",
                "client_id": settings.X_CLIENT_ID,
            },
            auth=(settings.X_CLIENT_ID, settings.X_CLIENT_SECRET),
        )

    def me(self, *, token: str) -> Profile:
        data = self.call("GET", "2/users/me", token=token).get("data") or {}
        return Profile(
            id=str(data.get("id", "")),
            name=str(data.get("name", ""))[:200],
            username=str(data.get("username", ""))[:100],
        )

    # --- posting --------------------------------------------------------------------
    def media_upload(self, *, token: str, data: bytes) -> str:
        answer = self.call(
            "POST",
            "2/media/upload",
            token=token,
            image=True,
            data={"media_category": "tweet_image", "media_type": "image/jpeg"},
            files={"media": ("image.jpg", data, "image/jpeg")},
        )
        media = answer.get("data") or {}
        media_id = str(media.get("id", "")) if isinstance(media, dict) else ""
        if not media_id:
            raise ImageRefused("x: the upload gave no media id", code="image")
        return media_id

    def post(self, *, token: str, text: str, media_id: str = "") -> str:
        payload: dict[str, Any] = {"text": text}
        if media_id:
            payload["media"] = {"media_ids": [media_id]}
        data = self.call("POST", "2/tweets", token=token, creates=True, json=payload)
        post = data.get("data") or {}
        return str(post.get("id", "")) if isinstance(post, dict) else ""

    @staticmethod
    def permalink(*, username: str, post_id: str) -> str:
        return f"https://x.com/{username or 'i/web'}/status/{post_id}"

    def find_post(self, *, token: str, user_id: str, text: str, since: datetime) -> str:
        """The id of the account's post made since ``since`` with this text
        (the one a timed-out request may have made), else "". X keeps no
        idempotency key, so the text is the match: X itself refuses the same
        text twice, so two posts of one account never share it."""
        data = self.call(
            "GET",
            f"2/users/{user_id}/tweets",
            token=token,
            params={
                "max_results": LOOKUP_MAX,
                "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "tweet.fields": "created_at",
                "exclude": "retweets,replies",
            },
        ).get("data")
        wanted = text_key(text)
        if not wanted:
            return ""
        for row in data if isinstance(data, list) else []:
            if isinstance(row, dict) and text_key(str(row.get("text", ""))) == wanted:
                return str(row.get("id", ""))
        return ""

    # --- insights -------------------------------------------------------------------
    def metrics(self, *, token: str, post_id: str) -> dict[str, int]:
        """A post's figures. Impressions from ``non_public_metrics`` (the
        account's own posts, for 30 days), else from ``public_metrics``; X
        gives no unique reach, so reach stays 0. Likes are reactions, reposts
        and quotes shares, replies comments."""
        try:
            answer = self.call(
                "GET",
                f"2/tweets/{post_id}",
                token=token,
                params={"tweet.fields": "public_metrics,non_public_metrics"},
            )
        except PermanentError:
            # An older post refuses the private field outright.
            answer = {}
        data = answer.get("data")
        if not isinstance(data, dict) or not isinstance(
            data.get("public_metrics"), dict
        ):
            data = self.call(
                "GET",
                f"2/tweets/{post_id}",
                token=token,
                params={"tweet.fields": "public_metrics"},
            ).get("data")
        data = data if isinstance(data, dict) else {}
        public = data.get("public_metrics")
        m = public if isinstance(public, dict) else {}
        private = data.get("non_public_metrics")
        impressions = as_int(m.get("impression_count"))
        if isinstance(private, dict) and "impression_count" in private:
            impressions = as_int(private.get("impression_count"))
        return {
            "impressions": impressions,
            "reach": 0,
            "reactions": as_int(m.get("like_count")),
            "shares": as_int(m.get("retweet_count")) + as_int(m.get("quote_count")),
            "comments": as_int(m.get("reply_count")),
        }
