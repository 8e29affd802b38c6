"""Helpers shared by the conformance modules (importable in the browser too)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from app.db import live_query

#: Every Probe made by the running test (the conformance conftest closes them after it).
open_probes: list[Probe] = []


class Probe:
    """A live query's subscriber: what it delivered, and how often the querier ran.

    ``runs`` counts at the start of each run, so it moves as soon as a re-run starts.
    ``await probe.values_at_least(n)`` waits for the ``n``-th delivered value.
    """

    def __init__(self, querier: Callable[[], Awaitable[Any]]) -> None:
        self.values: list[Any] = []
        self.errors: list[BaseException] = []
        self.runs = 0
        self._querier = querier
        self._changed = asyncio.Condition()
        self.off = live_query(self._counted).subscribe(self._on_value, self._on_error)
        open_probes.append(self)

    async def _counted(self) -> Any:
        self.runs += 1
        return await self._querier()

    async def _on_value(self, value: Any) -> None:
        async with self._changed:
            self.values.append(value)
            self._changed.notify_all()

    async def _on_error(self, error: BaseException) -> None:
        async with self._changed:
            self.errors.append(error)
            self._changed.notify_all()

    async def values_at_least(self, n: int, timeout: float = 10) -> list[Any]:
        async def wait() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.values) >= n)

        await asyncio.wait_for(wait(), timeout)
        return self.values

    async def an_error(self, timeout: float = 10) -> BaseException:
        async def wait() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: bool(self.errors))

        await asyncio.wait_for(wait(), timeout)
        return self.errors[0]
