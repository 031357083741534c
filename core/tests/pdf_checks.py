"""Checks shared by the PDF tests of each app: the text font is embedded, and
what was written can be read back."""

import io

from pypdf import PdfReader

BASE_14 = (
    b"/Helvetica",
    b"/Times-",
    b"/Courier",
    b"/Symbol",
    b"/ZapfDingbats",
)


def assert_embedded_font_with(pdf: bytes, *texts: str) -> str:
    """Every font of ``pdf`` embedded (a TrueType FontFile2, no base-14 font) and
    each of ``texts`` in its extracted text; returns the text."""
    assert pdf.startswith(b"%PDF")
    assert b"/FontFile2" in pdf
    for name in BASE_14:
        assert b"/BaseFont " + name not in pdf, name
    reader = PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            if font["/Subtype"] == "/Type0":
                descendant = font["/DescendantFonts"][0].get_object()
                assert "/FontFile2" in descendant["/FontDescriptor"]
            else:
                assert "/FontFile2" in font["/FontDescriptor"].get_object()
    assert fonts and all("SimpulSans" in f or "Noto" in f for f in fonts), fonts
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in texts:
        assert expected in text, (expected, text[:500])
    return text
