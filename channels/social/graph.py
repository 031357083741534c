"""A small client of Meta's Graph API: the OAuth code exchange, a user's Pages
and their Instagram accounts, posting (Page feed; Instagram media container then
``media_publish``), permalinks and insights.

Base URLs come from settings (``SOCIAL_GRAPH_API_BASE``), so tests point them at
``channels.social.testing.FakeGraph``. Errors are the senders' classes: Meta's
throttling codes, ``is_transient``, 5xx and timeouts are ``TemporaryError``;
error 190 (token expired, revoked, password changed) is ``TokenError``; a
refused image is ``ImageRefused``; the rest ``PermanentError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from django.conf import settings

from channels.senders import (
    HttpPool,
    PermanentError,
    TemporaryError,
    retry_after_seconds,
)


class TokenError(PermanentError):
    """OAuth error 190: the account must be connected again by its owner."""


class ImageRefused(PermanentError):
    """The platform would not take the image (size, ratio, format, download)."""


class Uncertain(PermanentError):
    """The connection broke after the post was sent: it may be up."""


def transport_error(name: str, exc: httpx.HTTPError, *, creates: bool) -> Exception:
    """What a request that got no answer means. Never sent (connection refused,
    connect timeout): try again. Lost after sending a post: ``Uncertain``.
    Any other request: try again."""
    kind = exc.__class__.__name__
    if creates and not isinstance(
        exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
    ):
        return Uncertain(f"{name}: {kind} after sending the post", code="uncertain")
    return TemporaryError(f"{name}: {kind}", code="network")


# developers.facebook.com/docs/graph-api/guides/error-handling
# 9007: an Instagram container not ready yet (publish again shortly).
TEMPORARY_CODES = {1, 2, 4, 17, 32, 341, 368, 613, 9007, 80001, 80002, 80005}
TOKEN_CODES = {102, 190}
# Instagram content publishing: media download/format/aspect ratio refused.
IMAGE_CODES = {9004, 36000, 36001, 36003, 36004}
IMAGE_SUBCODES = {2207003, 2207004, 2207005, 2207009, 2207026, 2207052}


@dataclass(frozen=True)
class Page:
    id: str
    name: str
    token: str
    instagram_id: str = ""
    instagram_username: str = ""


def _id_with_text(rows: Any, key: str, text: str) -> str:
    """The id of the first listed row whose ``key`` is ``text`` (white space
    folded: the platform may have tidied it), else ""."""
    wanted = " ".join(text.split())
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and " ".join(str(row.get(key, "")).split()) == wanted:
            return str(row.get("id", ""))
    return ""


class Graph(HttpPool):
    def call(
        self,
        method: str,
        path: str,
        *,
        token: str = "",
        creates: bool = False,
        **params: Any,
    ) -> dict[str, Any]:
        """``creates``: the request makes a post, so a connection lost after
        sending it is ``Uncertain`` (Meta may have the post), not temporary."""
        url = f"{settings.SOCIAL_GRAPH_API_BASE}/{path.lstrip('/')}"
        if token:
            params["access_token"] = token
        try:
            if method == "GET":
                response = self.client.get(url, params=params)
            else:
                response = self.client.request(method, url, data=params)
        except httpx.HTTPError as exc:
            raise transport_error("graph", exc, creates=creates) from exc
        data = self.json(response)
        if response.status_code < 400 and "error" not in data:
            return data
        raise self.error(response, data)

    def create(
        self, path: str, *, token: str, creates: bool = False, **params: Any
    ) -> str:
        """POST, and the id of what it made ("" when the answer names none)."""
        data = self.call("POST", path, token=token, creates=creates, **params)
        return str(data.get("id", ""))

    @staticmethod
    def error(response: httpx.Response, data: dict[str, Any]) -> Exception:
        error = data.get("error")
        error = error if isinstance(error, dict) else {}
        code = error.get("code")
        subcode = error.get("error_subcode")
        text = (
            f"graph: HTTP {response.status_code} {code}/{subcode} "
            f"{error.get('message', '')}"
        )[:300]
        label = str(code or response.status_code)
        if code in TOKEN_CODES:
            return TokenError(text, code=label)
        if (
            response.status_code == 429
            or response.status_code >= 500
            or code in TEMPORARY_CODES
            or error.get("is_transient") is True
        ):
            return TemporaryError(
                text,
                code=label,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        if code in IMAGE_CODES or subcode in IMAGE_SUBCODES:
            return ImageRefused(text, code=label)
        return PermanentError(text, code=label)

    # --- OAuth ----------------------------------------------------------------------
    def code_exchange(self, *, code: str, redirect_uri: str) -> tuple[str, int | None]:
        """The code of the login dialog → a long-lived user token (and its
        lifetime in seconds, when Meta gives one)."""
        short = self.call(
            "GET",
            "oauth/access_token",
            client_id=settings.FACEBOOK_APP_ID,
            client_secret=settings.FACEBOOK_APP_SECRET,
            redirect_uri=redirect_uri,
            code=code,
        )
        return self.token_extend(token=str(short.get("access_token", "")))

    def token_extend(self, *, token: str) -> tuple[str, int | None]:
        """``fb_exchange_token``: a long-lived token for this one."""
        data = self.call(
            "GET",
            "oauth/access_token",
            grant_type="fb_exchange_token",
            client_id=settings.FACEBOOK_APP_ID,
            client_secret=settings.FACEBOOK_APP_SECRET,
            fb_exchange_token=token,
        )
        expires = data.get("expires_in")
        return str(data.get("access_token", "")), (
            int(expires) if isinstance(expires, int | float) else None
        )

    def pages(self, *, user_token: str) -> list[Page]:
        """The Pages this person manages (``/me/accounts``), each with its own
        Page token and linked Instagram professional account."""
        data = self.call(
            "GET",
            "me/accounts",
            token=user_token,
            fields="id,name,access_token,instagram_business_account{id,username}",
        )
        pages = []
        for row in data.get("data") or []:
            if not isinstance(row, dict) or not row.get("id"):
                continue
            ig = row.get("instagram_business_account")
            ig = ig if isinstance(ig, dict) else {}
            pages.append(
                Page(
                    id=str(row["id"]),
                    name=str(row.get("name", ""))[:200],
                    token=str(row.get("access_token", "")),
                    instagram_id=str(ig.get("id", "")),
                    instagram_username=str(ig.get("username", ""))[:100],
                )
            )
        return pages

    # --- publishing -----------------------------------------------------------------
    def page_post(self, *, page_id: str, token: str, message: str, link: str) -> str:
        return self.create(
            f"{page_id}/feed", token=token, creates=True, message=message, link=link
        )

    def page_post_find(
        self, *, page_id: str, token: str, message: str, since: datetime
    ) -> str:
        """The id of the Page's post made since ``since`` with this message
        (the one a timed-out request may have made), else ""."""
        data = self.call(
            "GET",
            f"{page_id}/published_posts",
            token=token,
            fields="id,message,created_time",
            since=str(int(since.timestamp())),
            limit="25",
        ).get("data")
        return _id_with_text(data, "message", message) if message.strip() else ""

    def ig_container(
        self, *, ig_user_id: str, token: str, image_url: str, caption: str
    ) -> str:
        return self.create(
            f"{ig_user_id}/media", token=token, image_url=image_url, caption=caption
        )

    def ig_publish(self, *, ig_user_id: str, token: str, container_id: str) -> str:
        return self.create(
            f"{ig_user_id}/media_publish",
            token=token,
            creates=True,
            creation_id=container_id,
        )

    def ig_published_find(
        self, *, ig_user_id: str, token: str, container_id: str, caption: str
    ) -> str:
        """The media a container became, if an earlier ``media_publish``
        went through (its answer lost); "" when it is not published. The
        container says whether; the account's recent media with its caption
        say which (the container does not name it)."""
        status = self.call("GET", container_id, token=token, fields="status_code")
        if status.get("status_code") != "PUBLISHED":
            return ""
        data = self.call(
            "GET",
            f"{ig_user_id}/media",
            token=token,
            fields="id,caption,timestamp",
            limit="25",
        ).get("data")
        return _id_with_text(data, "caption", caption)

    def permalink(self, *, object_id: str, token: str, field: str) -> str:
        """``permalink_url`` of a Page post, ``permalink`` of an Instagram media."""
        try:
            data = self.call("GET", object_id, token=token, fields=field)
        except (TemporaryError, PermanentError):
            return ""  # the post is up; the link is a nicety
        return str(data.get(field, ""))[:500]

    # --- insights -------------------------------------------------------------------
    @staticmethod
    def _metrics(data: dict[str, Any]) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in data.get("data") or []:
            if not isinstance(row, dict):
                continue
            values = row.get("values") or []
            value = values[-1].get("value") if values else row.get("total_value")
            if isinstance(value, dict):  # reactions by type, or {"value": n}
                value = value.get(
                    "value", sum(v for v in value.values() if isinstance(v, int))
                )
            if isinstance(value, int):
                out[str(row.get("name"))] = value
        return out

    def page_post_insights(self, *, post_id: str, token: str) -> dict[str, int]:
        metrics = self._metrics(
            self.call(
                "GET",
                f"{post_id}/insights",
                token=token,
                metric="post_impressions,post_impressions_unique,"
                "post_reactions_by_type_total",
            )
        )
        counts = self.call(
            "GET",
            post_id,
            token=token,
            fields="shares,comments.summary(true).limit(0)",
        )
        shares = counts.get("shares")
        comments = counts.get("comments")
        summary = comments.get("summary") if isinstance(comments, dict) else None
        return {
            "impressions": metrics.get("post_impressions", 0),
            "reach": metrics.get("post_impressions_unique", 0),
            "reactions": metrics.get("post_reactions_by_type_total", 0),
            "shares": int(shares.get("count", 0)) if isinstance(shares, dict) else 0,
            "comments": int(summary.get("total_count", 0))
            if isinstance(summary, dict)
            else 0,
        }

    def ig_media_insights(self, *, media_id: str, token: str) -> dict[str, int]:
        metrics = self._metrics(
            self.call(
                "GET",
                f"{media_id}/insights",
                token=token,
                metric="impressions,reach,likes,comments,shares",
            )
        )
        return {
            "impressions": metrics.get("impressions", 0),
            "reach": metrics.get("reach", 0),
            "reactions": metrics.get("likes", 0),
            "shares": metrics.get("shares", 0),
            "comments": metrics.get("comments", 0),
        }
