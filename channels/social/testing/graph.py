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
``channels.tests.fixtures.fake_graph``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from channels.social.testing.api import _Queued, send_json
from channels.testing import QuietHandler, Recorder, serve


@dataclass
class GraphRequest:
    method: str
    path: str
    params: dict[str, str]


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


def _graph_time(seconds: float) -> str:
    """A time as the Graph API writes it (``2022-07-12T01:00:00+0000``)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(seconds))


class FakeGraph(Recorder[GraphRequest]):
    def __init__(self) -> None:
        super().__init__()
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
        fake = self

        class Handler(QuietHandler):
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
                send_json(self, status, body, headers)

            do_GET = _handle
            do_POST = _handle

        self.server, self.url, self._thread = serve(Handler)

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
                    "created_time": _graph_time(p["created"]),
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
                    "timestamp": _graph_time(m["created"]),
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
