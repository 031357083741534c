"""Name normalisation for region search, tolerant of case and spelling variants.

Plain Python: no Django import. Indonesian place names are written in several
spellings (old "oe"/"dj"/"tj" orthography, doubled letters, a final "q" for a glottal
stop in Dayak and Kutai names: "Muara Tuboq" / "Muara Tubo", "Salo Cella" /
"Sallo Cela"), so matching compares a phonetic skeleton as well as the plain name.
"""

from __future__ import annotations

import re
import unicodedata

# Words that name the kind of region rather than the region itself.
_PREFIXES = {
    "provinsi",
    "prov",
    "kabupaten",
    "kab",
    "kota",
    "kecamatan",
    "kec",
    "desa",
    "kelurahan",
    "kel",
}

# Common short names used in Kaltim for its regencies and cities, and the province.
ALIASES: dict[str, str] = {
    "kaltim": "64",
    "kalimantan timur": "64",
    "kukar": "64.02",
    "kutai kertanegara": "64.02",
    "kubar": "64.07",
    "kutim": "64.08",
    "ppu": "64.09",
    "penajam": "64.09",
    "mahulu": "64.11",
    "bpp": "64.71",
    "bpn": "64.71",
    "smd": "64.72",
    "samarinda": "64.72",
    "btg": "64.74",
}

_OLD_SPELLING = [("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("ch", "kh")]


def fold(text: str) -> str:
    """Lower-case without accents ("Muára" → "muara"); punctuation kept."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def drop_kind_words(words: list[str]) -> list[str]:
    """Without a leading region-kind word ("Desa Muara Aloh" → "Muara Aloh")."""
    while len(words) > 1 and words[0] in _PREFIXES:
        words = words[1:]
    return words


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation, drop a leading region-kind word."""
    return " ".join(drop_kind_words(re.sub(r"[^a-z0-9]+", " ", fold(text)).split()))


def skeleton(text: str) -> str:
    """A spelling-insensitive key: old orthography mapped, q→k, doubles collapsed."""
    key = normalize(text).replace(" ", "")
    for old, new in _OLD_SPELLING:
        key = key.replace(old, new)
    key = key.replace("q", "k").replace("x", "ks").replace("v", "f").replace("z", "s")
    return re.sub(r"(.)\1+", r"\1", key)


def alias_code(text: str) -> str | None:
    return ALIASES.get(normalize(text))
