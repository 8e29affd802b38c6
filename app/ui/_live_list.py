"""LiveList: a readable store of records that follows the database.

Two ways to follow it: an *observable* that emits the whole list after every relevant
commit (``app.db.live_query(repo.list)`` — this tab and other tabs), or a repository's
``on_changed(fn)`` notice, after which the list is loaded again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["LiveList", "Observable", "Source"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

log = logging.getLogger("app.ui")


class Source(Protocol[T_co]):
    """A repository: load everything, and say when something changed."""

    async def list(self) -> list[T_co]: ...  # type: ignore[misc]
    def on_changed(self, fn: Callable[..., Any], /) -> Callable[[], None]: ...


class Observable(Protocol):
    """``subscribe(on_next, on_error) -> unsubscribe`` (what ``app.db.live_query`` returns)."""

    def subscribe(
        self, on_next: Callable[[Any], Any], on_error: Callable[[BaseException], Any], /
    ) -> Callable[[], None]: ...


class LiveList(Generic[T]):
    """Subscribers get the records at once (after the first load) and again after changes.

    While nobody is subscribed nothing is listened to. Loads never overlap: notices
    that arrive during a load cause exactly one more load afterwards.
    """

    def __init__(
        self,
        load: Callable[[], Awaitable[list[T]]],
        *,
        on_changed: Callable[[Callable[..., Any]], Callable[[], None]] | None = None,
        observable: Observable | None = None,
    ) -> None:
        from app.reactive import writable

        self._load_fn = load
        self._on_changed = on_changed
        self._observable = observable
        self._loaded = asyncio.Event()
        self._loading: asyncio.Future[None] | None = None
        self._dirty = False
        self._store = writable([], self._start)
        self.error: BaseException | None = None

    @classmethod
    def of(cls, source: Source[T]) -> LiveList[T]:
        """Follow a repository through its ``on_changed`` notices."""
        return cls(source.list, on_changed=source.on_changed)

    def subscribe(self, run: Callable[[list[T]], None], /) -> Callable[[], None]:
        return self._store.subscribe(run)

    async def loaded(self) -> None:
        """Wait until the first list arrived (someone must be subscribed)."""
        await self._loaded.wait()

    async def refresh(self) -> None:
        """Load now (or once more after the load in flight) and wait for it."""
        self._dirty = True
        while self._loading is not None and not self._loading.done():
            await self._loading
        if self._dirty:
            self._loading = asyncio.ensure_future(self._load())
            await self._loading

    def _receive(self, records: Any) -> None:
        self.error = None
        self._store.set(list(records))
        self._loaded.set()

    def _fail(self, error: BaseException) -> None:
        self.error = error
        log.error("loading a list failed", exc_info=error)
        self._loaded.set()

    async def _load(self) -> None:
        while self._dirty:
            self._dirty = False
            try:
                records = await self._load_fn()
            except Exception as exc:  # keep the last good list; report
                self._fail(exc)
                break
            self._receive(records)

    def _schedule(self, *_: Any) -> None:
        self._dirty = True
        if self._loading is None or self._loading.done():
            self._loading = asyncio.ensure_future(self._load())

    def _start(self, set_: Callable[[list[T]], None]) -> Callable[[], None]:
        if self._observable is not None:
            return self._observable.subscribe(self._receive, self._fail)
        unlisten = self._on_changed(self._schedule) if self._on_changed else (lambda: None)
        self._schedule()
        return unlisten
