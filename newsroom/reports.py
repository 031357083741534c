"""The monthly report of a regency's news for its Diskominfo office: PDF and Excel.

Aggregate figures only (no personal data): articles published that month by the
regency's KIMs and office, with their page views, shares, link clicks and
deliveries; then the posts made that month on the regency's connected social
accounts with the figures the platforms gave so far (impressions, reach,
reactions, shares, comments), per platform, per district and per KIM/office.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from channels.social.selectors import SocialReport, SocialReportRow
from core.exports import XlsxSheet
from core.pdf import FONT, FONT_BOLD, stylesheet, table_style
from newsroom.selectors import ReportRow
from regions.models import Region

MONTHS_ID = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
HEADERS = [
    "No", "Tanggal", "Judul", "Jenis", "Penulis", "Dilihat", "Dibagikan",
    "Klik tautan", "Terkirim", "Dibaca",
]  # fmt: skip


SOCIAL_HEADERS = [
    "", "Unggahan", "Tayangan", "Jangkauan", "Reaksi", "Dibagikan", "Komentar",
]  # fmt: skip
SOCIAL_NOTE = (
    "Unggahan bulan ini dengan angka terakhir dari platform. X dan TikTok tidak "
    "memberi jangkauan (orang unik), hanya tayangan."
)


def month_label(month: date) -> str:
    return f"{MONTHS_ID[month.month - 1]} {month.year}"


def recent_months(n: int = 12) -> list[tuple[str, str]]:
    """``("2026-05", "Mei 2026")`` for this month and the ``n - 1`` before."""
    first = timezone.localdate().replace(day=1)
    months = []
    for _ in range(n):
        months.append((f"{first:%Y-%m}", month_label(first)))
        first = (first - timedelta(days=1)).replace(day=1)
    return months


def _table(rows: list[ReportRow]) -> list[list[object]]:
    table: list[list[object]] = []
    for i, row in enumerate(rows, start=1):
        a = row.article
        published = timezone.localtime(a.published_at) if a.published_at else None
        table.append(
            [
                i,
                f"{published:%d-%m-%Y}" if published else "",
                a.title,
                str(a.get_kind_display()),
                a.author_name,
                row.views,
                row.shares,
                row.clicks,
                row.deliveries,
                row.read,
            ]
        )
    return table


def _totals(rows: list[ReportRow]) -> list[object]:
    return [
        "",
        "",
        "Jumlah",
        "",
        f"{len(rows)} artikel",
        sum(r.views for r in rows),
        sum(r.shares for r in rows),
        sum(r.clicks for r in rows),
        sum(r.deliveries for r in rows),
        sum(r.read for r in rows),
    ]


def _social_line(row: SocialReportRow) -> list[object]:
    return [
        row.label,
        row.posts,
        row.impressions,
        row.reach,
        row.reactions,
        row.shares,
        row.comments,
    ]


def _social_tables(social: SocialReport) -> list[tuple[str, list[list[object]]]]:
    """(title, lines with the header first) per grouping; none without posts."""
    if not social.total.posts:
        return []
    total = _social_line(social.total)
    total[0] = "Jumlah"
    tables = []
    for title, first, rows in (
        ("Media sosial per platform", "Platform", social.by_platform),
        ("Media sosial per kecamatan", "Kecamatan", social.by_district),
        ("Media sosial per KIM dan kantor", "Pemilik akun", social.by_owner),
    ):
        lines: list[list[object]] = [[first, *SOCIAL_HEADERS[1:]]]
        lines.extend(_social_line(r) for r in rows)
        lines.append(total)
        tables.append((title, lines))
    return tables


def report_xlsx(
    *,
    region: Region,
    month: date,
    rows: list[ReportRow],
    social: SocialReport | None = None,
) -> bytes:
    sheet = XlsxSheet(title="Laporan", widths=(5, 12, 60, 28, 30, 10, 10, 11, 10, 10))
    sheet.append([f"Laporan Kabar {region.name}: {month_label(month)}"], bold=True)
    sheet.append([f"Dibuat {timezone.localtime():%d-%m-%Y %H:%M} WITA oleh Simpul"])
    sheet.append([])
    sheet.append(HEADERS, bold=True)
    for line in _table(rows):
        sheet.append(line)
    sheet.append(_totals(rows), bold=True)
    for title, lines in _social_tables(social) if social else []:
        sheet.append([])
        sheet.append([title], bold=True)
        sheet.append(lines[0], bold=True)
        for line in lines[1:-1]:
            sheet.append(line)
        sheet.append(lines[-1], bold=True)
    if social and social.total.posts:
        sheet.append([SOCIAL_NOTE])
    return sheet.getvalue()


def report_pdf(
    *,
    region: Region,
    month: date,
    rows: list[ReportRow],
    social: SocialReport | None = None,
) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    def grid_style(*extra: tuple[Any, ...]) -> Any:
        """Both tables' look: the site's table with the header and the totals row
        bold and a darker grid (``FONT`` also sets the leading, 1.2 times 8 pt);
        ``extra`` adds the table's own alignments."""
        return table_style(
            ("FONT", (0, 0), (-1, -1), FONT, 8),
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
            ("FONT", (0, -1), (-1, -1), FONT_BOLD, 8),
            *extra,
            grid_width=0.3,
            grid_color="#b9c3ca",
        )

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=f"Laporan Kabar {region.name} {month_label(month)}",
        author="Simpul",
        initialFontName=FONT,
    )
    styles = stylesheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    story = [
        Paragraph(f"Laporan Kabar {region.name}", styles["Title"]),
        Paragraph(
            f"{month_label(month)} · dibuat {timezone.localtime():%d-%m-%Y %H:%M} WITA",
            styles["Normal"],
        ),
        Spacer(1, 0.4 * cm),
    ]
    data: list[list[object]] = [[*HEADERS]]
    for line in _table(rows):
        line[2] = Paragraph(str(line[2]), small)
        line[4] = Paragraph(str(line[4]), small)
        data.append(line)
    data.append(_totals(rows))
    widths = [1, 2, 8.5, 3.5, 4.5, 1.6, 1.8, 1.8, 1.6, 1.5]
    table = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(
        grid_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (5, 1), (-1, -1), "RIGHT")
        )
    )
    story.append(table)
    if not rows:
        story.append(Spacer(1, 0.4 * cm))
        story.append(Paragraph("Tidak ada artikel terbit bulan ini.", styles["Normal"]))
    for title, lines in _social_tables(social) if social else []:
        story.append(Spacer(1, 0.5 * cm))
        story.append(Paragraph(title, styles["Heading3"]))
        lines = [[Paragraph(str(line[0]), small), *line[1:]] for line in lines]
        part = Table(lines, colWidths=[8 * cm] + [2.2 * cm] * 6, repeatRows=1)
        part.setStyle(grid_style(("ALIGN", (1, 1), (-1, -1), "RIGHT")))
        story.append(part)
    if social and social.total.posts:
        story.append(Spacer(1, 0.3 * cm))
        story.append(Paragraph(SOCIAL_NOTE, small))
    doc.build(story)
    return out.getvalue()
