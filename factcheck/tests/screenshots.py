"""Chat screenshots drawn with Pillow, and the damage forwarding does to them
(``bench/claim_images.py``; also used by the image-tip tests)."""

from __future__ import annotations

import io
import random
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/noto"),
]
_FONT_NAMES = [
    "DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
    "NotoSans-Regular.ttf",
    "DejaVuSansCondensed.ttf",
]


def fonts() -> list[Path]:
    found = [d / n for d in FONT_DIRS for n in _FONT_NAMES if (d / n).is_file()]
    return found


def _font(
    rng: random.Random, size: int
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    choices = fonts()
    if not choices:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(str(rng.choice(choices)), size)


def render_chat(text: str, *, seed: int, sender: str = "Grup Keluarga") -> Image.Image:
    """A phone screenshot (720 px wide): status bar, chat header, the message
    in a bubble with a random font size, and a time stamp."""
    rng = random.Random(seed)
    width = 720
    size = rng.randint(24, 34)
    font = _font(rng, size)
    small = _font(rng, 20)
    chars = max(18, int((width - 160) / (size * 0.52)))
    lines = textwrap.wrap(" ".join(text.split()), chars)[:22] or ["…"]
    line_h = int(size * 1.3)
    bubble_h = line_h * len(lines) + 70
    height = max(1280, 220 + bubble_h + 120)
    bg = rng.choice([(236, 229, 221), (230, 235, 240), (245, 245, 245)])
    image = Image.new("RGB", (width, height), bg)
    draw = ImageDraw.Draw(image)
    bar = rng.choice([(7, 94, 84), (33, 150, 243), (40, 40, 40)])
    draw.rectangle((0, 0, width, 40), fill=(0, 0, 0))
    draw.text(
        (20, 8),
        f"{rng.randint(6, 23):02d}:{rng.randint(0, 59):02d}",
        font=small,
        fill="white",
    )
    draw.text((width - 110, 8), f"{rng.randint(5, 99)}%", font=small, fill="white")
    draw.rectangle((0, 40, width, 140), fill=bar)
    draw.ellipse((20, 60, 80, 120), fill=(200, 200, 200))
    draw.text((100, 75), sender, font=_font(rng, 30), fill="white")
    top = 200
    draw.rounded_rectangle(
        (30, top, width - 60, top + bubble_h), radius=18, fill=(255, 255, 255)
    )
    draw.text((55, top + 12), "Diteruskan", font=small, fill=(120, 120, 120))
    y = top + 45
    for line in lines:
        draw.text((55, y), line, font=font, fill=(20, 20, 20))
        y += line_h
    draw.text(
        (width - 150, top + bubble_h - 32),
        f"{rng.randint(6, 23):02d}.{rng.randint(0, 59):02d}",
        font=small,
        fill=(120, 120, 120),
    )
    draw.rectangle((0, height - 90, width, height), fill=(250, 250, 250))
    draw.rounded_rectangle(
        (20, height - 75, width - 100, height - 15), radius=30, fill=(255, 255, 255)
    )
    return image


def degrade(image: Image.Image, *, seed: int) -> bytes:
    """What forwarding does: a crop of 5-15%, a resize to 50-100%, a slight
    rotation, JPEG at quality 40-70."""
    rng = random.Random(seed)
    w, h = image.size
    crop = rng.uniform(0.05, 0.15)
    dx, dy = int(w * crop), int(h * crop)
    left = rng.randint(0, dx)
    top = rng.randint(0, dy)
    out = image.crop((left, top, w - (dx - left), h - (dy - top)))
    out = out.rotate(rng.uniform(-2.0, 2.0), expand=False, fillcolor=(255, 255, 255))
    scale = rng.uniform(0.5, 1.0)
    out = out.resize(
        (max(1, int(out.width * scale)), max(1, int(out.height * scale))),
        Image.Resampling.BILINEAR,
    )
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=rng.randint(40, 70))
    return buffer.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
