"""Images for Instagram: a JPEG of 1080x1350 (4:5, cropped from the item's
photo) or 1080x1080 (a text card with the title when there is no photo).
Instagram refuses ratios outside 4:5 … 1.91:1 and files over 8 MB."""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont, ImageOps

WIDTH = 1080
PORTRAIT = (1080, 1350)
SQUARE = (1080, 1080)


def from_photo(data: bytes) -> bytes:
    """The photo cropped around its centre to fill 4:5, as a JPEG."""
    with Image.open(io.BytesIO(data)) as source:
        image = ImageOps.exif_transpose(source).convert("RGB")
        size = PORTRAIT if image.height >= image.width * 0.9 else SQUARE
        fitted = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
    return _jpeg(fitted)


def padded(data: bytes) -> bytes:
    """A picture that must stay whole (a verdict card with its text): fitted
    into the square on a white ground instead of cropped."""
    with Image.open(io.BytesIO(data)) as source:
        image = ImageOps.exif_transpose(source).convert("RGB")
        image.thumbnail(SQUARE, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", SQUARE, (255, 255, 255))
    canvas.paste(
        image, ((SQUARE[0] - image.width) // 2, (SQUARE[1] - image.height) // 2)
    )
    return _jpeg(canvas)


def text_card(title: str, footer: str) -> bytes:
    """A square card: the title in large type, the author below."""
    image = Image.new("RGB", SQUARE, (11, 110, 79))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=72)
    small = ImageFont.load_default(size=40)
    lines = textwrap.wrap(title, width=24)[:7]
    y = 140
    for line in lines:
        draw.text((90, y), line, font=font, fill=(255, 255, 255))
        y += 96
    draw.text((90, SQUARE[1] - 150), footer[:60], font=small, fill=(220, 240, 230))
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()
