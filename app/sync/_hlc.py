"""Hybrid logical clocks as strings that sort like the tuple they encode.

An HLC is ``"{wall_ms:015d}-{counter:05d}-{node}"`` (SYNC.md): plain string comparison
orders two of them, and ``node`` (the writer's ``client_id``) breaks ties, so every
replica picks the same winner for a field.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

__all__ = [
    "HLC_PATTERN",
    "MAX_COUNTER",
    "HybridClock",
    "format_hlc",
    "hlc_wall_ms",
    "parse_hlc",
    "wall_clock_ms",
]

#: What a valid HLC looks like on the wire (the node is a client id: a UUID or similar).
HLC_PATTERN = r"^[0-9]{15}-[0-9]{5}-[0-9A-Za-z_.:-]{1,64}$"
_HLC = re.compile(HLC_PATTERN)
MAX_COUNTER = 99_999
_MAX_WALL = 10**15 - 1


def wall_clock_ms() -> int:
    """Milliseconds since the epoch from this machine's clock."""
    return time.time_ns() // 1_000_000


def format_hlc(wall_ms: int, counter: int, node: str) -> str:
    return f"{wall_ms:015d}-{counter:05d}-{node}"


def parse_hlc(hlc: str) -> tuple[int, int, str]:
    """``(wall_ms, counter, node)``; ``ValueError`` for anything that is not an HLC."""
    if not isinstance(hlc, str) or _HLC.match(hlc) is None:
        raise ValueError(f"not a hybrid logical clock: {hlc!r}")
    return int(hlc[:15]), int(hlc[16:21]), hlc[22:]


def hlc_wall_ms(hlc: str) -> int:
    """The wall-clock part of a (valid) HLC."""
    return int(hlc[:15])


class HybridClock:
    """One writer's clock: ``tick()`` stamps a local write, ``observe()`` receives.

    The clock never goes backwards: a tick is greater than every HLC ticked or observed
    before, even if the wall clock jumps back. ``offset_ms`` corrects a wall clock that
    is known to be off (learned from the server's time), so that new writes are not
    refused for drift; it never makes the clock go backwards either.
    """

    def __init__(self, node: str, *, now_ms: Callable[[], int] = wall_clock_ms,
                 last: str | None = None) -> None:
        parse_hlc(format_hlc(0, 0, node))  # the node must make valid HLCs
        self.node = node
        self.offset_ms = 0
        self._now_ms = now_ms
        self._wall = 0
        self._counter = 0
        if last is not None:
            self.observe(last)

    @property
    def last(self) -> str:
        """The greatest HLC this clock has ticked or observed (with this node)."""
        return format_hlc(self._wall, self._counter, self.node)

    def now_ms(self) -> int:
        """The corrected wall clock."""
        return self._now_ms() + self.offset_ms

    def tick(self) -> str:
        """A new HLC for a local write, greater than everything seen so far."""
        wall = max(self.now_ms(), self._wall)
        if wall == self._wall:
            counter = self._counter + 1
            if counter > MAX_COUNTER:  # borrow the next millisecond
                wall, counter = wall + 1, 0
        else:
            counter = 0
        self._wall, self._counter = min(wall, _MAX_WALL), counter
        return self.last

    def observe(self, hlc: str) -> None:
        """Advance past a received HLC, so later local writes order after it."""
        wall, counter, _node = parse_hlc(hlc)
        if (wall, counter) > (self._wall, self._counter):
            self._wall, self._counter = wall, counter
