"""Certificates of attendance as PDF (reportlab, pure Python).

The PDF carries the holder's name, the event, its date and place, the issuing
office, and a verification code with a QR code of the public verification page,
where anyone can check that the certificate is genuine.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.formats import date_format
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from core.pdf import FONT, FONT_BOLD, register_fonts
from network.models import Certificate, QuizAttempt

ACCENT = HexColor("#0b6e4f")
MUTED = HexColor("#5c6770")


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    participant = certificate.participant
    event = participant.event
    width, height = landscape(A4)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(
        buffer, pagesize=(width, height), initialFontName=register_fonts()
    )
    pdf.setTitle(f"Sertifikat {certificate.code}")
    pdf.setAuthor("Simpul")
    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(4)
    pdf.rect(24, 24, width - 48, height - 48)
    pdf.setLineWidth(1)
    pdf.rect(32, 32, width - 64, height - 64)

    center = width / 2
    pdf.setFillColor(ACCENT)
    pdf.setFont(FONT_BOLD, 34)
    pdf.drawCentredString(center, height - 110, "SERTIFIKAT")
    pdf.setFillColor(MUTED)
    pdf.setFont(FONT, 13)
    pdf.drawCentredString(center, height - 135, "Certificate of attendance")
    pdf.setFillColorRGB(0.11, 0.14, 0.15)
    pdf.setFont(FONT, 14)
    pdf.drawCentredString(center, height - 180, "diberikan kepada")
    pdf.setFont(FONT_BOLD, 26)
    pdf.drawCentredString(center, height - 220, participant.person.full_name[:60])
    pdf.setFont(FONT, 14)
    role = "peserta pelatihan" if event.is_training else "peserta kegiatan"
    pdf.drawCentredString(center, height - 258, f"atas partisipasinya sebagai {role}")
    pdf.setFont(FONT_BOLD, 16)
    _centred_lines(pdf, event.title, center, height - 288, 80, 20)
    local = timezone.localtime(event.starts_at)
    place = event.venue or "daring"
    pdf.setFont(FONT, 12)
    pdf.drawCentredString(
        center,
        height - 338,
        f"{date_format(local, 'j F Y')} · {place} · {event.organisers or ''}".strip(
            " ·"
        )[:120],
    )
    if event.is_training:
        scores = dict(participant.attempts.values_list("phase", "score"))
        pre = scores.get(QuizAttempt.Phase.PRE)
        post = scores.get(QuizAttempt.Phase.POST)
        if pre is not None and post is not None:
            pdf.drawCentredString(
                center, height - 358, f"Nilai pre-test {pre} · post-test {post}"
            )

    size = 96
    widget = QrCodeWidget(verify_url)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    # The renderer starts every drawing in Helvetica unless told otherwise.
    drawing.initialFontName = FONT
    renderPDF.draw(drawing, pdf, 60, 52)
    pdf.setFillColor(MUTED)
    pdf.setFont(FONT, 10)
    pdf.drawString(168, 120, "Kode verifikasi / verification code:")
    pdf.setFont(FONT_BOLD, 16)
    pdf.drawString(168, 100, certificate.code)
    pdf.setFont(FONT, 9)
    pdf.drawString(168, 82, f"Periksa keaslian: {verify_url}"[:110])
    issued = date_format(timezone.localtime(certificate.issued_at), "j F Y")
    pdf.drawRightString(width - 60, 82, f"Diterbitkan {issued} melalui Simpul")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _centred_lines(
    pdf: canvas.Canvas, text: str, x: float, y: float, width: int, leading: int
) -> None:
    words, line, lines = text.split(), "", []
    for word in words:
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    for i, part in enumerate(lines[:3]):
        pdf.drawCentredString(x, y - i * leading, part)
