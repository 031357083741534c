"""When a social post may go out: not in the quiet hours (local time), and not
over the platform's posts per account in a rolling window. Plain Python (no
Django): the services pass the settings and the account's taken slots in."""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

Quiet = tuple[time, time]


def parse_quiet(spec: str) -> Quiet | None:
    """``"21:00-06:00"`` → (21:00, 06:00); empty → None; ValueError otherwise."""
    spec = spec.strip()
    if not spec:
        return None
    start, sep, end = spec.partition("-")
    if not sep:
        raise ValueError(f"quiet hours {spec!r}: expected HH:MM-HH:MM")
    first, last = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    return None if first == last else (first, last)


def in_quiet(moment: datetime, quiet: Quiet | None, tz: tzinfo) -> bool:
    if quiet is None:
        return False
    now = moment.astimezone(tz).time()
    start, end = quiet
    if start < end:
        return start <= now < end
    return now >= start or now < end  # over midnight


def after_quiet(moment: datetime, quiet: Quiet | None, tz: tzinfo) -> datetime:
    """``moment``, or the end of the quiet hours it falls in."""
    if not in_quiet(moment, quiet, tz):
        return moment
    assert quiet is not None
    local = moment.astimezone(tz)
    end = local.replace(
        hour=quiet[1].hour, minute=quiet[1].minute, second=0, microsecond=0
    )
    if end <= local:
        end += timedelta(days=1)
    return end


def _fits(
    moment: datetime, slots: list[datetime], limit: int, window: timedelta
) -> bool:
    """One more post at ``moment`` keeps every ``window`` at most ``limit``:
    the window ending at it, and those ending at the later posts it falls in
    (a retry or a late publish may land before posts already scheduled)."""
    if sum(1 for t in slots if moment - window < t <= moment) >= limit:
        return False
    return all(
        sum(1 for t in slots if later - window < t <= later) < limit
        for later in slots
        if moment < later < moment + window
    )


def next_slot(
    *,
    earliest: datetime,
    taken: list[datetime],
    limit: int,
    window: timedelta,
    quiet: Quiet | None,
    tz: tzinfo,
) -> datetime:
    """The first moment from ``earliest`` out of the quiet hours at which one
    more post keeps each ``window`` at no more than ``limit`` of the account's
    posts (``taken``: sent or scheduled, before or after it)."""
    moment = after_quiet(earliest, quiet, tz)
    if limit <= 0:
        return moment
    slots = sorted(taken)
    # A moment becomes free only when a post leaves its window: the first
    # free one is ``earliest`` or a minute after some post's window ends.
    candidates = sorted(
        {moment}
        | {
            after_quiet(t + window + timedelta(minutes=1), quiet, tz)
            for t in slots
            if t + window + timedelta(minutes=1) > moment
        }
    )
    for candidate in candidates:
        if _fits(candidate, slots, limit, window):
            return candidate
    return candidates[-1]
