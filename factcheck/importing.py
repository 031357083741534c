"""Reading fact-checks from files and feeds: JSONL, CSV, schema.org ClaimReview
(JSON-LD: one object, a list, an ``@graph``, or the JSON-LD embedded in a web
page) and RSS/Atom.

Plain Python (no Django import): parsers yield ``Parsed`` items, each either a
``FactCheckRecord`` or an error, with the line (or item) it came from, so a bad
record is reported and the rest still imported (``factcheck.services``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any

from factcheck.topics import topic_from_label
from factcheck.verdicts import DEFAULT_VERDICT, verdict_from_label

FORMATS = ("jsonl", "csv", "claimreview", "rss")
MAX_TITLE = 300
_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".json": "claimreview",
    ".jsonld": "claimreview",
    ".html": "claimreview",
    ".htm": "claimreview",
    ".xml": "rss",
    ".rss": "rss",
    ".atom": "rss",
}

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "peb": 2,
    "mar": 3,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "agu": 8,
    "agt": 8,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "nop": 11,
    "des": 12,
    "dec": 12,
}


@dataclass
class FactCheckRecord:
    external_id: str
    title: str
    claim: str = ""
    verdict: str = DEFAULT_VERDICT
    source_verdict: str = ""
    explanation: str = ""
    conclusion: str = ""
    published: date | None = None
    source: str = ""
    author: str = ""
    url: str = ""
    language: str = "id"
    regions: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    claim_author: str = ""
    claim_appearances: list[str] = field(default_factory=list)
    # From the publisher's category when it names a subject; else "" and the
    # importer classifies the title and claim (``factcheck.topics``).
    topic: str = ""
    # The picture of the hoax the publisher shows (a screenshot, a poster):
    # fetched later, so that image tips of it are matched (``services.images``).
    image_url: str = ""


@dataclass
class Parsed:
    line: int
    record: FactCheckRecord | None = None
    error: str = ""


class ImportFormatError(ValueError):
    """The whole file cannot be read in the format asked for."""


def infer_format(filename: str) -> str:
    lower = filename.lower()
    for ext, fmt in _EXTENSIONS.items():
        if lower.endswith(ext):
            return fmt
    raise ImportFormatError(
        f"cannot tell the format of {filename!r} from its extension; "
        f"give --format ({', '.join(FORMATS[:3])})"
    )


def parse_date(raw: object) -> date | None:
    """``2 Jan 2024``, ``12 Juli 2022``, ``2024-01-02``, ISO date-times,
    ``12/07/2022`` (day first); None when empty. Raises ValueError otherwise."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        return None
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        return date(int(iso[1]), int(iso[2]), int(iso[3]))
    words = re.match(r"^(?:\w+,\s*)?(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text)
    if words:
        month = _MONTHS.get(words[2][:3].lower())
        if month:
            return date(int(words[3]), month, int(words[1]))
    slash = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", text)
    if slash:
        return date(int(slash[3]), int(slash[2]), int(slash[1]))
    try:  # RFC 822 dates of RSS feeds
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    raise ValueError(f"unreadable date {text!r}")


_TAG = re.compile(r"^\s*[\[(]\s*([^\])]{2,40})\s*[\])]\s*[-:\u2013]?\s*")
_LEADING_LABEL = re.compile(
    r"^\s*(hoaks|hoax|disinformasi|misinformasi|penipuan|salah|keliru)\b[\s:,-]*",
    re.IGNORECASE,
)


def split_title_verdict(title: str) -> tuple[str, str]:
    """``"[SALAH] Video …"`` → (``"Video …"``, ``"SALAH"``); no tag → (title, "")."""
    tag = _TAG.match(title)
    if tag and verdict_from_label(tag[1]):
        return title[tag.end() :].strip(), tag[1].strip()
    return title.strip(), ""


def _text(value: object, limit: int = 20_000) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ValueError("expected text, got a structure")
    return str(value).strip()[:limit]


def _list(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[\n;,]", value) if v.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    raise ValueError("expected a list")


# Where records carry a category: ours ("topic"), turnbackhoax's LLM_CATEGORY
# (politics/scam/others), Komdigi's and most CMS exports' "category"/"kategori".
_CATEGORY_KEYS = ("topic", "topik", "category", "kategori", "llm_category")


def _category(data: dict[str, Any]) -> str:
    """Our topic for the first category field that names a subject, else ""."""
    lowered = {str(k).lower(): v for k, v in data.items() if k is not None}
    for key in _CATEGORY_KEYS:
        value = lowered.get(key)
        if isinstance(value, list):
            topic = topic_from_label([str(v) for v in value])
        else:
            topic = topic_from_label(_text(value, 200)) if value else None
        if topic:
            return topic
    return ""


def record_from_mapping(data: dict[str, Any]) -> FactCheckRecord:
    """A record from the fields of corpus_2024.jsonl (and the same CSV columns):
    external_id and title required; verdict mapped to our list; a category
    (``topic``, ``category``, ``LLM_CATEGORY``…) mapped to our topics."""
    if not isinstance(data, dict):
        raise ValueError("not an object")
    external_id = _text(data.get("external_id"), 100)
    title = _text(data.get("title"))
    if not external_id:
        raise ValueError("external_id is missing")
    if not title:
        raise ValueError("title is missing")
    title, tagged = split_title_verdict(title)
    raw_verdict = _text(data.get("verdict"), 100) or tagged
    verdict = verdict_from_label(raw_verdict) if raw_verdict else None
    if raw_verdict and verdict is None:
        raise ValueError(f"unknown verdict {raw_verdict!r}")
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"
    return FactCheckRecord(
        external_id=external_id,
        title=title,
        claim=_text(data.get("claim") or data.get("claim_reviewed")),
        verdict=verdict or DEFAULT_VERDICT,
        source_verdict=raw_verdict,
        explanation=_text(data.get("explanation")),
        conclusion=_text(data.get("conclusion")),
        published=parse_date(data.get("published")),
        source=_text(data.get("source") or data.get("publisher"), 150),
        author=_text(data.get("author"), 150),
        url=_text(data.get("url"), 500),
        language=_text(data.get("language"), 10) or "id",
        regions=_list(data.get("regions")),
        references=_list(data.get("references")),
        claim_author=_text(data.get("claim_author"), 150),
        claim_appearances=_list(data.get("claim_appearances")),
        topic=_category(data),
        image_url=_image_url(data.get("image")),
    )


def parse_jsonl(lines: Iterable[str]) -> Iterator[Parsed]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            yield Parsed(number, record=record_from_mapping(data))
        except json.JSONDecodeError as exc:
            yield Parsed(number, error=f"not JSON ({exc.msg})")
        except ValueError as exc:
            yield Parsed(number, error=str(exc))


def parse_csv(text: str) -> Iterator[Parsed]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "title" not in reader.fieldnames:
        raise ImportFormatError("the CSV needs a header with external_id and title")
    for row in reader:
        number = reader.line_num
        if None in row:
            yield Parsed(number, error="more values than columns")
            continue
        try:
            yield Parsed(number, record=record_from_mapping(dict(row)))
        except ValueError as exc:
            yield Parsed(number, error=str(exc))


class _JsonLdScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = dict(attrs).get("type") or ""
        self._inside = tag == "script" and kind.lower() == "application/ld+json"
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def _jsonld_objects(text: str) -> list[Any]:
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return [json.loads(stripped)]
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"not JSON ({exc.msg}, line {exc.lineno})") from exc
    parser = _JsonLdScripts()
    parser.feed(text)
    objects = []
    for block in parser.blocks:
        try:
            objects.append(json.loads(block))
        except json.JSONDecodeError:
            continue  # a broken block of a page is skipped, not fatal
    if not objects:
        raise ImportFormatError(
            "no JSON-LD found (neither JSON nor a web page with it)"
        )
    return objects


def _flatten(node: Any) -> Iterator[Any]:
    if isinstance(node, list):
        for item in node:
            yield from _flatten(item)
    elif isinstance(node, dict):
        if "@graph" in node:
            yield from _flatten(node["@graph"])
        else:
            yield node


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def _name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        return _text(value.get("name"), 150)
    return _text(value, 150)


def _appearances(item: dict[str, Any]) -> list[str]:
    """The URLs of a schema.org Claim's appearance/firstAppearance (each a URL
    or a CreativeWork with a url)."""
    urls: list[str] = []
    for key in ("firstAppearance", "appearance"):
        values = item.get(key) or []
        for value in values if isinstance(values, list) else [values]:
            url = value.get("url") if isinstance(value, dict) else value
            url = _text(url, 500)
            if url.startswith(("http://", "https://")) and url not in urls:
                urls.append(url)
    return urls[:20]


def record_from_claimreview(node: dict[str, Any]) -> FactCheckRecord:
    """A record from a schema.org ClaimReview object."""
    rating = node.get("reviewRating") or {}
    if isinstance(rating, list):
        rating = rating[0] if rating else {}
    label = _text(rating.get("alternateName") or rating.get("name"), 100)
    verdict = verdict_from_label(label)
    if verdict is None and label:
        raise ValueError(f"unknown verdict {label!r}")
    url = _text(node.get("url"), 500)
    external_id = _text(node.get("@id") or url, 100)
    claim = _text(node.get("claimReviewed"))
    title = _text(node.get("headline") or node.get("name")) or claim
    if not external_id:
        raise ValueError("ClaimReview without url or @id")
    if not title:
        raise ValueError("ClaimReview without claimReviewed or headline")
    title, tagged = split_title_verdict(title)
    if verdict is None and tagged:
        verdict, label = verdict_from_label(tagged), tagged
    if verdict is None:
        # Only a numeric rating: the lowest third of the scale counts as false.
        try:
            value = float(rating.get("ratingValue") or "")
            best = float(rating.get("bestRating") or 5)
            worst = float(rating.get("worstRating") or 1)
            share = (value - worst) / max(best - worst, 1)
            verdict = "salah" if share < 0.34 else "sebagian_benar"
            verdict = "benar" if share > 0.8 else verdict
        except (TypeError, ValueError):
            verdict = DEFAULT_VERDICT
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"
    author = node.get("author")
    publisher = node.get("publisher") or author
    item = node.get("itemReviewed")
    if isinstance(item, list):
        item = item[0] if item else None
    item = item if isinstance(item, dict) else {}
    return FactCheckRecord(
        external_id=external_id,
        title=title,
        claim=claim,
        verdict=verdict,
        source_verdict=label,
        explanation=_text(node.get("reviewBody") or node.get("description")),
        published=parse_date(node.get("datePublished")),
        source=_name(publisher),
        author=_name(author),
        url=url,
        language=_text(node.get("inLanguage"), 10) or "id",
        claim_author=_name(item.get("author")),
        claim_appearances=_appearances(item),
        image_url=_image_url(node.get("image")) or _image_url(item.get("image")),
    )


def parse_claimreview(text: str) -> Iterator[Parsed]:
    """ClaimReview JSON-LD; items are numbered in document order (1, 2, …)."""
    number = 0
    for obj in _jsonld_objects(text):
        for node in _flatten(obj):
            if not isinstance(node, dict) or "ClaimReview" not in _types(node):
                continue
            number += 1
            try:
                yield Parsed(number, record=record_from_claimreview(node))
            except ValueError as exc:
                yield Parsed(number, error=str(exc))


def parse_rss(text: str, *, publisher: str = "") -> Iterator[Parsed]:
    """Entries of an RSS/Atom feed; the verdict comes from a ``[TAG]`` title."""
    import feedparser

    feed = feedparser.parse(text)
    if feed.bozo and not feed.entries:
        raise ImportFormatError(f"not a feed ({feed.get('bozo_exception')})")
    source = publisher or _text(feed.feed.get("title"), 150)
    for number, entry in enumerate(feed.entries, start=1):
        try:
            data = {
                "external_id": entry.get("id") or entry.get("link"),
                "title": _strip_html(entry.get("title", "")),
                "explanation": _strip_html(entry.get("summary", "")),
                "published": _entry_date(entry),
                "source": source,
                "author": entry.get("author", ""),
                "url": entry.get("link", ""),
                "category": [
                    str(tag.get("term", ""))
                    for tag in entry.get("tags", []) or []
                    if isinstance(tag, dict)
                ],
                "image": _entry_image(entry),
            }
            yield Parsed(number, record=record_from_mapping(data))
        except ValueError as exc:
            yield Parsed(number, error=str(exc))


_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.I)


def _image_url(value: Any) -> str:
    """An http(s) image URL from a schema.org ``image`` (a URL, an
    ImageObject, or a list of either), else ""."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or ""
    url = _text(value, 500)
    return url if url.startswith(("http://", "https://")) else ""


def _entry_image(entry: Any) -> str:
    """A feed entry's picture: Media RSS content or thumbnail, an image
    enclosure, else the first ``<img>`` of its content or summary."""
    for media in entry.get("media_content", []) or []:
        kind = str(media.get("type") or media.get("medium") or "image")
        if kind.startswith("image") and media.get("url"):
            return _image_url(media["url"])
    for media in entry.get("media_thumbnail", []) or []:
        if media.get("url"):
            return _image_url(media["url"])
    for link in entry.get("enclosures", []) or []:
        if str(link.get("type", "")).startswith("image/") and link.get("href"):
            return _image_url(link["href"])
    html = " ".join(
        [str(c.get("value", "")) for c in entry.get("content", []) or []]
        + [str(entry.get("summary", ""))]
    )
    found = _IMG_SRC.search(html)
    return _image_url(found.group(1)) if found else ""


def _entry_date(entry: Any) -> str:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return datetime(*parsed[:3]).date().isoformat()
    return ""


def _strip_html(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text or "").split())


def parse(text: str, fmt: str, *, publisher: str = "") -> Iterator[Parsed]:
    if fmt == "jsonl":
        return parse_jsonl(text.splitlines())
    if fmt == "csv":
        return parse_csv(text)
    if fmt == "claimreview":
        return parse_claimreview(text)
    if fmt == "rss":
        return parse_rss(text, publisher=publisher)
    raise ImportFormatError(f"unknown format {fmt!r}")
