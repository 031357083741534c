"""The fake TikTok APIs and consent page."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from channels.social.testing.api import ApiRequest, _Answer, _FakeApi


def tiktok_error(code: str, message: str = "") -> dict[str, Any]:
    return {"error": {"code": code, "message": message or code, "log_id": "log-1"}}


def _tiktok_ok(data: dict[str, Any]) -> dict[str, Any]:
    return {"data": data, "error": {"code": "ok", "message": "", "log_id": "log-1"}}


class FakeTikTok(_FakeApi):
    """TikTok: the consent page (``/v2/auth/authorize/``), ``/v2/oauth/token/``
    (code and refresh_token grants), ``/v2/oauth/revoke/``,
    ``/v2/user/info/``, ``/v2/post/publish/content/init/`` (photo posts: title
    of 90 characters, description of 4,000, at least one picture URL),
    ``/v2/post/publish/status/fetch/`` (``processing`` status answers first,
    then PUBLISH_COMPLETE, or FAILED with ``fail_reason``) and
    ``/v2/video/query/``."""

    def __init__(self) -> None:
        self.user = {
            "open_id": "tt-open-723",
            "display_name": "KIM Maju Bersama",
            "username": "kimmaju.tgr",
        }
        self.token_lifetime = 86400
        self.processing = 0  # status answers "PROCESSING_DOWNLOAD" this many times
        self.fail_reason = ""  # a post then fails with this reason
        self.stats = {
            "view_count": 2300,
            "like_count": 150,
            "comment_count": 9,
            "share_count": 14,
        }
        self.tokens: dict[str, float] = {}
        self.refresh_tokens: set[str] = set()
        self.published: dict[str, dict[str, Any]] = {}  # publish id → init body
        self._status_calls: dict[str, int] = {}
        super().__init__()

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens = {t: 0.0 for t in self.tokens}

    def _issue(self, n: int) -> dict[str, Any]:
        access, refresh = f"act.tt-{n}", f"rft.tt-{n}"
        self.tokens[access] = time.time() + self.token_lifetime
        self.refresh_tokens.add(refresh)
        return {
            "access_token": access,
            "expires_in": self.token_lifetime,
            "open_id": self.user["open_id"],
            "refresh_token": refresh,
            "refresh_expires_in": 31536000,
            "scope": "user.info.basic,video.publish,video.list",
            "token_type": "Bearer",
        }

    def ok(self, request: ApiRequest, n: int) -> _Answer:
        path, q, form = request.path.rstrip("/") + "/", request.query, request.form
        body = request.json if isinstance(request.json, dict) else {}
        if path.endswith("/v2/auth/authorize/"):
            query = urlencode({"code": f"tt-code-{n}", "state": q.get("state", "")})
            return _Answer(302, None, {"Location": f"{q['redirect_uri']}?{query}"})
        if path.endswith("/v2/oauth/token/"):
            if not form.get("client_secret"):
                return _Answer(401, {"error": "invalid_client"}, {})
            grant = form.get("grant_type")
            if grant == "authorization_code" and form.get("code", "").startswith(
                "tt-code-"
            ):
                return _Answer(200, self._issue(n), {})
            if grant == "refresh_token" and form.get("refresh_token") in (
                self.refresh_tokens
            ):
                return _Answer(200, self._issue(n), {})
            return _Answer(
                400,
                {"error": "invalid_grant", "error_description": "bad grant"},
                {},
            )
        if path.endswith("/v2/oauth/revoke/"):
            self.tokens.pop(form.get("token", ""), None)
            return _Answer(200, {}, {})
        if self.tokens.get(self.bearer(request), 0) < time.time():
            return _Answer(
                401,
                tiktok_error("access_token_invalid", "The access token is invalid"),
                {},
            )
        if path.endswith("/v2/user/info/"):
            return _Answer(200, _tiktok_ok({"user": dict(self.user)}), {})
        if path.endswith("/v2/post/publish/content/init/"):
            info = body.get("post_info") or {}
            source = body.get("source_info") or {}
            if (
                body.get("media_type") != "PHOTO"
                or not source.get("photo_images")
                or len(str(info.get("title", ""))) > 90
                or len(str(info.get("description", ""))) > 4000
            ):
                return _Answer(400, tiktok_error("invalid_params"), {})
            publish_id = f"p_pub_url~v2.{n}"
            self.published[publish_id] = body
            return _Answer(200, _tiktok_ok({"publish_id": publish_id}), {})
        if path.endswith("/v2/post/publish/status/fetch/"):
            publish_id = str(body.get("publish_id", ""))
            if publish_id not in self.published:
                return _Answer(400, tiktok_error("invalid_publish_id"), {})
            calls = self._status_calls.get(publish_id, 0) + 1
            self._status_calls[publish_id] = calls
            if calls <= self.processing:
                return _Answer(200, _tiktok_ok({"status": "PROCESSING_DOWNLOAD"}), {})
            if self.fail_reason:
                return _Answer(
                    200,
                    _tiktok_ok({"status": "FAILED", "fail_reason": self.fail_reason}),
                    {},
                )
            post_id = f"75{publish_id.rsplit('.', 1)[-1].zfill(6)}"
            return _Answer(
                200,
                _tiktok_ok(
                    {
                        "status": "PUBLISH_COMPLETE",
                        "publicaly_available_post_id": [post_id],
                    }
                ),
                {},
            )
        if path.endswith("/v2/video/query/"):
            ids = (body.get("filters") or {}).get("video_ids") or []
            return _Answer(
                200,
                _tiktok_ok(
                    {
                        "videos": [{"id": i, **self.stats} for i in ids],
                        "cursor": 0,
                        "has_more": False,
                    }
                ),
                {},
            )
        return _Answer(404, tiktok_error("not_found"), {})
