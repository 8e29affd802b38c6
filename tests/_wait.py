"""The one polling helper of the test suite (browser-safe: the in-browser tier imports it).

Prefer waiting on the event itself (a future set by a callback, a store's next value).
Where a test must wait for a condition it cannot subscribe to, use ``eventually``; it
fails with a message naming what never happened. To show that something did *not*
happen, first wait for a later event that would have come after it (a marker write, a
second commit), then check; never sleep and hope.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

__all__ = ["eventually", "turns"]


async def eventually(
    check: Callable[[], object | Awaitable[object]],
    what: str = "the condition",
    *,
    timeout: float = 5.0,
    interval: float = 0.002,
) -> object:
    """Poll ``check()`` (sync or async) until it returns a truthy value, and return it.

    Raises ``AssertionError`` naming ``what`` after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(interval)


async def turns(n: int = 1) -> None:
    """Let ``n`` event-loop turns pass (for code that schedules with ``call_soon``)."""
    for _ in range(n):
        await asyncio.sleep(0)
