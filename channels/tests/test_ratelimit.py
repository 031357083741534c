from __future__ import annotations

from channels.ratelimit import KeyedBuckets, TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_bucket_lets_a_burst_through_then_paces() -> None:
    clock = FakeClock()
    bucket = TokenBucket(30, clock=clock, sleep=clock.sleep)
    for _ in range(30):
        assert bucket.acquire() == 0
    # The 31st waits for one token: 1/30 s.
    waited = bucket.acquire()
    assert abs(waited - 1 / 30) < 1e-9
    assert clock.slept == [waited]


def test_bucket_refills_with_time() -> None:
    clock = FakeClock()
    bucket = TokenBucket(1, clock=clock, sleep=clock.sleep)
    assert bucket.acquire() == 0
    assert bucket.wait_time() == 1.0
    clock.now += 0.5
    assert bucket.wait_time() == 0.5
    clock.now += 0.5
    assert bucket.acquire() == 0


def test_keyed_buckets_are_per_chat_and_forget_idle_ones() -> None:
    clock = FakeClock()
    chats = KeyedBuckets(1, clock=clock, sleep=clock.sleep, max_keys=2)
    assert chats.acquire("a") == 0
    assert chats.acquire("b") == 0  # another chat: no wait
    assert chats.acquire("a") == 1.0  # the same chat: one a second
    clock.now += 5
    chats.acquire("c")  # the map was full: idle buckets were dropped
    assert set(chats.buckets) == {"c"}
