"""The tipline's public address (``TIPLINE_WHATSAPP_NUMBER``,
``TIPLINE_TELEGRAM_BOT``): ``wa.me``/``t.me`` links and their QR codes, drawn
as SVG on the server (the page loads no script for it)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

_BOT = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


@dataclass(frozen=True)
class Address:
    channel: str  # "whatsapp" or "telegram"
    label: str  # what people read: "+62 811-…" or "@CekFaktaBot"
    url: str
    qr: SafeString


def qr_svg(url: str) -> SafeString:
    """A QR code of ``url`` as inline SVG (segno writes only its own markup)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=4,
        border=2,
        xmldecl=False,
        svgns=True,
        svgclass="qr",
        lineclass=None,
        omitsize=False,
    )
    return mark_safe(buffer.getvalue().decode())  # noqa: S308 (generated, no input markup)


def tipline_address() -> list[Address]:
    """The configured ways to reach the tipline; empty when none is set."""
    found: list[Address] = []
    digits = re.sub(r"\D", "", settings.TIPLINE_WHATSAPP_NUMBER or "")
    if 8 <= len(digits) <= 15:
        url = f"https://wa.me/{digits}"
        found.append(Address("whatsapp", f"+{digits}", url, qr_svg(url)))
    bot = (settings.TIPLINE_TELEGRAM_BOT or "").lstrip("@")
    if _BOT.match(bot):
        url = f"https://t.me/{bot}"
        found.append(Address("telegram", f"@{bot}", url, qr_svg(url)))
    return found
