from datetime import UTC, datetime, timedelta

from network import venue_code

SECRET = "rahasia-acara-0123456789abcdef"
NOON = datetime(2026, 12, 16, 4, 0, tzinfo=UTC)


def test_six_digits_changing_every_period_and_per_event() -> None:
    code = venue_code.current_code(SECRET, 7, NOON)
    assert len(code) == 6 and code.isdigit()
    later = NOON + timedelta(seconds=venue_code.PERIOD_SECONDS)
    assert venue_code.current_code(SECRET, 7, later) != code
    assert venue_code.current_code(SECRET, 8, NOON) != code
    assert venue_code.current_code("lain", 7, NOON) != code


def test_the_previous_window_is_accepted_older_ones_are_not() -> None:
    code = venue_code.current_code(SECRET, 7, NOON)
    period = timedelta(seconds=venue_code.PERIOD_SECONDS)
    assert venue_code.code_valid(SECRET, 7, code, NOON)
    assert venue_code.code_valid(SECRET, 7, f" {code[:3]} {code[3:]} ", NOON)
    assert venue_code.code_valid(SECRET, 7, code, NOON + period)
    assert not venue_code.code_valid(SECRET, 7, code, NOON + 2 * period)
    assert not venue_code.code_valid(SECRET, 7, code, NOON - period)
    assert not venue_code.code_valid(SECRET, 8, code, NOON)
    assert not venue_code.code_valid(SECRET, 7, "abcdef", NOON)


def test_seconds_left_counts_down_within_the_window() -> None:
    start = datetime.fromtimestamp(
        venue_code.window_of(NOON) * venue_code.PERIOD_SECONDS, UTC
    )
    assert venue_code.seconds_left(start) == venue_code.PERIOD_SECONDS
    assert venue_code.seconds_left(start + timedelta(seconds=10)) == (
        venue_code.PERIOD_SECONDS - 10
    )
