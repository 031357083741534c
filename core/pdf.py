"""The font every PDF of the site uses: Noto Sans (fontpkg-noto-sans), embedded.

reportlab's built-in Helvetica is one of the PDF base-14 fonts: not embedded and
limited to Latin-1, so names such as "Đặng" or "Nguyễn" lose letters. Noto Sans
covers Latin Extended, Vietnamese, Greek and Cyrillic and travels inside the PDF.
The package ships a variable font; reportlab draws its default instance
(Regular), so the bold and italic names map to it too, and headings stand out by
size."""

from __future__ import annotations

from functools import cache
from typing import Any

from fontpkg_noto_sans import ROOT

FONT = "SimpulSans"
FONT_BOLD = "SimpulSans-Bold"
FONT_ITALIC = "SimpulSans-Italic"
FONT_BOLD_ITALIC = "SimpulSans-BoldItalic"

_FILES = {
    FONT: "NotoSans[wdth,wght].ttf",
    FONT_BOLD: "NotoSans[wdth,wght].ttf",
    FONT_ITALIC: "NotoSans-Italic[wdth,wght].ttf",
    FONT_BOLD_ITALIC: "NotoSans-Italic[wdth,wght].ttf",
}


@cache
def register_fonts() -> str:
    """Register the fonts with reportlab (once) and return the regular one's name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(ROOT / "files" / filename)))
    for bold, italic, name in (
        (0, 0, FONT),
        (1, 0, FONT_BOLD),
        (0, 1, FONT_ITALIC),
        (1, 1, FONT_BOLD_ITALIC),
    ):
        addMapping(FONT, bold, italic, name)
    return FONT


def stylesheet() -> Any:
    """reportlab's sample styles, every one set in the embedded font."""
    from reportlab.lib.styles import getSampleStyleSheet

    register_fonts()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        name = getattr(style, "fontName", "")
        bold = "Bold" in name
        italic = "Italic" in name or "Oblique" in name
        style.fontName = {
            (False, False): FONT,
            (True, False): FONT_BOLD,
            (False, True): FONT_ITALIC,
            (True, True): FONT_BOLD_ITALIC,
        }[(bold, italic)]
        if hasattr(style, "bulletFontName"):
            style.bulletFontName = FONT
    return styles


def a4_document(buffer: Any, *, title: str) -> Any:
    """The site's A4 page (1.5 cm side margins) set in the embedded font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        initialFontName=register_fonts(),
    )


def table_style(
    *extra: tuple[Any, ...],
    grid_width: float = 0.25,
    grid_color: str = "#dde3e8",
) -> Any:
    """The site's data table: the header row white on green, a light grid, every
    cell 8 pt in the embedded font; ``extra`` adds (or, for a cell's font,
    overrides) the table's own commands such as alignments or a bold row."""
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    return TableStyle(
        [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0b6e4f")),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("GRID", (0, 0), (-1, -1), grid_width, colors.HexColor(grid_color)),
            ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            *extra,
        ]
    )
