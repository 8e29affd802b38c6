"""In-process rate limits: failures in a sliding window, requests from a token bucket.

Each server process keeps its own counters (several processes behind a load balancer
multiply the allowance by their number; the limits exist to make guessing passwords and
flooding slow, not to meter use).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

__all__ = ["SlidingWindow", "TokenBuckets"]

Clock = Callable[[], float]


class SlidingWindow:
    """At most ``limit`` events per key within ``window`` seconds."""

    def __init__(self, limit: int, window: float, clock: Clock = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._events: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        now = self._clock()
        events = self._events.get(key)
        if events is None:
            return deque()
        while events and events[0] <= now - self.window:
            events.popleft()
        if not events:
            del self._events[key]
        return events

    def retry_after(self, key: str) -> int:
        """Seconds until one more event is allowed (0: allowed now)."""
        events = self._recent(key)
        if len(events) < self.limit:
            return 0
        return max(1, math.ceil(events[0] + self.window - self._clock()))

    def add(self, key: str) -> None:
        self._events.setdefault(key, deque()).append(self._clock())
        if len(self._events) > 100_000:  # forget the oldest keys rather than grow forever
            for stale in list(self._events)[:10_000]:
                del self._events[stale]

    def reset(self, key: str) -> None:
        self._events.pop(key, None)


class TokenBuckets:
    """A bucket of ``burst`` tokens per key, refilled at ``rate`` per second."""

    def __init__(self, rate: float, burst: int, clock: Clock = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> int:
        """Take a token: 0 when granted, else the seconds to wait for one."""
        now = self._clock()
        tokens, since = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) * self.rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return 0
        self._buckets[key] = (tokens, now)
        return max(1, math.ceil((1 - tokens) / self.rate))
