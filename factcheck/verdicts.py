"""Fact-check verdicts: our list, and the mapping of the labels others publish.

Plain Python (no Django import) so that importers, the matching adapter and the
benchmark share it. The values are stable keys stored in the database; the
Indonesian labels are those shown in bot replies, share texts and ClaimReview
``alternateName`` whatever the page language.
"""

from __future__ import annotations

import re

# key → (Indonesian label, ClaimReview ratingValue on a 1 (false) … 5 (true) scale)
VERDICTS: dict[str, tuple[str, int]] = {
    "salah": ("SALAH", 1),
    "hoaks": ("HOAKS", 1),
    "disinformasi": ("DISINFORMASI", 1),
    "misinformasi": ("MISINFORMASI", 1),
    "penipuan": ("PENIPUAN", 1),
    "konten_palsu": ("KONTEN PALSU", 1),
    "konten_dimanipulasi": ("KONTEN DIMANIPULASI", 1),
    "konten_tiruan": ("KONTEN TIRUAN", 1),
    "konteks_keliru": ("KONTEKS KELIRU", 2),
    "menyesatkan": ("MENYESATKAN", 2),
    "sebagian_benar": ("SEBAGIAN BENAR", 3),
    "satire": ("SATIRE/PARODI", 3),
    "benar": ("BENAR", 5),
    "belum_terbukti": ("BELUM TERBUKTI", 3),
}
DEFAULT_VERDICT = "salah"

# Labels seen on Indonesian and international fact-checking sites, normalised
# (lower case, letters and spaces only) → our key.
_ALIASES: dict[str, str] = {
    "salah": "salah",
    "keliru": "salah",
    "false": "salah",
    "tidak benar": "salah",
    "fakta salah": "salah",
    "hoaks": "hoaks",
    "hoax": "hoaks",
    "hoaxs": "hoaks",
    "berita bohong": "hoaks",
    "bohong": "hoaks",
    "fake": "hoaks",
    "fake news": "hoaks",
    "disinformasi": "disinformasi",
    "disinformation": "disinformasi",
    "misinformasi": "misinformasi",
    "misinformation": "misinformasi",
    "penipuan": "penipuan",
    "scam": "penipuan",
    "fraud": "penipuan",
    "phishing": "penipuan",
    "konten palsu": "konten_palsu",
    "fabricated content": "konten_palsu",
    "fabricated": "konten_palsu",
    "konten yang dimanipulasi": "konten_dimanipulasi",
    "konten dimanipulasi": "konten_dimanipulasi",
    "manipulated content": "konten_dimanipulasi",
    "manipulated": "konten_dimanipulasi",
    "altered": "konten_dimanipulasi",
    "konten tiruan": "konten_tiruan",
    "impostor content": "konten_tiruan",
    "imposter content": "konten_tiruan",
    "konteks keliru": "konteks_keliru",
    "konteks yang salah": "konteks_keliru",
    "konteks salah": "konteks_keliru",
    "false context": "konteks_keliru",
    "missing context": "konteks_keliru",
    "out of context": "konteks_keliru",
    "menyesatkan": "menyesatkan",
    "misleading": "menyesatkan",
    "konten menyesatkan": "menyesatkan",
    "sebagian benar": "sebagian_benar",
    "partly true": "sebagian_benar",
    "partly false": "sebagian_benar",
    "half true": "sebagian_benar",
    "mixture": "sebagian_benar",
    "satire": "satire",
    "satir": "satire",
    "parodi": "satire",
    "satire parodi": "satire",
    "satire atau parodi": "satire",
    "parody": "satire",
    "benar": "benar",
    "fakta": "benar",
    "true": "benar",
    "correct": "benar",
    "akurat": "benar",
    "belum terbukti": "belum_terbukti",
    "tidak terbukti": "belum_terbukti",
    "unproven": "belum_terbukti",
    "unverified": "belum_terbukti",
}


def _norm(raw: str) -> str:
    return " ".join(re.sub(r"[^a-z]+", " ", raw.lower()).split())


def verdict_from_label(raw: str | None) -> str | None:
    """Our verdict key for a published label (``"[HOAKS]"``, ``"False"``,
    ``"Satire/Parodi"``, ``"Konten yang Dimanipulasi"``…), or None if unknown."""
    if not raw:
        return None
    text = _norm(raw)
    if text in _ALIASES:
        return _ALIASES[text]
    key = text.replace(" ", "_")
    if key in VERDICTS:
        return key
    # A label with extra words ("hoaks politik", "salah konteks"): the first known
    # alias found among its words, longest aliases first.
    for alias in sorted(_ALIASES, key=len, reverse=True):
        if re.search(rf"\b{re.escape(alias)}\b", text):
            return _ALIASES[alias]
    return None


def verdict_label(key: str) -> str:
    """The Indonesian label of a verdict key (``"SATIRE/PARODI"``)."""
    return VERDICTS.get(key, (key.upper(), 1))[0]


def verdict_rating(key: str) -> int:
    return VERDICTS.get(key, ("", 1))[1]


def verdict_is_false(key: str) -> bool:
    return verdict_rating(key) <= 2
