"""The share card of a fact-check: a 1200 x 630 PNG (the size WhatsApp, Telegram and
Facebook show as a link preview) with the verdict and the title."""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from factcheck.verdicts import verdict_is_false

WIDTH, HEIGHT = 1200, 630
_RED, _AMBER, _GREEN = (168, 50, 31), (176, 112, 0), (11, 110, 79)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled font: no system fonts needed.
    return ImageFont.load_default(size=size)


def render_card(
    *, verdict_label: str, verdict_key: str, title: str, publisher: str
) -> bytes:
    colour = _RED if verdict_is_false(verdict_key) else _AMBER
    if verdict_key == "benar":
        colour = _GREEN
    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 150], fill=colour)
    draw.text((60, 38), "CEK FAKTA", font=_font(34), fill=(255, 255, 255))
    draw.text((60, 78), verdict_label, font=_font(56), fill=(255, 255, 255))
    lines = textwrap.wrap(title, width=42)[:5]
    if len(textwrap.wrap(title, width=42)) > 5:
        lines[-1] = lines[-1].rstrip(" .,") + "…"
    y = 190
    for line in lines:
        draw.text((60, y), line, font=_font(52), fill=(29, 35, 39))
        y += 66
    draw.line([60, HEIGHT - 80, WIDTH - 60, HEIGHT - 80], fill=(221, 227, 232), width=3)
    footer = f"{publisher} · Simpul · Cek dulu sebelum sebar"
    draw.text((60, HEIGHT - 62), footer, font=_font(30), fill=(92, 103, 112))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
