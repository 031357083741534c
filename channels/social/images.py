"""Images per platform, as JPEGs. Instagram: 1080x1350 (4:5, cropped from the
item's photo) or 1080x1080 (a text card with the title when there is no photo);
it refuses ratios outside 4:5 … 1.91:1 and files over 8 MB. X: 1200x675 (16:9,
shown whole in the timeline; at most 5 MB). TikTok photo posts: 1080x1440
(3:4; at most 1080p and 20 MB)."""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont, ImageOps

WIDTH = 1080
PORTRAIT = (1080, 1350)
SQUARE = (1080, 1080)
X_SIZE = (1200, 675)
TIKTOK_SIZE = (1080, 1440)


def from_photo(data: bytes) -> bytes:
    """The photo cropped around its centre to fill 4:5, as a JPEG."""
    with Image.open(io.BytesIO(data)) as source:
        image = ImageOps.exif_transpose(source).convert("RGB")
        size = PORTRAIT if image.height >= image.width * 0.9 else SQUARE
        fitted = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
    return _jpeg(fitted)


def cropped(data: bytes, size: tuple[int, int]) -> bytes:
    """The photo cropped around its centre to fill ``size``, as a JPEG."""
    with Image.open(io.BytesIO(data)) as source:
        image = ImageOps.exif_transpose(source).convert("RGB")
        fitted = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
    return _jpeg(fitted)


def padded(data: bytes, size: tuple[int, int] = SQUARE) -> bytes:
    """A picture that must stay whole (a verdict card with its text): fitted
    into ``size`` on a white ground instead of cropped."""
    with Image.open(io.BytesIO(data)) as source:
        image = ImageOps.exif_transpose(source).convert("RGB")
        image.thumbnail(size, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", size, (255, 255, 255))
    canvas.paste(image, ((size[0] - image.width) // 2, (size[1] - image.height) // 2))
    return _jpeg(canvas)


def text_card(title: str, footer: str, size: tuple[int, int] = SQUARE) -> bytes:
    """A card: the title in large type (as many lines as the height holds),
    the author below."""
    image = Image.new("RGB", size, (11, 110, 79))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=72)
    small = ImageFont.load_default(size=40)
    room = max(1, (size[1] - 340) // 96)
    lines = textwrap.wrap(title, width=24)[: min(7, room)]
    y = 140 if size[1] >= 900 else 90
    for line in lines:
        draw.text((90, y), line, font=font, fill=(255, 255, 255))
        y += 96
    draw.text((90, size[1] - 150), footer[:60], font=small, fill=(220, 240, 230))
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()
