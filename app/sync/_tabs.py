"""How the tabs of one browser agree that one of them syncs (``Tabs``), and the
in-process version used by tests (``MemoryTabs``); the browser's is in ``_browser.py``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

__all__ = ["Listeners", "MemoryTabs", "Tabs"]

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


class Listeners:
    """The functions listening to one tab's channel."""

    def __init__(self) -> None:
        self._fns: list[Callable[[Message], None]] = []

    def add(self, fn: Callable[[Message], None]) -> Callable[[], None]:
        self._fns.append(fn)

        def stop() -> None:
            if fn in self._fns:
                self._fns.remove(fn)

        return stop

    def emit(self, message: Message) -> None:
        for fn in list(self._fns):
            fn(message)

    def clear(self) -> None:
        self._fns.clear()


class _Hub:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.tabs: list[MemoryTabs] = []


class MemoryTabs:
    """Tabs in one process: ``MemoryTabs.group()`` returns a factory sharing one lock
    and one channel (Web Locks and BroadcastChannel stand-ins)."""

    def __init__(self, hub: _Hub) -> None:
        self._hub = hub
        self._listeners = Listeners()
        hub.tabs.append(self)

    @staticmethod
    def group() -> Callable[[], MemoryTabs]:
        hub = _Hub()
        return lambda: MemoryTabs(hub)

    async def lead(self, run: Callable[[], Awaitable[None]]) -> None:
        async with self._hub.lock:
            await run()

    def post(self, message: Message) -> None:
        loop = asyncio.get_running_loop()
        for tab in list(self._hub.tabs):
            if tab is not self:
                loop.call_soon(tab._listeners.emit, dict(message))

    def listen(self, fn: Callable[[Message], None]) -> Callable[[], None]:
        return self._listeners.add(fn)

    def close(self) -> None:
        self._listeners.clear()
        if self in self._hub.tabs:
            self._hub.tabs.remove(self)
