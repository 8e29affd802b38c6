"""How the tabs of one browser agree that one of them syncs (``Tabs``), and the
in-process version used by tests (``MemoryTabs``); the browser's is in ``_browser.py``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

__all__ = ["MemoryTabs", "Tabs"]

Message = dict[str, Any]


class Tabs(Protocol):
    async def lead(self, run: Callable[[], Awaitable[None]]) -> None:
        """Wait until this tab holds the sync lock, run ``run()``, release it after."""
        ...

    def post(self, message: Message) -> None:
        """Send ``message`` to every other tab of this library."""
        ...

    def listen(self, fn: Callable[[Message], None]) -> Callable[[], None]:
        """Hear other tabs' messages; returns a function that stops listening."""
        ...


class _Hub:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.tabs: list[MemoryTabs] = []


class MemoryTabs:
    """Tabs in one process: ``MemoryTabs.group()`` returns a factory sharing one lock
    and one channel (Web Locks and BroadcastChannel stand-ins)."""

    def __init__(self, hub: _Hub) -> None:
        self._hub = hub
        self._listeners: list[Callable[[Message], None]] = []
        hub.tabs.append(self)

    @staticmethod
    def group() -> Callable[[], MemoryTabs]:
        hub = _Hub()
        return lambda: MemoryTabs(hub)

    async def lead(self, run: Callable[[], Awaitable[None]]) -> None:
        async with self._hub.lock:
            await run()

    def post(self, message: Message) -> None:
        for tab in list(self._hub.tabs):
            if tab is not self:
                for fn in list(tab._listeners):
                    asyncio.get_running_loop().call_soon(fn, dict(message))

    def listen(self, fn: Callable[[Message], None]) -> Callable[[], None]:
        self._listeners.append(fn)

        def stop() -> None:
            if fn in self._listeners:
                self._listeners.remove(fn)

        return stop

    def close(self) -> None:
        self._listeners.clear()
        if self in self._hub.tabs:
            self._hub.tabs.remove(self)
