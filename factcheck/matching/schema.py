"""Plain data passed in and out of the engine."""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field
from typing import Any


class Decision(enum.StrEnum):
    """What to do with a message.  A ``str``, so it compares equal to the plain
    values ``"match"``, ``"suggest"`` and ``"none"`` the app stores."""

    MATCH = "match"  # answer the asker at once with the top fact-check
    SUGGEST = "suggest"  # show the candidates to a fact-checker
    NONE = "none"  # nothing close: a new claim for the desk


_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "januari", "january"),
            ("feb", "februari", "february", "pebruari"),
            ("mar", "maret", "march"),
            ("apr", "april"),
            ("mei", "may"),
            ("jun", "juni", "june"),
            ("jul", "juli", "july"),
            ("agu", "agt", "ags", "aug", "agustus", "august"),
            ("sep", "sept", "september"),
            ("okt", "oct", "oktober", "october"),
            ("nov", "nop", "november", "nopember"),
            ("des", "dec", "desember", "december"),
        ]
    )
    for m in names
}
_DMY = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})")


def parse_date(value: object) -> dt.date | None:
    """A date from a ``date``/``datetime``, an ISO string, or Indonesian/English
    "2 Jan 2024" / "17 Agustus 2024"; ``None`` when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    m = _DMY.fullmatch(text)
    if m and m.group(2).lower() in _MONTHS:
        try:
            return dt.date(
                int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))
            )
        except ValueError:
            return None
    return None


@dataclass(slots=True)
class FactCheckDoc:
    """One published fact-check as the engine sees it.

    ``title`` is the headline; ``claim`` the claim reviewed (often close to how the
    hoax was worded); ``explanation`` the body; ``conclusion`` the verdict
    paragraph.  ``published`` accepts a date, an ISO string or "2 Jan 2024" and is
    stored as a ``date`` (or ``None``).
    """

    id: str
    title: str
    claim: str = ""
    explanation: str = ""
    conclusion: str = ""
    verdict: str = ""
    published: dt.date | str | None = None
    source: str = ""
    url: str = ""

    def __post_init__(self) -> None:
        self.id = str(self.id)
        for name in ("title", "claim", "explanation", "conclusion", "verdict"):
            value = getattr(self, name)
            setattr(self, name, "" if value is None else str(value))
        self.published = parse_date(self.published)

    @property
    def published_date(self) -> dt.date | None:
        return self.published if isinstance(self.published, dt.date) else None

    def fingerprint(self) -> tuple[str, str, str, str]:
        """The fields that matching reads: an unchanged fingerprint means the
        stored terms and embedding can be reused."""
        return (self.title, self.claim, self.explanation, self.conclusion)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "claim": self.claim,
            "explanation": self.explanation,
            "conclusion": self.conclusion,
            "verdict": self.verdict,
            "published": (
                self.published_date.isoformat() if self.published_date else None
            ),
            "source": self.source,
            "url": self.url,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FactCheckDoc:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass(slots=True)
class Match:
    """A ranked candidate: ``score`` is the calibrated probability that this is
    the fact-check that answers the message."""

    id: str
    score: float
    features: dict[str, float] = field(default_factory=dict)
