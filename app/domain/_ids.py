"""Client-generated ids (UUIDv7 strings) and UTC timestamps."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer

__all__ = ["Clock", "UtcDateTime", "format_utc", "new_id", "utc_now", "uuid7"]

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def _uuid7_fallback() -> uuid.UUID:
    """RFC 9562 UUIDv7, monotonic within this process (12-bit counter in rand_a)."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms = ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x1FF  # leave headroom
        else:
            _counter += 1
            if _counter > 0xFFF:  # counter exhausted: borrow the next millisecond
                _last_ms += 1
                _counter = 0
        ms, counter = _last_ms, _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)


def uuid7() -> uuid.UUID:
    """A UUIDv7: `uuid.uuid7` where the runtime has it (3.14+), else our fallback."""
    native = getattr(uuid, "uuid7", None)
    return native() if native is not None else _uuid7_fallback()


def new_id() -> str:
    """A new record id: a UUIDv7 in canonical string form."""
    return str(uuid7())


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


Clock = Callable[[], datetime]


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_utc(value: datetime) -> str:
    """Fixed-width ISO-8601 UTC (`2026-01-02T03:04:05.000006Z`): sorts as it orders."""
    return _to_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


UtcDateTime = Annotated[
    datetime,
    AfterValidator(_to_utc),
    PlainSerializer(format_utc, return_type=str, when_used="json"),
]
"""A datetime normalised to UTC (naive values are taken as UTC); JSON form is fixed-width."""
