"""The fake X API v2 and its consent page."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from channels.social.testing.api import ApiRequest, _Answer, _FakeApi


def x_error(status: int, detail: str) -> dict[str, Any]:
    return {"title": detail, "detail": detail, "type": "about:blank", "status": status}


_URL = re.compile(r"https?://\S+")


class FakeX(_FakeApi):
    """X API v2: the consent page (``/i/oauth2/authorize``, which sends the
    person back with a code), ``/2/oauth2/token`` (checks the PKCE verifier
    against the challenge, and the client's Basic auth; refresh tokens are
    replaced at each use, as X does), ``/2/oauth2/revoke``, ``/2/users/me``,
    ``/2/media/upload`` (JPEG only), ``/2/tweets`` (280 weighted characters,
    links counted as 23; the same text twice is refused with 403, as X
    does), ``/2/tweets/<id>`` with ``public_metrics`` and
    ``non_public_metrics``, and ``/2/users/<id>/tweets`` (the account's posts
    as X shows them: t.co links, HTML-escaped). Tokens expire after
    ``token_lifetime`` seconds; ``expire_tokens()`` ends them all."""

    def __init__(self) -> None:
        self.user = {
            "id": "44196397",
            "name": "KIM Maju Bersama",
            "username": "kimmaju",
        }
        self.token_lifetime = 7200
        self.metrics = {
            "impression_count": 900,
            "like_count": 40,
            "retweet_count": 6,
            "quote_count": 2,
            "reply_count": 5,
        }
        self.challenges: dict[str, str] = {}  # code → PKCE challenge
        self.tokens: dict[str, float] = {}  # access token → expiry (epoch)
        self.refresh_tokens: set[str] = set()
        self.posts: dict[str, str] = {}  # id → text
        self.posted_at: dict[str, float] = {}  # id → epoch
        self.post_media: dict[str, bool] = {}  # id → has a picture
        self.media: dict[str, bytes] = {}
        # The account's own posts also carry non_public_metrics (X gives them
        # for 30 days); False answers that field with an error, as X does
        # for an older post.
        self.non_public = True
        self.non_public_metrics = {
            "impression_count": 1200,
            "url_link_clicks": 30,
            "user_profile_clicks": 4,
        }
        super().__init__()

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens = {t: 0.0 for t in self.tokens}

    def _shown(self, post_id: str) -> str:
        """A post's text as X gives it back: ``&<>`` escaped, links as t.co
        links, the picture's link at the end."""
        text = self.posts[post_id]
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = _URL.sub(lambda m: f"https://t.co/{abs(hash(m.group())) % 10**8}", text)
        if self.post_media.get(post_id):
            text += f" https://t.co/m{post_id[-6:]}"
        return text

    def _issue(self, n: int) -> dict[str, Any]:
        access, refresh = f"x-access-{n}", f"x-refresh-{n}"
        self.tokens[access] = time.time() + self.token_lifetime
        self.refresh_tokens.add(refresh)
        return {
            "token_type": "bearer",
            "expires_in": self.token_lifetime,
            "access_token": access,
            "refresh_token": refresh,
            "scope": "tweet.read tweet.write users.read media.write offline.access",
        }

    def ok(self, request: ApiRequest, n: int) -> _Answer:
        path, q, form = request.path.rstrip("/"), request.query, request.form
        if path.endswith("/i/oauth2/authorize"):
            code = f"x-code-{n}"
            self.challenges[code] = q.get("code_challenge", "")
            query = urlencode({"code": code, "state": q.get("state", "")})
            return _Answer(302, None, {"Location": f"{q['redirect_uri']}?{query}"})
        if path.endswith("/2/oauth2/token"):
            if not request.headers.get("authorization", "").startswith("Basic "):
                return _Answer(401, {"error": "unauthorized_client"}, {})
            if form.get("grant_type") == "authorization_code":
                challenge = self.challenges.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "").encode()
                expected = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if challenge is None or challenge != expected:
                    return _Answer(
                        400,
                        {"error": "invalid_request", "error_description": "bad code"},
                        {},
                    )
                return _Answer(200, self._issue(n), {})
            if form.get("grant_type") == "refresh_token":
                old = form.get("refresh_token", "")
                if old not in self.refresh_tokens:
                    return _Answer(
                        400,
                        {
                            "error": "invalid_grant",
                            "error_description": "Value passed for the token "
                            "was invalid.",
                        },
                        {},
                    )
                self.refresh_tokens.discard(old)
                return _Answer(200, self._issue(n), {})
            return _Answer(400, {"error": "unsupported_grant_type"}, {})
        if path.endswith("/2/oauth2/revoke"):
            self.tokens.pop(form.get("token", ""), None)
            return _Answer(200, {"revoked": True}, {})
        if self.tokens.get(self.bearer(request), 0) < time.time():
            return _Answer(401, x_error(401, "Unauthorized"), {})
        if path.endswith("/2/users/me"):
            return _Answer(200, {"data": dict(self.user)}, {})
        if path.endswith("/2/media/upload"):
            data = request.files.get("media", b"")
            if not data.startswith(b"\xff\xd8"):
                return _Answer(400, x_error(400, "media type unrecognized"), {})
            media_id = f"17100{n}"
            self.media[media_id] = data
            return _Answer(
                200,
                {
                    "data": {
                        "id": media_id,
                        "media_key": f"3_{media_id}",
                        "size": len(data),
                    }
                },
                {},
            )
        if path.endswith("/2/tweets") and request.method == "POST":
            body = request.json if isinstance(request.json, dict) else {}
            text = str(body.get("text", ""))
            weight = len(_URL.sub("x" * 23, text))
            if weight > 280:
                return _Answer(400, x_error(400, "text is too long"), {})
            if text in self.posts.values():
                return _Answer(
                    403,
                    x_error(
                        403,
                        "You are not allowed to create a Tweet with duplicate content.",
                    ),
                    {},
                )
            for media_id in (body.get("media") or {}).get("media_ids", []):
                if media_id not in self.media:
                    return _Answer(400, x_error(400, "media id invalid"), {})
            post_id = f"18600{n}"
            self.posts[post_id] = text
            self.posted_at[post_id] = time.time()
            self.post_media[post_id] = bool((body.get("media") or {}).get("media_ids"))
            return _Answer(201, {"data": {"id": post_id, "text": text}}, {})
        if "/2/users/" in path and path.endswith("/tweets"):
            if path.split("/")[-2] != self.user["id"]:
                return _Answer(404, x_error(404, "Not Found"), {})
            since = q.get("start_time", "")
            start = (
                datetime.fromisoformat(since.replace("Z", "+00:00")).timestamp()
                if since
                else 0.0
            )
            rows = [
                {
                    "id": post_id,
                    "text": self._shown(post_id),
                    "created_at": datetime.fromtimestamp(
                        self.posted_at[post_id], UTC
                    ).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                }
                for post_id in sorted(
                    self.posts, key=lambda p: self.posted_at[p], reverse=True
                )
                if self.posted_at[post_id] >= start
            ][: int(q.get("max_results") or 10)]
            answer: dict[str, Any] = {"meta": {"result_count": len(rows)}}
            if rows:
                answer["data"] = rows
            return _Answer(200, answer, {})
        if "/2/tweets/" in path and request.method == "GET":
            post_id = path.rsplit("/", 1)[-1]
            if post_id not in self.posts:
                return _Answer(404, x_error(404, "Not Found"), {})
            fields = q.get("tweet.fields", "").split(",")
            tweet: dict[str, Any] = {"id": post_id, "text": self._shown(post_id)}
            if "public_metrics" in fields:
                tweet["public_metrics"] = dict(self.metrics)
            answer = {"data": tweet}
            if "non_public_metrics" in fields:
                if self.non_public:
                    tweet["non_public_metrics"] = dict(self.non_public_metrics)
                else:
                    answer["errors"] = [
                        {
                            "title": "Field Authorization Error",
                            "detail": "Sorry, you are not authorized to access "
                            "'non_public_metrics' on a Tweet.",
                            "field": "non_public_metrics",
                            "resource_id": post_id,
                        }
                    ]
            return _Answer(200, answer, {})
        return _Answer(404, x_error(404, "unknown path"), {})
