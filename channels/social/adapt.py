"""One item, adapted per platform: caption length, link or "link in bio"
wording, hashtags of the region and the KIM. Plain Python (no Django): the
services pass the translated wording in."""

from __future__ import annotations

import re
from dataclasses import dataclass

FACEBOOK_MAX = 63_206  # a Page post's message
INSTAGRAM_MAX = 2_200  # a caption
INSTAGRAM_MAX_TAGS = 30

_WORD = re.compile(r"[0-9A-Za-z]+")


def hashtag(name: str) -> str:
    """``Kabupaten Kutai Kartanegara`` → ``#KabupatenKutaiKartanegara``."""
    words = _WORD.findall(name)
    return "#" + "".join(w[:1].upper() + w[1:] for w in words) if words else ""


def hashtags(names: list[str], limit: int = INSTAGRAM_MAX_TAGS) -> list[str]:
    seen: list[str] = []
    for name in names:
        tag = hashtag(name)
        if tag and tag.lower() not in {s.lower() for s in seen}:
            seen.append(tag)
    return seen[:limit]


@dataclass(frozen=True)
class Adapted:
    caption: str
    link: str


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def for_facebook(*, title: str, summary: str, link: str, tags: list[str]) -> Adapted:
    """A Page post: the text, with the link as its own field (Facebook shows
    the preview card)."""
    parts = [title, summary, " ".join(tags)]
    return Adapted(_clip("\n\n".join(p for p in parts if p), FACEBOOK_MAX), link)


def for_instagram(
    *, title: str, summary: str, link: str, tags: list[str], link_wording: str
) -> Adapted:
    """A caption of 2,200 characters at most: links in captions are not
    clickable on Instagram, so it says where to find the story (the bio)."""
    tail = "\n\n".join(p for p in (link_wording, " ".join(tags)) if p)
    room = INSTAGRAM_MAX - len(tail) - 4
    head = _clip("\n\n".join(p for p in (title, summary) if p), max(room, 40))
    return Adapted(_clip(f"{head}\n\n{tail}", INSTAGRAM_MAX), link)
