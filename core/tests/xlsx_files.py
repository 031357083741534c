"""Damaged .xlsx files for the importers' tests: a good sheet made with openpyxl,
then one XML part changed the way a hand-edited or hostile file has it."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

SHEET = "xl/worksheets/sheet1.xml"


def good_xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _repack(
    data: bytes,
    changes: dict[str, Callable[[bytes], bytes]],
    added: dict[str, str] | None = None,
) -> bytes:
    """The workbook again, each part named in ``changes`` changed, ``added`` parts
    appended."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename in changes:
                body = changes[info.filename](body)
            target.writestr(info.filename, body)
        for name, text in (added or {}).items():
            target.writestr(name, text)
    return out.getvalue()


def rewrite(data: bytes, change: Callable[[str], str], member: str = SHEET) -> bytes:
    return _repack(data, {member: lambda body: change(body.decode()).encode()})


def set_cell(data: bytes, ref: str, xml: str) -> bytes:
    """Replace cell ``ref`` (e.g. "C2") by ``xml``."""
    return rewrite(
        data, lambda text: re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml, text)
    )


def bad_shared_string(data: bytes, ref: str) -> bytes:
    return set_cell(data, ref, f'<c r="{ref}" t="s"><v>99</v></c>')


def bad_number(data: bytes, ref: str) -> bytes:
    return set_cell(data, ref, f'<c r="{ref}" t="n"><v>tujuh</v></c>')


def bad_date(data: bytes, ref: str) -> bytes:
    """An ISO date cell (``t="d"``) holding no date."""
    return set_cell(data, ref, f'<c r="{ref}" t="d"><v>2026-13-45</v></c>')


def broken_xml(data: bytes) -> bytes:
    return rewrite(data, lambda text: text[: len(text) // 2])


def huge_shared_string(data: bytes, ref: str, chars: int) -> bytes:
    """Cell ``ref`` points to a shared string of ``chars`` letters: a few KB
    packed, ``chars`` bytes unpacked."""
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="1" uniqueCount="1"><si><t>{"A" * chars}</t></si></sst>'
    )
    data = set_cell(data, ref, f'<c r="{ref}" t="s"><v>0</v></c>')
    return _repack(
        data,
        {
            "[Content_Types].xml": lambda body: body.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                b"application/vnd.openxmlformats-officedocument.spreadsheetml."
                b'sharedStrings+xml"/></Types>',
            ),
            "xl/_rels/workbook.xml.rels": lambda body: body.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.'
                b'org/officeDocument/2006/relationships/sharedStrings" '
                b'Target="sharedStrings.xml"/></Relationships>',
            ),
        },
        added={"xl/sharedStrings.xml": strings},
    )
