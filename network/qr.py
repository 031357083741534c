"""QR codes as inline SVG (segno, pure Python)."""

from __future__ import annotations

import segno


def qr_svg(data: str, *, scale: int = 5) -> str:
    """An ``<svg>`` element encoding ``data`` (medium error correction)."""
    return str(
        segno.make(data, error="m").svg_inline(scale=scale, border=2, dark="#1d2327")
    )
