"""Which village a typed name means: "Muara Aloh", "muara aloh", "Ma. Aloh".

Plain Python, no Django: the server resolves names with it and
static/js/names.js mirrors it line for line, so a phone without signal picks the
same village the server will (regions/tests/test_names.py runs both on the same
cases). A person types a village the way it is written on a sign or in a letter:
in any case, with old spellings, and with the usual short forms of the first word
("Ma." for Muara, "Tg." for Tanjung, "Sp." for Simpang).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from regions.search import drop_kind_words, fold, normalize, skeleton

# A Kemendagri village code at the start of the text ("64.02.12.2005 Muara Aloh").
CODE = re.compile(r"^\s*(\d{2}\.\d{2}\.\d{2}\.\d{4})\b")

# Short forms written on signs and in letters in Kalimantan, by first word.
SHORT_FORMS: dict[str, str] = {
    "ma": "muara",
    "mra": "muara",
    "tg": "tanjung",
    "tj": "tanjung",
    "tjg": "tanjung",
    "sp": "simpang",
    "spg": "simpang",
    "sg": "sungai",
    "sei": "sungai",
    "kp": "kampung",
    "kpg": "kampung",
    "bt": "batu",
    "tl": "teluk",
    "tlk": "teluk",
    "lb": "loa",
    "pa": "pulau",
    "p": "pulau",
}

# How well a name fits: the best level found wins, lower levels are not counted.
EXACT, SPELLING, SHORT = 3, 2, 1


@dataclass(frozen=True)
class Place:
    """A candidate village: its code, name and the name of its district."""

    kode: str
    name: str
    parent: str = ""


@dataclass
class Resolution:
    """The villages a text may mean: one when found, several when ambiguous."""

    matches: list[Place] = field(default_factory=list)
    kode: str | None = None  # a code written in the text, taken as it is

    @property
    def found(self) -> Place | None:
        return self.matches[0] if len(self.matches) == 1 else None


def _words(text: str) -> list[tuple[str, bool]]:
    """Words of ``text`` and whether each was written short (ends with a dot)."""
    found = [
        (m.group(1), bool(m.group(2)))
        for m in re.finditer(r"([a-z0-9]+)(\.?)", fold(text))
    ]
    kept = drop_kind_words([w for w, _ in found])
    return found[len(found) - len(kept) :]


def _is_subsequence(short: str, word: str) -> bool:
    letters = iter(word)
    return all(ch in letters for ch in short)


def _word_fits(typed: str, dotted: bool, word: str) -> bool:
    if skeleton(typed) == skeleton(word) or SHORT_FORMS.get(typed) == word:
        return True
    # "Ma." or "Mra" for Muara: same first letter, the rest in order.
    return (
        (dotted or len(typed) <= 3)
        and len(typed) < len(word)
        and typed[0] == word[0]
        and _is_subsequence(typed, word)
    )


def fit(text: str, name: str) -> int:
    """How well ``text`` names ``name``: EXACT, SPELLING, SHORT, or 0."""
    if not normalize(text):
        return 0
    if normalize(text) == normalize(name):
        return EXACT
    if skeleton(text) == skeleton(name):
        return SPELLING
    typed, words = _words(text), [w for w, _ in _words(name)]
    if len(typed) != len(words):
        return 0
    fits = all(_word_fits(t, d, w) for (t, d), w in zip(typed, words, strict=True))
    return SHORT if fits else 0


def _best(text: str, places: Iterable[Place], key: str) -> list[Place]:
    scored = [(fit(text, getattr(p, key)), p) for p in places]
    top = max((s for s, _ in scored), default=0)
    return [p for s, p in scored if top and s == top]


def resolve(text: str, places: Sequence[Place]) -> Resolution:
    """The villages among ``places`` that ``text`` names.

    The text may be "Name" or "Name, District" as the village list writes it; the
    district narrows the choice when the name alone is ambiguous.
    """
    code = CODE.match(text)
    if code:
        return Resolution(kode=code.group(1))
    name, _, district = text.partition(",")
    matches = _best(name, places, "name")
    if len(matches) > 1 and normalize(district):
        narrowed = _best(district, matches, "parent")
        matches = narrowed or matches
    return Resolution(matches=matches)
