"""Token buckets that keep each sender within its provider's throughput.

One process-wide set per provider (a worker sends one channel at a time, so the
limits hold per worker; several workers share a provider's limit by each taking
``rate / workers``, which ``CHANNELS_*_RATE`` settings are for).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` saved up. ``acquire`` waits
    (with the injected ``sleep``) until a token is there."""

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate)
        self.tokens = self.burst
        self.clock = clock
        self.sleep = sleep
        self.updated = clock()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait_time(self) -> float:
        """Seconds until a token is there (0: now)."""
        with self._lock:
            self._refill()
            return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def acquire(self) -> float:
        """Take a token, waiting for it; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                self._refill()
                if self.tokens >= 1:
                    self.tokens -= 1
                    return waited
                pause = (1 - self.tokens) / self.rate
            self.sleep(pause)
            waited += pause

    @property
    def idle(self) -> bool:
        with self._lock:
            self._refill()
            return self.tokens >= self.burst


class KeyedBuckets:
    """One bucket per key (a Telegram chat), forgotten once full again so the
    map does not grow with every chat ever written to."""

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_keys: int = 10_000,
    ) -> None:
        self.rate, self.burst = rate, burst
        self.clock, self.sleep = clock, sleep
        self.max_keys = max_keys
        self.buckets: dict[str, TokenBucket] = {}

    def acquire(self, key: str) -> float:
        bucket = self.buckets.get(key)
        if bucket is None:
            if len(self.buckets) >= self.max_keys:
                self.buckets = {k: b for k, b in self.buckets.items() if not b.idle}
            bucket = TokenBucket(
                self.rate, self.burst, clock=self.clock, sleep=self.sleep
            )
            self.buckets[key] = bucket
        return bucket.acquire()
