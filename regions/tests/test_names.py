"""Typed village names resolve to the same village on the server and the phone."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from regions.names import EXACT, SHORT, SPELLING, Place, fit, resolve

PLACES = [
    Place("64.02.01.2003", "Muara Aloh", "Muara Muntai"),
    Place("64.02.01.2004", "Muara Leka", "Muara Muntai"),
    Place("64.02.12.2005", "Umaq Dian", "Tabang"),
    Place("64.02.02.2014", "Sumber Sari", "Loa Kulu"),
    Place("64.02.07.2007", "Sumber Sari", "Sebulu"),
    Place("64.02.04.2001", "Tanjung Limau", "Muara Badak"),
    Place("64.02.04.2002", "Sungai Meriam", "Anggana"),
]

CASES = {
    "Muara Aloh": ["64.02.01.2003"],
    "muara aloh": ["64.02.01.2003"],
    "  MUARA   ALOH ": ["64.02.01.2003"],
    "Ma. Aloh": ["64.02.01.2003"],
    "Mra Aloh": ["64.02.01.2003"],
    "Desa Muara Aloh": ["64.02.01.2003"],
    "Umak Dian": ["64.02.12.2005"],
    "Tg. Limau": ["64.02.04.2001"],
    "Sei Meriam": ["64.02.04.2002"],
    "Sumber Sari": ["64.02.02.2014", "64.02.07.2007"],
    "Sumber Sari, Sebulu": ["64.02.07.2007"],
    "sumber sari, kec. loa kulu": ["64.02.02.2014"],
    "Muara": [],
    "Ma. Leka Aloh": [],
    "Kampung Entah": [],
    "": [],
}


@pytest.mark.parametrize(("text", "expected"), CASES.items())
def test_resolve(text: str, expected: list[str]) -> None:
    assert [p.kode for p in resolve(text, PLACES).matches] == expected


def test_a_written_code_is_taken_as_it_is() -> None:
    result = resolve("64.02.12.2005 Umaq Dian, Tabang", PLACES)
    assert result.kode == "64.02.12.2005" and result.found is None


def test_fit_levels() -> None:
    assert fit("muara aloh", "Muara Aloh") == EXACT
    assert fit("Moeara Alloh", "Muara Aloh") == SPELLING
    assert fit("Ma. Aloh", "Muara Aloh") == SHORT
    assert fit("Mb. Aloh", "Muara Aloh") == 0


def test_an_exact_name_beats_a_short_form() -> None:
    places = [Place("1", "Ma Aloh", "A"), Place("2", "Muara Aloh", "B")]
    assert [p.kode for p in resolve("Ma Aloh", places).matches] == ["1"]


def test_the_phone_resolves_as_the_server_does() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    script = Path(__file__).resolve().parents[2] / "static" / "js" / "names.js"
    places = [{"kode": p.kode, "name": p.name, "parent": p.parent} for p in PLACES]
    program = (
        f"const n = require({json.dumps(str(script))});"
        f"const places = {json.dumps(places)};"
        f"const cases = {json.dumps(list(CASES))};"
        "console.log(JSON.stringify(cases.map(c =>"
        " n.resolve(c, places).matches.map(p => p.kode))));"
    )
    out = subprocess.run(
        [node, "-e", program], capture_output=True, text=True, check=True, timeout=30
    )
    assert json.loads(out.stdout) == list(CASES.values())
