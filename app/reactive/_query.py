"""Stores fed by observables, and by database live queries in particular."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Protocol, TypeVar, overload

from ._equality import Equals
from ._store import Readable, Writable, _Node, writable

__all__ = ["Observable", "QueryStore", "from_observable", "query_store"]

T = TypeVar("T")
_log = logging.getLogger(__name__)


class Observable(Protocol):
    """``subscribe(on_next, on_error)`` returning an unsubscribe callable or an
    object with ``unsubscribe()`` (Dexie's ``liveQuery``, RxJS, ``app.db.live_query``)."""

    def subscribe(
        self, on_next: Callable[[Any], Any], on_error: Callable[[Any], Any], /
    ) -> Any: ...


class QueryStore(Readable[T], Generic[T]):
    """A readable store of an observable's latest value.

    ``error`` holds the last error the observable reported (None after the next
    value). ``loaded`` becomes True with the first value of each subscription
    period and False again when the last subscriber leaves.
    """

    __slots__ = ("error", "loaded")

    def __init__(
        self, node: _Node[T], error: Readable[BaseException | None], loaded: Readable[bool]
    ) -> None:
        super().__init__(node)
        self.error = error
        self.loaded = loaded


@overload
def from_observable(
    observable: Observable, initial: T, *, equals: Equals | None = None
) -> QueryStore[T]: ...


@overload
def from_observable(
    observable: Observable, *, equals: Equals | None = None
) -> QueryStore[Any]: ...


def from_observable(
    observable: Observable,
    initial: Any = None,
    *,
    equals: Equals | None = None,
) -> QueryStore[Any]:
    """A store that subscribes to ``observable`` while it has subscribers.

    The first subscriber subscribes to the observable; the last one leaving
    unsubscribes from it. Until the first value arrives the store holds
    ``initial`` (or the last value of an earlier subscription period).
    """
    error: Writable[BaseException | None] = writable(None)
    loaded = writable(False)

    def start(set_value: Callable[[Any], None]) -> Callable[[], None]:
        def on_next(value: Any) -> None:
            error.set(None)
            set_value(value)
            loaded.set(True)

        def on_error(exc: Any) -> None:
            _log.warning("observable store error: %r", exc)
            error.set(exc)

        handle = observable.subscribe(on_next, on_error)
        unsubscribe = getattr(handle, "unsubscribe", handle)

        def stop() -> None:
            unsubscribe()
            loaded.set(False)

        return stop

    node: _Node[Any] = _Node(initial, start, equals)
    return QueryStore(node, Readable(error._node), Readable(loaded._node))


@overload
def query_store(
    querier: Callable[[], Awaitable[T]], initial: T, *, equals: Equals | None = None
) -> QueryStore[T]: ...


@overload
def query_store(
    querier: Callable[[], Awaitable[T]], initial: None = None, *, equals: Equals | None = None
) -> QueryStore[T | None]: ...


def query_store(
    querier: Callable[[], Any],
    initial: Any = None,
    *,
    equals: Equals | None = None,
) -> QueryStore[Any]:
    """A store of ``querier()``'s result, re-run after every committed write that
    touches what it read (in this tab or another), via ``app.db.live_query``.

    The query runs only while the store has subscribers: it starts with the first
    and stops with the last. ``querier`` is an async function doing reads.
    Results are lists or dicts, which always count as changed; pass
    ``equals=lambda old, new: old == new`` to skip re-runs that found the same data.
    """
    from app.db import live_query  # lazy: the store layer does not need the database

    return from_observable(live_query(querier), initial, equals=equals)
