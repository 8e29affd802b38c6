"""LiveList: a readable store of a repository's records that reloads after each change."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["LiveList", "Source"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

log = logging.getLogger("app.ui")


class Source(Protocol[T_co]):
    """What a list needs from a repository: load everything, hear about changes.

    ``on_changed(fn)`` must call ``fn`` after every committed change — from this tab
    and, for a second tab to stay current, from other tabs — and return an unsubscriber.
    """

    async def list(self) -> list[T_co]: ...  # type: ignore[misc]
    def on_changed(self, fn: Callable[..., Any], /) -> Callable[[], None]: ...


class LiveList(Generic[T]):
    """Subscribers get the records at once (after the first load) and again after changes.

    While nobody is subscribed nothing is listened to. Reloads never overlap: changes
    that arrive during a load cause exactly one more load afterwards.
    """

    def __init__(self, source: Source[T]) -> None:
        from app.reactive import writable

        self._source = source
        self._loaded = asyncio.Event()
        self._loading: asyncio.Future[None] | None = None
        self._dirty = False
        self._store = writable([], self._start)
        self.error: BaseException | None = None

    def subscribe(self, run: Callable[[list[T]], None], /) -> Callable[[], None]:
        return self._store.subscribe(run)

    async def loaded(self) -> None:
        """Wait until the first load finished (subscribe first, or call ``refresh``)."""
        await self._loaded.wait()

    async def refresh(self) -> None:
        """Load now (or once more after the load in flight) and wait for it."""
        self._dirty = True
        while self._loading is not None and not self._loading.done():
            await self._loading
        if self._dirty:
            self._loading = asyncio.ensure_future(self._load())
            await self._loading

    async def _load(self) -> None:
        while self._dirty:
            self._dirty = False
            try:
                records = await self._source.list()
            except Exception as exc:  # keep the last good list; report
                self.error = exc
                log.exception("loading a list failed")
                break
            self.error = None
            self._store.set(list(records))
        self._loaded.set()

    def _schedule(self, *_: Any) -> None:
        self._dirty = True
        if self._loading is None or self._loading.done():
            self._loading = asyncio.ensure_future(self._load())

    def _start(self, set_: Callable[[list[T]], None]) -> Callable[[], None]:
        unlisten = self._source.on_changed(self._schedule)
        self._schedule()
        return unlisten
