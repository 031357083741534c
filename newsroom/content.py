"""Text and images of articles: HTML sanitising, search text, slugs, photos.

Bodies and comments are cleaned with ``nh3`` (an allow-list: no script, no
``on*`` attributes, no ``javascript:`` URLs). Photos are checked by their content
and size, then re-encoded as WebP at responsive widths; the upload itself is
never kept, so EXIF data (GPS positions) is dropped.
"""

from __future__ import annotations

import html
import io
import re
import secrets
import unicodedata
from typing import Any

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

BODY_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "blockquote",
    "ul", "ol", "li", "a", "figure", "figcaption", "hr", "table", "thead", "tbody",
    "tr", "th", "td", "sub", "sup", "code", "pre",
}  # fmt: skip
BODY_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan"}}
COMMENT_TAGS = {"p", "br", "strong", "b", "em", "i", "a"}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

IMAGE_WIDTHS = (480, 960, 1440)
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000
WORDS_PER_MINUTE = 200


def clean_body(raw: str) -> str:
    """The article body as safe HTML."""
    return nh3.clean(
        raw or "",
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    ).strip()


def clean_comment(raw: str) -> str:
    """A reader's comment: plain paragraphs and links, nothing else."""
    text = (raw or "").strip()
    if "<" not in text:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join(
            "<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs
        )
    return nh3.clean(
        text,
        tags=COMMENT_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow ugc noopener noreferrer",
    ).strip()


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, whitespace collapsed."""
    text = nh3.clean(fragment or "", tags=set())
    return " ".join(html.unescape(text).split())


def search_document(*parts: str) -> str:
    """Lower-cased, accent-free text of title, lead and body (the search index)."""
    text = " ".join(plain_text(p) for p in parts)
    return fold(text)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def reading_minutes(body_html: str) -> int:
    words = len(plain_text(body_html).split())
    return max(1, round(words / WORDS_PER_MINUTE))


def count_links(text: str) -> int:
    return len(re.findall(r"https?://|www\.|<a\s", text or "", flags=re.I))


def unique_slug(title: str, exists: Any) -> str:
    """A slug from the title, with a number added while ``exists(slug)``."""
    base = slugify(fold(title))[:200].strip("-") or "kabar"
    slug, n = base, 2
    while exists(slug):
        slug = f"{base}-{n}"
        n += 1
    return slug


def summary_text(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


# --- photos -------------------------------------------------------------------------
def check_image(upload: Any) -> Any:
    """Open an uploaded photo (JPEG, PNG or WebP, at most the size limit) or raise
    ``ValidationError({"image": …})``; returns the Pillow image, upright."""
    from PIL import Image, ImageOps

    size = getattr(upload, "size", None)
    limit = settings.NEWSROOM_MAX_IMAGE_BYTES
    if not size:
        raise ValidationError({"image": _("The file is empty.")})
    if size > limit:
        raise ValidationError(
            {"image": _("The photo is larger than %(mb)d MB.") % {"mb": limit >> 20}}
        )
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            probe.verify()
        if fmt not in IMAGE_FORMATS:
            raise ValueError(fmt)
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError({"image": _("The photo has too many pixels.")})
        image.load()
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(
            {"image": _("Upload a photo (JPEG, PNG or WebP).")}
        ) from None
    upright: Any = ImageOps.exif_transpose(image)
    return upright.convert("RGB")


def save_renditions(image: Any) -> dict[str, str]:
    """Store WebP copies of ``image`` at the responsive widths that it covers
    (the image's own width when it is narrower); returns width → storage name."""
    stem = f"newsroom/img/{timezone.now():%Y/%m}/{secrets.token_hex(8)}"
    widths = [w for w in IMAGE_WIDTHS if w < image.width] + [
        min(image.width, IMAGE_WIDTHS[-1])
    ]
    names: dict[str, str] = {}
    for width in sorted(set(widths)):
        height = max(1, round(image.height * width / image.width))
        copy = image.resize((width, height)) if width != image.width else image
        buffer = io.BytesIO()
        copy.save(buffer, format="WEBP", quality=78, method=4)
        names[str(width)] = default_storage.save(
            f"{stem}-{width}.webp", ContentFile(buffer.getvalue())
        )
    return names


def delete_renditions(renditions: dict[str, str]) -> None:
    for name in renditions.values():
        default_storage.delete(name)
