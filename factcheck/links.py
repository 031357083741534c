"""Link tips: the first web address in a tip, and the title, description and
``og:`` fields of the page it points to (read with the stdlib HTML parser).

The page is fetched through ``core.fetch`` (http/https only, public addresses
only, no cookies), at most ``MAX_BYTES`` and ``TIMEOUT`` seconds: a link in a
chat message is the sender's, not ours to trust."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.translation import gettext_noop

from core.fetch import FetchError, fetch

MAX_BYTES = 1024 * 1024
TIMEOUT = 5.0
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
_LIMITS = {"title": 300, "description": 1000, "site": 200}


def url_find(text: str) -> str:
    """The first http(s) address in ``text`` (without trailing punctuation)."""
    found = _URL.search(text)
    return found.group(0).rstrip(_TRAILING)[:2000] if found else ""


@dataclass(frozen=True)
class PageMeta:
    title: str = ""
    description: str = ""
    site: str = ""

    def text(self) -> str:
        """What matching reads of the page."""
        return "\n".join(part for part in (self.title, self.description) if part)


class _MetaParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            values = {k.lower(): (v or "") for k, v in attrs}
            key = (values.get("property") or values.get("name") or "").lower()
            if key and key not in self.fields and values.get("content"):
                self.fields[key] = values["content"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)

    @property
    def title(self) -> str:
        return "".join(self._title)


def _clean(value: str, limit: int) -> str:
    return " ".join(value.split())[:limit]


def page_meta_parse(html: str) -> PageMeta:
    """og:title before <title>, og:description before the meta description."""
    parser = _MetaParser()
    parser.feed(html)
    parser.close()
    fields = parser.fields
    return PageMeta(
        title=_clean(fields.get("og:title") or parser.title, _LIMITS["title"]),
        description=_clean(
            fields.get("og:description") or fields.get("description", ""),
            _LIMITS["description"],
        ),
        site=_clean(fields.get("og:site_name", ""), _LIMITS["site"]),
    )


class NotAPage(FetchError):
    """The address answered with something other than a web page."""


def page_meta_fetch(url: str) -> PageMeta:
    """The page's metadata, or a ``FetchError`` saying why not."""
    got = fetch(
        url,
        max_bytes=MAX_BYTES,
        timeout=TIMEOUT,
        headers={"Accept": "text/html,application/xhtml+xml"},
    )
    kind = got.content_type.split(";")[0].strip().lower()
    if kind not in ("text/html", "application/xhtml+xml"):
        raise NotAPage(gettext_noop("not a web page"))
    return page_meta_parse(got.text)
