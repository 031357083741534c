"""The site's PDF table look (core.pdf.table_style)."""

from reportlab.lib import colors
from reportlab.platypus import Table

from core.pdf import FONT, FONT_BOLD, table_style


def test_table_style_sets_header_grid_and_font_that_extra_overrides() -> None:
    table = Table([["Nama", "Jumlah"], ["Desa A", "3"]])
    table.setStyle(table_style(("FONT", (0, 0), (-1, 0), FONT_BOLD, 8)))
    header, body = table._cellStyles
    assert header[0].fontname == FONT_BOLD and header[0].color == colors.white
    assert body[1].fontname == FONT and body[1].fontsize == 8
    assert table._bkgrndcmds == [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0b6e4f"))
    ]
    (grid,) = [cmd for cmd in table._linecmds if cmd[0] == "GRID"]
    assert grid[3:5] == (0.25, colors.HexColor("#dde3e8"))


def test_table_style_takes_a_report_own_grid() -> None:
    style = table_style(grid_width=0.3, grid_color="#b9c3ca")
    (grid,) = [cmd for cmd in style.getCommands() if cmd[0] == "GRID"]
    assert grid[3:] == (0.3, colors.HexColor("#b9c3ca"))
