"""One item, adapted per platform: caption length, link or "link in bio"
wording, hashtags of the region and the KIM. Plain Python (no Django): the
services pass the translated wording in."""

from __future__ import annotations

import re
from dataclasses import dataclass

FACEBOOK_MAX = 63_206  # a Page post's message
INSTAGRAM_MAX = 2_200  # a caption
INSTAGRAM_MAX_TAGS = 30
X_MAX = 280  # weighted characters (see ``x_length``)
X_LINK = 23  # every link counts as a t.co link
X_MAX_TAGS = 3
TIKTOK_TITLE_MAX = 90
TIKTOK_MAX = 4_000  # a photo post's description

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


# twitter-text v3: code points in these ranges weigh 1, all others 2 (CJK,
# emoji); 280 weighted characters in all.
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def x_length(text: str, links: int = 0) -> int:
    """The weight X gives ``text`` plus ``links`` links (23 each)."""
    weight = sum(
        1 if any(lo <= ord(c) <= hi for lo, hi in _X_LIGHT) else 2 for c in text
    )
    return weight + X_LINK * links


def _x_clip(text: str, room: int) -> str:
    text = text.strip()
    if x_length(text) <= room:
        return text
    out, weight = "", 0
    room -= x_length("…")  # weighs 2 on X (outside the light ranges)
    for char in text:
        weight += x_length(char)
        if weight > room:
            break
        out += char
    return out.rstrip() + "…" if out.strip() else ""


def for_x(*, title: str, summary: str, link: str, tags: list[str]) -> Adapted:
    """A post of 280 weighted characters: the link (23, shown as a card) and a
    few hashtags always fit; the title, then the summary, take what is left."""
    tail_tags: list[str] = []
    for tag in tags[:X_MAX_TAGS]:
        if x_length(" ".join([*tail_tags, tag])) + X_LINK + 4 <= X_MAX // 3:
            tail_tags.append(tag)
    tail = " ".join(tail_tags)
    room = X_MAX - X_LINK - (x_length(tail) + 2 if tail else 0) - 2
    head = _x_clip(title, room)
    rest = room - x_length(head) - 2
    if summary and rest > 20:
        head = f"{head}\n\n{_x_clip(summary, rest)}"
    text = "\n\n".join(p for p in (head, link, tail) if p)
    return Adapted(text, link)


def for_tiktok(
    *, title: str, summary: str, link: str, tags: list[str], link_wording: str
) -> Adapted:
    """A photo post's description (4,000 characters): links are not clickable
    on TikTok either, so it says where the story is. The title goes in its own
    field (90 characters, ``tiktok_title``)."""
    tail = "\n\n".join(p for p in (link_wording, " ".join(tags)) if p)
    room = TIKTOK_MAX - len(tail) - 4
    head = _clip("\n\n".join(p for p in (title, summary) if p), max(room, 40))
    return Adapted(_clip(f"{head}\n\n{tail}", TIKTOK_MAX), link)


def tiktok_title(title: str) -> str:
    return _clip(title, TIKTOK_TITLE_MAX)
