"""Activity score and maturity level of a KIM: plain, documented arithmetic.

Monthly score
    Each *approved* activity earns points by its ADINDA kind:

    =============  ======
    kind           points
    =============  ======
    akses               1
    diskusi             2
    networking          2
    aspirasi            2
    diseminasi          3
    implementasi        3
    =============  ======

    At most ``CAP_PER_KIND`` (4) activities of one kind count in a month, so a
    KIM cannot climb by reporting the same thing many times. Rejected and not yet
    reviewed reports earn nothing.

Maturity level
    Over the last ``WINDOW_MONTHS`` (6) complete calendar months before today:

    * **utama** when the mean monthly score is at least 15, the KIM was active
      (score > 0) in at least 5 of the 6 months and used at least 4 ADINDA kinds;
    * **madya** when the mean monthly score is at least 6 and it was active in at
      least 3 months;
    * **pemula** otherwise.

    A KIM with no approved activity in the window keeps the level it has (for
    instance the one recorded when it was imported), so the computation never
    downgrades a KIM merely because it has not started reporting on Simpul.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

POINTS: dict[str, int] = {
    "akses": 1,
    "diskusi": 2,
    "networking": 2,
    "aspirasi": 2,
    "diseminasi": 3,
    "implementasi": 3,
}
CAP_PER_KIND = 4
WINDOW_MONTHS = 6
UTAMA_MEAN, UTAMA_ACTIVE_MONTHS, UTAMA_KINDS = 15.0, 5, 4
MADYA_MEAN, MADYA_ACTIVE_MONTHS = 6.0, 3


def month_score(counts_by_kind: Mapping[str, int]) -> int:
    """Score of one month from the number of approved activities of each kind."""
    return sum(
        POINTS.get(kind, 0) * min(n, CAP_PER_KIND) for kind, n in counts_by_kind.items()
    )


def window_months(today: date, months: int = WINDOW_MONTHS) -> list[date]:
    """The first days of the ``months`` complete months before ``today``'s month."""
    result = []
    year, month = today.year, today.month
    for _ in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        result.append(date(year, month, 1))
    return sorted(result)


@dataclass(frozen=True)
class Maturity:
    level: str | None  # None: no data, keep the current level
    mean_score: float
    active_months: int
    kinds_used: int


def maturity(monthly_scores: Iterable[int], kinds_used: int) -> Maturity:
    """The level from the window's monthly scores (missing months count as 0)."""
    scores = list(monthly_scores)
    scores += [0] * (WINDOW_MONTHS - len(scores))
    mean = sum(scores) / WINDOW_MONTHS
    active = sum(1 for s in scores if s > 0)
    if active == 0:
        return Maturity(None, 0.0, 0, kinds_used)
    if (
        mean >= UTAMA_MEAN
        and active >= UTAMA_ACTIVE_MONTHS
        and kinds_used >= UTAMA_KINDS
    ):
        level = "utama"
    elif mean >= MADYA_MEAN and active >= MADYA_ACTIVE_MONTHS:
        level = "madya"
    else:
        level = "pemula"
    return Maturity(level, mean, active, kinds_used)
