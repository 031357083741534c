"""TikTok: Login Kit (OAuth 2.0 v2), Content Posting API photo posts, and the
Display API's video query for figures.

Access tokens live 24 hours, refresh tokens a year (a refresh may give a new
one). A photo post is ``POST /v2/post/publish/content/init/`` with
``media_type=PHOTO`` and the JPEG's public URL (``PULL_FROM_URL``: the URL's
domain must be verified in the TikTok app); TikTok then downloads and
processes it, and ``/v2/post/publish/status/fetch/`` says when it is up and
under which post id.

Every answer carries ``error.code`` ("ok" when it went well):
``access_token_invalid``/``scope_not_authorized`` are ``TokenError``;
``rate_limit_exceeded``, ``spam_risk_too_many_posts``, ``internal_error`` and
5xx ``TemporaryError``; a failed download or refused picture ``ImageRefused``;
the rest ``PermanentError``.
"""

from __future__ import annotations

from dataclasses import dataclass
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

SCOPES = "user.info.basic,user.info.profile,video.publish,video.list"
TOKEN_CODES = {"access_token_invalid", "scope_not_authorized", "invalid_grant"}
TEMPORARY_CODES = {"rate_limit_exceeded", "internal_error", "spam_risk_too_many_posts"}
IMAGE_CODES = {"url_ownership_unverified", "file_format_check_failed"}
# Reasons a photo post fails after init because of its picture.
IMAGE_REASONS = ("picture", "photo", "image", "file_format", "download", "size")
# The daily cap per creator: wait a few hours rather than a minute.
CAP_WAIT = 6 * 3600
TITLE_MAX = 90


@dataclass(frozen=True)
class PublishStatus:
    status: str  # PROCESSING_DOWNLOAD, PROCESSING_UPLOAD, PUBLISH_COMPLETE, FAILED…
    fail_reason: str
    post_id: str  # empty until it is public (or for a private post)

    @property
    def done(self) -> bool:
        return self.status in ("PUBLISH_COMPLETE", "SEND_TO_USER_INBOX")

    @property
    def failed(self) -> bool:
        return self.status == "FAILED"


class TikTokClient(ApiClient):
    name = "tiktok"

    def url(self, path: str) -> str:
        return f"{settings.SOCIAL_TIKTOK_API_BASE}/{path.lstrip('/')}"

    @staticmethod
    def error(response: httpx.Response, data: dict[str, Any]) -> Exception | None:
        """None when the answer is a success."""
        error = data.get("error")
        if isinstance(error, dict):
            code = str(error.get("code", ""))
            message = str(error.get("message", ""))
        else:  # the token endpoint: {"error": "invalid_grant", …}
            code = str(error or "")
            message = str(data.get("error_description", ""))
        status = response.status_code
        if status < 400 and code in ("", "ok"):
            return None
        text = f"tiktok: HTTP {status} {code} {message}"[:300]
        if status == 401 or code in TOKEN_CODES:
            return TokenError(text, code=code or "401")
        if status == 429 or status >= 500 or code in TEMPORARY_CODES:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if code == "spam_risk_too_many_posts":
                # The creator's posts per day: shown as waiting for the limit.
                return TemporaryError(
                    text, code="limit", retry_after=max(wait or 0, CAP_WAIT)
                )
            return TemporaryError(text, code=code or str(status), retry_after=wait)
        if code in IMAGE_CODES:
            return ImageRefused(text, code=code)
        return PermanentError(text, code=code or str(status))

    def problem(
        self, response: httpx.Response, data: dict[str, Any], *, image: bool
    ) -> Exception | None:
        # TikTok names a refused picture by its error code, whatever the call.
        return self.error(response, data)

    # --- OAuth ----------------------------------------------------------------------
    @staticmethod
    def authorize_url(*, redirect_uri: str, state: str) -> str:
        query = urlencode(
            {
                "client_key": settings.TIKTOK_CLIENT_KEY,
                "response_type": "code",
                "scope": SCOPES,
                "redirect_uri": redirect_uri,
                "state": state,
            }
        )
        return f"{settings.SOCIAL_TIKTOK_AUTHORIZE_URL}?{query}"

    def _token(self, **form: str) -> Tokens:
        data = self.call(
            "POST",
            "v2/oauth/token/",
            data={
                **form,
                "client_key": settings.TIKTOK_CLIENT_KEY,
                "client_secret": settings.TIKTOK_CLIENT_SECRET,
            },
        )
        return self.tokens(data)

    def code_exchange(self, *, code: str, redirect_uri: str) -> Tokens:
        return self._token(
            grant_type="authorization_code", code=code, redirect_uri=redirect_uri
        )

    def revoke(self, *, token: str) -> None:
        self.call(
            "POST",
            "v2/oauth/revoke/",
            data={
                "token": token,
                "client_key": settings.TIKTOK_CLIENT_KEY,
                "client_secret": settings.TIKTOK_CLIENT_SECRET,
            },
        )

    def me(self, *, token: str) -> Profile:
        data = self.call(
            "GET",
            "v2/user/info/",
            token=token,
            params={"fields": "open_id,display_name,username"},
        ).get("data")
        user = data.get("user") if isinstance(data, dict) else None
        user = user if isinstance(user, dict) else {}
        return Profile(
            id=str(user.get("open_id", "")),
            name=str(user.get("display_name", ""))[:200],
            username=str(user.get("username", ""))[:100],
        )

    # --- posting --------------------------------------------------------------------
    def photo_init(
        self, *, token: str, title: str, description: str, image_url: str
    ) -> str:
        """Starts a photo post; its publish id."""
        data = self.call(
            "POST",
            "v2/post/publish/content/init/",
            token=token,
            creates=True,
            json={
                "post_info": {
                    "title": title[:TITLE_MAX],
                    "description": description,
                    "privacy_level": settings.SOCIAL_TIKTOK_PRIVACY,
                    "disable_comment": False,
                    "auto_add_music": True,
                },
                "source_info": {
                    "source": "PULL_FROM_URL",
                    "photo_cover_index": 0,
                    "photo_images": [image_url],
                },
                "post_mode": "DIRECT_POST",
                "media_type": "PHOTO",
            },
        ).get("data")
        publish_id = str(data.get("publish_id", "")) if isinstance(data, dict) else ""
        if not publish_id:
            raise PermanentError("tiktok: no publish id in the answer", code="init")
        return publish_id

    def status(self, *, token: str, publish_id: str) -> PublishStatus:
        data = self.call(
            "POST",
            "v2/post/publish/status/fetch/",
            token=token,
            json={"publish_id": publish_id},
        ).get("data")
        data = data if isinstance(data, dict) else {}
        # (sic) TikTok's field name.
        ids = data.get("publicaly_available_post_id") or []
        return PublishStatus(
            status=str(data.get("status", "")),
            fail_reason=str(data.get("fail_reason", ""))[:200],
            post_id=str(ids[0]) if isinstance(ids, list) and ids else "",
        )

    @staticmethod
    def image_reason(reason: str) -> bool:
        return any(part in reason.lower() for part in IMAGE_REASONS)

    @staticmethod
    def permalink(*, username: str, post_id: str) -> str:
        if not username or not post_id:
            return ""
        return f"https://www.tiktok.com/@{username}/photo/{post_id}"

    # --- insights -------------------------------------------------------------------
    def stats(self, *, token: str, post_id: str) -> dict[str, int] | None:
        """View, like, comment and share counts of one post (Display API, scope
        ``video.list``). TikTok documents the query for videos; a photo post it
        does not return gives None. No reach: views count as impressions."""
        data = self.call(
            "POST",
            "v2/video/query/",
            token=token,
            params={"fields": "id,view_count,like_count,comment_count,share_count"},
            json={"filters": {"video_ids": [post_id]}},
        ).get("data")
        videos = data.get("videos") if isinstance(data, dict) else None
        row = next(
            (
                v
                for v in (videos if isinstance(videos, list) else [])
                if isinstance(v, dict) and str(v.get("id")) == post_id
            ),
            None,
        )
        if row is None:
            return None
        return {
            "impressions": as_int(row.get("view_count")),
            "reach": 0,
            "reactions": as_int(row.get("like_count")),
            "shares": as_int(row.get("share_count")),
            "comments": as_int(row.get("comment_count")),
        }
