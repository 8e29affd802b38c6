"""Helpers shared by the conformance modules (importable in the browser too)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def wait_for(cond: Callable[[], bool], what: str = "condition", rounds: int = 500) -> None:
    """Yield to the event loop until ``cond()`` holds (bounded)."""
    for _ in range(rounds):
        if cond():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"timed out waiting for {what}")


async def settle(db) -> None:
    """Let pending callbacks run: a few loop turns plus one database round trip."""
    for _ in range(5):
        await asyncio.sleep(0)
    await db.tables[0].count()
    for _ in range(5):
        await asyncio.sleep(0.002)
