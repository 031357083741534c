"""A local stand-in for Meta's Graph API and login dialog, for tests of every
app that connects or posts to social accounts (no real platform is called).

Speaks the endpoints Simpul uses: ``GET /dialog/oauth`` (redirects back with a
code, as the real dialog does after the person agrees), ``GET
/oauth/access_token`` (code exchange and ``fb_exchange_token``), ``GET
/me/accounts``, ``POST /<page>/feed`` (kept: ``GET
/<page>/published_posts`` lists them), ``POST /<ig user>/media`` and
``/media_publish`` (a container publishes once; ``GET /<ig user>/media``
lists what was published), ``GET /<object>`` (permalinks, counts) and
``GET /<object>/insights``. ``fail_next`` queues error answers (Meta's error
body), ``hang_next`` a stall longer than the client's timeout. Fixtures:
``channels.tests.fixtures.fake_graph``.
"""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit


@dataclass
class GraphRequest:
    method: str
    path: str
    params: dict[str, str]


@dataclass
class _Queued:
    status: int
    body: dict[str, Any]
    hang: float = 0.0
    path_part: str = ""
    # After the stall, do nothing: the request was lost, not just its answer.
    drop: bool = False


@dataclass
class FakePage:
    id: str
    name: str
    instagram_id: str = ""
    instagram_username: str = ""
    token: str = ""


def graph_error(
    code: int, message: str = "", subcode: int | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message or f"error {code}", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


class FakeGraph:
    def __init__(self) -> None:
        self.requests: list[GraphRequest] = []
        self.queued: list[_Queued] = []
        self.pages: list[FakePage] = [
            FakePage("1010", "KIM Maju Bersama", "1787", "kimmajubersama")
        ]
        self.insights: dict[str, int] = {
            "impressions": 1500,
            "reach": 1200,
            "reactions": 85,
            "shares": 12,
            "comments": 7,
        }
        self.token_lifetime = 60 * 24 * 3600
        # Page posts made (what ``/<page>/published_posts`` lists).
        self.feed: list[dict[str, Any]] = []
        # Instagram containers (id → user, caption, status) and media made.
        self.containers: dict[str, dict[str, str]] = {}
        self.ig_media: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._n = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def _params(self) -> tuple[str, dict[str, str]]:
                parts = urlsplit(self.path)
                params = dict(parse_qsl(parts.query))
                if self.command == "POST":
                    length = int(self.headers.get("Content-Length") or 0)
                    raw = self.rfile.read(length).decode()
                    params.update(dict(parse_qsl(raw)))
                return parts.path, params

            def _handle(self) -> None:
                path, params = self._params()
                status, body, headers = fake._answer(self.command, path, params)
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _handle
            do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    # --- test controls --------------------------------------------------------------
    def fail_next(
        self,
        status: int,
        body: dict[str, Any] | None = None,
        *,
        times: int = 1,
        path_part: str = "",
    ) -> None:
        """The next request (whose path contains ``path_part``) gets this."""
        with self._lock:
            self.queued.extend(
                _Queued(status, body or {}, path_part=path_part) for _ in range(times)
            )

    def hang_next(self, seconds: float, *, path_part: str = "") -> None:
        with self._lock:
            self.queued.append(_Queued(200, {}, hang=seconds, path_part=path_part))

    def calls(self, path_part: str = "", method: str = "") -> list[GraphRequest]:
        return [
            r
            for r in self.requests
            if path_part in r.path and (not method or r.method == method)
        ]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- answers --------------------------------------------------------------------
    def _answer(
        self, method: str, path: str, params: dict[str, str]
    ) -> tuple[int, dict[str, Any] | None, dict[str, str]]:
        with self._lock:
            self.requests.append(GraphRequest(method, path, params))
            self._n += 1
            n = self._n
            queued = next((q for q in self.queued if q.path_part in path), None)
            if queued is not None:
                self.queued.remove(queued)
        if queued is not None:
            if queued.hang:
                time.sleep(queued.hang)
            else:
                return queued.status, queued.body, {}
        return self.ok(method, path.strip("/").split("/"), params, n)

    def ok(
        self, method: str, parts: list[str], params: dict[str, str], n: int
    ) -> tuple[int, dict[str, Any] | None, dict[str, str]]:
        if parts[-2:] == ["dialog", "oauth"]:
            # The person agreed: back to Simpul with a code and the same state.
            query = urlencode({"code": f"code-{n}", "state": params.get("state", "")})
            return 302, None, {"Location": f"{params['redirect_uri']}?{query}"}
        if parts[-2:] == ["oauth", "access_token"]:
            if params.get("grant_type") == "fb_exchange_token":
                return (
                    200,
                    {
                        "access_token": f"long-{n}",
                        "token_type": "bearer",
                        "expires_in": self.token_lifetime,
                    },
                    {},
                )
            return 200, {"access_token": f"short-{n}", "token_type": "bearer"}, {}
        if parts[-2:] == ["me", "accounts"]:
            data = []
            for page in self.pages:
                row: dict[str, Any] = {
                    "id": page.id,
                    "name": page.name,
                    "access_token": page.token or f"page-token-{page.id}",
                }
                if page.instagram_id:
                    row["instagram_business_account"] = {
                        "id": page.instagram_id,
                        "username": page.instagram_username,
                    }
                data.append(row)
            return 200, {"data": data}, {}
        if method == "POST" and parts[-1] == "feed":
            post_id = f"{parts[-2]}_{9000 + n}"
            self.feed.append(
                {
                    "id": post_id,
                    "page": parts[-2],
                    "message": params.get("message", ""),
                    "link": params.get("link", ""),
                    "created": time.time(),
                }
            )
            return 200, {"id": post_id}, {}
        if method == "GET" and parts[-1] == "published_posts":
            since = float(params.get("since") or 0)
            rows = [
                {
                    "id": p["id"],
                    "message": p["message"],
                    "created_time": time.strftime(
                        "%Y-%m-%dT%H:%M:%S+0000", time.gmtime(p["created"])
                    ),
                }
                for p in reversed(self.feed)
                if p["page"] == parts[-2] and p["created"] >= since
            ][: int(params.get("limit") or 25)]
            return 200, {"data": rows}, {}
        if method == "POST" and parts[-1] == "media":
            if not params.get("image_url"):
                return 400, graph_error(9004, "image_url is required"), {}
            container = f"container-{n}"
            self.containers[container] = {
                "user": parts[-2],
                "caption": params.get("caption", ""),
                "status": "FINISHED",
            }
            return 200, {"id": container}, {}
        if method == "POST" and parts[-1] == "media_publish":
            published = self.containers.get(params.get("creation_id", ""))
            if published is None:
                return 400, graph_error(100, "Invalid creation_id"), {}
            if published["status"] == "PUBLISHED":
                # Meta publishes a container once.
                return 400, graph_error(9007, "The media has been published"), {}
            media_id = f"1790{n}"
            published["status"] = "PUBLISHED"
            self.ig_media.append(
                {
                    "id": media_id,
                    "user": published["user"],
                    "caption": published["caption"],
                    "created": time.time(),
                }
            )
            return 200, {"id": media_id}, {}
        if method == "GET" and parts[-1] == "media":
            rows = [
                {
                    "id": m["id"],
                    "caption": m["caption"],
                    "timestamp": time.strftime(
                        "%Y-%m-%dT%H:%M:%S+0000", time.gmtime(m["created"])
                    ),
                }
                for m in reversed(self.ig_media)
                if m["user"] == parts[-2]
            ][: int(params.get("limit") or 25)]
            return 200, {"data": rows}, {}
        if parts[-1] == "insights":
            i = self.insights
            if "metric" in params and "post_impressions" in params["metric"]:
                values = {
                    "post_impressions": i["impressions"],
                    "post_impressions_unique": i["reach"],
                    "post_reactions_by_type_total": {"like": i["reactions"]},
                }
            else:
                values = {
                    "impressions": i["impressions"],
                    "reach": i["reach"],
                    "likes": i["reactions"],
                    "comments": i["comments"],
                    "shares": i["shares"],
                }
            return (
                200,
                {
                    "data": [
                        {"name": k, "period": "lifetime", "values": [{"value": v}]}
                        for k, v in values.items()
                    ]
                },
                {},
            )
        if method == "GET" and len(parts) >= 2:
            object_id = parts[-1]
            fields = params.get("fields", "")
            body: dict[str, Any] = {"id": object_id}
            if "status_code" in fields and object_id in self.containers:
                body["status_code"] = self.containers[object_id]["status"]
            if "permalink_url" in fields:
                body["permalink_url"] = f"https://www.facebook.com/{object_id}"
            elif "permalink" in fields:
                body["permalink"] = f"https://www.instagram.com/p/{object_id}/"
            if "shares" in fields:
                body["shares"] = {"count": self.insights["shares"]}
            if "comments" in fields:
                body["comments"] = {
                    "data": [],
                    "summary": {"total_count": self.insights["comments"]},
                }
            return 200, body, {}
        return 404, graph_error(803, "unknown path"), {}


# --- X and TikTok -------------------------------------------------------------------
@dataclass
class ApiRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str]  # form fields (urlencoded or multipart, files excluded)
    json: Any
    files: dict[str, bytes]


@dataclass
class _Answer:
    status: int
    body: dict[str, Any] | None
    headers: dict[str, str]


def _multipart(
    content_type: str, raw: bytes
) -> tuple[dict[str, str], dict[str, bytes]]:
    message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw,
        policy=email.policy.HTTP,
    )
    form: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts() if message.is_multipart() else []:
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            continue
        if part.get_filename():
            files[name] = payload
        else:
            form[name] = payload.decode()
    return form, files


class _FakeApi:
    """A local HTTP server recording requests, answering ``ok`` or what
    ``fail_next``/``hang_next`` queued for a path."""

    def __init__(self) -> None:
        self.requests: list[ApiRequest] = []
        self.queued: list[tuple[str, _Queued, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._n = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                kind = self.headers.get("Content-Type", "")
                form: dict[str, str] = {}
                files: dict[str, bytes] = {}
                body: Any = None
                if kind.startswith("multipart/"):
                    form, files = _multipart(kind, raw)
                elif kind.startswith("application/json"):
                    body = json.loads(raw or b"null")
                elif raw:
                    form = dict(parse_qsl(raw.decode()))
                request = ApiRequest(
                    self.command,
                    parts.path,
                    dict(parse_qsl(parts.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    form,
                    body,
                    files,
                )
                answer = fake._answer(request)
                data = (
                    json.dumps(answer.body).encode() if answer.body is not None else b""
                )
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _handle
            do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def fail_next(
        self,
        status: int,
        body: dict[str, Any] | None = None,
        *,
        path_part: str = "",
        times: int = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        with self._lock:
            self.queued.extend(
                (path_part, _Queued(status, body or {}), headers or {})
                for _ in range(times)
            )

    def hang_next(
        self, seconds: float, *, path_part: str = "", drop: bool = False
    ) -> None:
        """Stall (longer than the client's timeout), then answer as usual: the
        platform has done the work, the caller did not hear of it. ``drop``:
        the platform never did the work (a 500 after the stall)."""
        with self._lock:
            self.queued.append(
                (path_part, _Queued(200, {}, hang=seconds, drop=drop), {})
            )

    def calls(self, path_part: str = "", method: str = "") -> list[ApiRequest]:
        return [
            r
            for r in self.requests
            if path_part in r.path and (not method or r.method == method)
        ]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, request: ApiRequest) -> _Answer:
        with self._lock:
            self.requests.append(request)
            self._n += 1
            n = self._n
            queued = next((q for q in self.queued if q[0] in request.path), None)
            if queued is not None:
                self.queued.remove(queued)
        if queued is not None:
            if queued[1].hang:
                time.sleep(queued[1].hang)
                if queued[1].drop:
                    return _Answer(500, {}, {})
            else:
                return _Answer(queued[1].status, queued[1].body, queued[2])
        with self._lock:
            return self.ok(request, n)

    def ok(self, request: ApiRequest, n: int) -> _Answer:
        raise NotImplementedError

    @staticmethod
    def bearer(request: ApiRequest) -> str:
        return request.headers.get("authorization", "").removeprefix("Bearer ")


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
