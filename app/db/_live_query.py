"""``live_query(fn)``: re-run a query whenever a committed write touches what it read."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from ._callbacks import call_listener
from ._observe import ReadSet, Writes, current_reads

_subscriptions: set[_Subscription] = set()


def has_subscriptions() -> bool:
    return bool(_subscriptions)


def notify(writes: Writes) -> None:
    """Invalidate every live query whose reads overlap ``writes``."""
    for sub in list(_subscriptions):
        if sub.reads is None or sub.reads.overlaps(writes):
            sub.invalidate()


class _Subscription:
    def __init__(
        self,
        querier: Callable[[], Any],
        on_next: Callable[[Any], Any] | None,
        on_error: Callable[[BaseException], Any] | None,
    ) -> None:
        self.querier = querier
        self.on_next = on_next
        self.on_error = on_error
        self.reads: ReadSet | None = None
        self.closed = False
        self.running = False
        self.dirty = False
        self.runs = 0
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        _subscriptions.add(self)
        self._schedule()

    def _schedule(self) -> None:
        self.running = True
        self.task = asyncio.get_running_loop().create_task(self._run())

    def invalidate(self) -> None:
        if self.closed:
            return
        if self.running:
            self.dirty = True
        else:
            self._schedule()

    def close(self) -> None:
        self.closed = True
        _subscriptions.discard(self)

    async def _run(self) -> None:
        while True:
            self.dirty = False
            reads = ReadSet()
            token = current_reads.set(reads)
            try:
                result = self.querier()
                if inspect.isawaitable(result):
                    result = await result
                error: BaseException | None = None
            except Exception as exc:
                result, error = None, exc
            finally:
                current_reads.reset(token)
            self.runs += 1
            self.reads = reads
            if self.closed:
                self.running = False
                return
            if not self.dirty:
                self.running = False
            # a subscriber's bug must not kill the query
            if error is not None:
                if self.on_error is not None:
                    call_listener(self.on_error, error, "a live query's error callback")
            elif self.on_next is not None:
                call_listener(self.on_next, result, "a live query subscriber")
            if not self.dirty or self.closed:
                self.running = False
                return


class LiveQuery:
    """An observable query. ``subscribe(on_next, on_error)`` returns an unsubscribe.

    ``on_next`` gets the querier's result after the first run and after every
    re-run caused by a committed write (in this tab, or another tab of the same
    origin) that touched a key or range the querier read.
    """

    def __init__(self, querier: Callable[[], Awaitable[Any] | Any]) -> None:
        self._querier = querier

    def subscribe(
        self,
        on_next: Callable[[Any], Any] | None = None,
        on_error: Callable[[BaseException], Any] | None = None,
    ) -> Callable[[], None]:
        if on_next is not None and not callable(on_next) and hasattr(on_next, "next"):
            observer = on_next
            on_next = observer.next
            on_error = getattr(observer, "error", None)
        sub = _Subscription(self._querier, on_next, on_error)
        sub.start()
        return sub.close


def live_query(querier: Callable[[], Awaitable[Any] | Any]) -> LiveQuery:
    """Observe ``querier`` (an async function doing database reads)."""
    return LiveQuery(querier)
