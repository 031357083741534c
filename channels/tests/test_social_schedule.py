"""When social posts may go out: quiet hours (WITA) and posts per account and
day, as the pure algorithm (``channels.social.schedule``) and through
``services.publish`` (the outbox's not-before)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from channels import services as outbox
from channels.models import SocialPost
from channels.social import schedule, services
from channels.tests.test_social import _connect, _publication

WITA = ZoneInfo("Asia/Makassar")
QUIET = (time(21), time(6))


def _wita(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=WITA)


def test_parse_quiet_hours() -> None:
    assert schedule.parse_quiet("21:00-06:00") == QUIET
    assert schedule.parse_quiet(" 22:30 - 05:15 ") == (time(22, 30), time(5, 15))
    assert schedule.parse_quiet("") is None
    with pytest.raises(ValueError):
        schedule.parse_quiet("21")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (_wita(2, 20, 59), _wita(2, 20, 59)),  # before the quiet hours
        (_wita(2, 21), _wita(3, 6)),  # at their start
        (_wita(2, 23, 30), _wita(3, 6)),  # before midnight
        (_wita(3, 2, 40), _wita(3, 6)),  # after midnight
        (_wita(3, 6), _wita(3, 6)),  # at their end
    ],
)
def test_after_quiet_moves_night_posts_to_the_morning(
    moment: datetime, expected: datetime
) -> None:
    assert schedule.after_quiet(moment, QUIET, WITA) == expected


def test_quiet_hours_within_one_day_and_in_utc() -> None:
    lunch = (time(12), time(13))
    assert schedule.after_quiet(_wita(2, 12, 30), lunch, WITA) == _wita(2, 13)
    # 14:00 UTC is 22:00 WITA: quiet; the morning is 06:00 WITA = 22:00 UTC.
    utc = datetime(2026, 12, 2, 14, tzinfo=UTC)
    assert schedule.after_quiet(utc, QUIET, WITA) == _wita(3, 6)


MORNING_POSTS = [_wita(2, 8), _wita(2, 9), _wita(2, 9, 30)]


@pytest.mark.parametrize(
    ("taken", "limit", "expected"),
    [
        # Room for one more: now.
        pytest.param(MORNING_POSTS, 4, _wita(2, 10), id="room-now"),
        # Full: the oldest leaves the window at 08:00 tomorrow (+1 minute).
        pytest.param(MORNING_POSTS, 3, _wita(3, 8, 1), id="full-until-oldest-leaves"),
        # A window ending at night: the slot moves to the morning.
        pytest.param(
            [_wita(2, 0, 30), _wita(2, 1)], 1, _wita(3, 6), id="window-ends-at-night"
        ),
    ],
)
def test_next_slot_waits_for_the_window_and_skips_the_night(
    taken: list[datetime], limit: int, expected: datetime
) -> None:
    assert (
        schedule.next_slot(
            earliest=_wita(2, 10),
            taken=taken,
            limit=limit,
            window=timedelta(hours=24),
            quiet=QUIET,
            tz=WITA,
        )
        == expected
    )


@pytest.mark.django_db
def test_publishing_at_night_schedules_for_the_morning(
    admin: Any, kim: Any, fake_graph: Any, media: Any, settings: Any
) -> None:
    settings.SOCIAL_QUIET_HOURS = "21:00-06:00"
    page, ig = _connect(admin, kim)
    night = timezone.make_aware(datetime.combine(timezone.localdate(), time(23, 15)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: night)
        services.publish(actor=admin, publication=_publication(), accounts=[page, ig])
    morning = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time(6))
    )
    rows = [p.outbox for p in SocialPost.objects.select_related("outbox")]
    assert [r.not_before for r in rows] == [morning, morning]
    assert outbox.outbox_send_due(channel="facebook", now=night)["sent"] == 0
    assert not fake_graph.calls("/feed")
    sent = outbox.outbox_send_due(
        channel="facebook", now=morning + timedelta(minutes=1)
    )
    assert sent["sent"] == 1


@pytest.mark.django_db
def test_posts_over_the_daily_limit_are_spread_over_days(
    admin: Any, kim: Any, fake_graph: Any, media: Any, settings: Any
) -> None:
    settings.SOCIAL_FACEBOOK_DAILY_LIMIT = 2
    page, _ig = _connect(admin, kim)
    for n in range(5):
        services.publish(
            actor=admin, publication=_publication(source_key=f"s:{n}"), accounts=[page]
        )
    slots = [
        p.outbox.not_before
        for p in SocialPost.objects.select_related("outbox").order_by("pk")
    ]
    now = timezone.now()
    assert all(s < now + timedelta(minutes=1) for s in slots[:2])
    assert all(
        now + timedelta(hours=24) < s < now + timedelta(hours=25) for s in slots[2:4]
    )
    assert now + timedelta(hours=48) < slots[4] < now + timedelta(hours=49)
    # A duplicate request changes nothing: still five posts, five rows.
    services.publish(
        actor=admin, publication=_publication(source_key="s:4"), accounts=[page]
    )
    assert SocialPost.objects.count() == 5


@pytest.mark.django_db
def test_a_retry_at_night_waits_for_the_morning(
    admin: Any, kim: Any, fake_graph: Any, media: Any, settings: Any
) -> None:
    """A 5xx just before the quiet hours: the back-off (a minute) would land
    in them; the retry is slotted like a first attempt instead."""
    settings.SOCIAL_QUIET_HOURS = "21:00-06:00"
    page, _ig = _connect(admin, kim)
    evening = timezone.make_aware(
        datetime.combine(timezone.localdate(), time(20, 59, 30))
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: evening)
        services.publish(actor=admin, publication=_publication(), accounts=[page])
        fake_graph.fail_next(503, {"error": {"message": "busy"}}, path_part="/feed")
        assert outbox.outbox_send_due(channel="facebook", now=evening)["retry"] == 1
    row = SocialPost.objects.select_related("outbox").get().outbox
    morning = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time(6))
    )
    assert row.status == "queued" and row.not_before == morning
    assert outbox.outbox_send_due(channel="facebook", now=morning)["sent"] == 1
    assert len(fake_graph.calls("/feed", method="POST")) == 2


@pytest.mark.django_db
def test_a_retry_does_not_take_a_slot_beyond_the_daily_limit(
    admin: Any, kim: Any, fake_graph: Any, media: Any, settings: Any
) -> None:
    """Two posts a day: the first fails for now while the second waits in the
    outbox for its slot; the retry may not make a third within 24 hours."""
    settings.SOCIAL_QUIET_HOURS = ""
    settings.SOCIAL_FACEBOOK_DAILY_LIMIT = 2
    page, _ig = _connect(admin, kim)
    posted = services.publish(
        actor=admin, publication=_publication(source_key="s:0"), accounts=[page]
    )
    services.publish(
        actor=admin, publication=_publication(source_key="s:1"), accounts=[page]
    )
    # Someone posted an hour ago: with the queued one, the day is full.
    earlier = services.publish(
        actor=admin, publication=_publication(source_key="s:2"), accounts=[page]
    )[0]
    an_hour_ago = timezone.now() - timedelta(hours=1)
    SocialPost.objects.filter(pk=earlier.pk).update(
        posted_at=an_hour_ago, platform_post_id="1010_1"
    )
    earlier.outbox.status = "sent"
    earlier.outbox.save(update_fields=["status"])
    second = SocialPost.objects.get(source_key="s:1").outbox
    second.not_before = timezone.now() + timedelta(hours=2)
    second.save(update_fields=["not_before"])
    fake_graph.fail_next(500, {"error": {"message": "oops"}}, path_part="/feed")
    outbox.outbox_send_due(channel="facebook")
    row = SocialPost.objects.select_related("outbox").get(pk=posted[0].pk).outbox
    assert row.status == "queued"
    # Not in a minute (the back-off): after the post of an hour ago has left
    # the 24-hour window.
    assert row.not_before > an_hour_ago + timedelta(hours=24)
    assert row.not_before < an_hour_ago + timedelta(hours=24, minutes=5)
