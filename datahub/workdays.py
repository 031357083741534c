"""Working days for statutory deadlines: plain Python, no Django import.

A working day is Monday to Friday and not a day off. Days off are Indonesia's
national holidays and the government's joint leave (cuti bersama), from the
``holidays`` package (categories "public" and "government"), plus any the caller
adds (``datahub.models.NonWorkingDay``, kept by admins for decrees the package does
not know yet).
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=32)
def indonesian_days_off(year: int) -> dict[date, str]:
    """National holidays and cuti bersama of one year, with their Indonesian names."""
    import holidays

    days = holidays.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    return {d: str(name) for d, name in sorted(days.items())}


def days_off(years: Iterable[int], extra: Iterable[date] = ()) -> frozenset[date]:
    found: set[date] = set(extra)
    for year in set(years):
        found.update(indonesian_days_off(year))
    return frozenset(found)


def is_working_day(day: date, off: Container[date]) -> bool:
    return day.weekday() < 5 and day not in off


def add_working_days(start: date, n: int, off: Container[date]) -> date:
    """The ``n``-th working day after ``start`` (the day of receipt is not counted)."""
    day = start
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if is_working_day(day, off):
            counted += 1
    return day


def working_days_until(today: date, due: date, off: Container[date]) -> int:
    """Working days left from ``today`` to ``due`` (0 on the due day itself when it
    is the last one; negative: working days overdue)."""
    if due >= today:
        return sum(
            1
            for i in range(1, (due - today).days + 1)
            if is_working_day(today + timedelta(days=i), off)
        )
    return -sum(
        1
        for i in range(0, (today - due).days)
        if is_working_day(due + timedelta(days=i + 1), off)
    )


def working_days_between(start: date, end: date, off: Container[date]) -> int:
    """Working days after ``start`` up to and including ``end``."""
    return max(0, working_days_until(start, end, off))
