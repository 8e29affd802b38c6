"""``derived``: a store computed from other stores, glitch-free.

Svelte marks a derived store's input dirty when that input is invalidated and
recomputes once every dirty input has delivered. It does not pass the
invalidation on, so a store two hops away from a change can recompute before a
store one hop away has (sveltejs/svelte#10376). Here invalidation travels the
whole graph before any value moves: a derived store that hears "input ``i`` is
about to change" counts it and warns its own subscribers at once. Each warning
is later answered by exactly one value or one "unchanged" message, and the
store recomputes only when no warning is outstanding. So it runs at most once
per change, and only on inputs that are all up to date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast, overload

from ._equality import Equals
from ._store import (
    Readable,
    Subscribable,
    Unsubscriber,
    _Node,
    positional_arity,
    subscribe_to,
)

__all__ = ["derived"]

S = TypeVar("S")
T = TypeVar("T")


class _Derived:
    """The machinery behind one derived store; lives as long as the store."""

    __slots__ = (
        "_args",
        "_auto",
        "_changed",
        "_cleanup",
        "_counts",
        "_fn",
        "_pending",
        "_running",
        "_single",
        "_stores",
        "_unsubscribers",
        "_values",
        "node",
    )

    def __init__(
        self,
        stores: Sequence[Subscribable[Any]],
        single: bool,
        fn: Callable[..., Any],
        initial: Any,
        equals: Equals | None,
    ) -> None:
        self._stores = stores
        self._single = single
        self._fn = fn
        arity = positional_arity(fn)
        self._auto = arity < 2
        self._args = 1 if self._auto else min(arity, 3)
        self._values: list[Any] = []
        self._counts: list[int] = []
        self._pending = 0
        self._changed = False
        self._running = False
        self._cleanup: Callable[[], Any] | None = None
        self._unsubscribers: list[Unsubscriber] = []
        self.node: _Node[Any] = _Node(initial, self._start, equals)
        self.node.inputs = tuple(s._node for s in stores if isinstance(s, Readable))

    # -- lifecycle -----------------------------------------------------------
    def _start(self) -> Callable[[], None]:
        count = len(self._stores)
        self._values = [None] * count
        self._counts = [0] * count
        self._pending = 0
        self._running = False
        self._unsubscribers = [self._subscribe(i, store) for i, store in enumerate(self._stores)]
        self._running = True
        try:
            self._compute()
        except BaseException:
            self._stop()
            raise
        if self._pending:  # started while an input was mid-change: settle again later
            self._changed = True
            self.node.invalidate()
        return self._stop

    def _subscribe(self, i: int, store: Subscribable[Any]) -> Unsubscriber:
        def run(value: Any) -> None:
            self._on_value(i, value)

        def invalidate() -> None:
            self._on_invalidate(i)

        def revalidate() -> None:
            self._release(i)

        return subscribe_to(store, run, invalidate, revalidate)

    def _stop(self) -> None:
        self._running = False
        unsubscribers, self._unsubscribers = self._unsubscribers, []
        for unsubscribe in unsubscribers:
            unsubscribe()
        self._run_cleanup()
        self._pending = 0

    # -- messages from inputs ------------------------------------------------
    def _on_invalidate(self, i: int) -> None:
        self._counts[i] += 1
        self._pending += 1
        self.node.invalidate()

    def _on_value(self, i: int, value: Any) -> None:
        self._values[i] = value
        self._changed = True
        self._release(i)

    def _release(self, i: int) -> None:
        if self._counts[i]:
            self._counts[i] -= 1
            self._pending -= 1
        if self._running and not self._pending:
            if self._changed:
                self._compute()
            else:
                self.node.resolve()

    # -- computing -----------------------------------------------------------
    def _compute(self) -> None:
        self._changed = False
        node = self.node
        try:
            self._run_cleanup()
            values = self._values[0] if self._single else list(self._values)
            if self._auto:
                node.set(self._fn(values))
                return
            args = (values, node.set, node.update)[: self._args]
            result = self._fn(*args)
            self._cleanup = result if callable(result) else None
        finally:
            node.resolve()  # no-op if a changed value was set

    def _run_cleanup(self) -> None:
        cleanup, self._cleanup = self._cleanup, None
        if cleanup is not None:
            cleanup()


@overload
def derived(
    stores: Subscribable[S],
    fn: Callable[[S], T],
    initial: T | None = None,
    *,
    equals: Equals | None = None,
) -> Readable[T]: ...


@overload
def derived(
    stores: Sequence[Subscribable[Any]],
    fn: Callable[[list[Any]], T],
    initial: T | None = None,
    *,
    equals: Equals | None = None,
) -> Readable[T]: ...


@overload
def derived(
    stores: Subscribable[Any] | Sequence[Subscribable[Any]],
    fn: Callable[..., Any],
    initial: Any = None,
    *,
    equals: Equals | None = None,
) -> Readable[Any]: ...


def derived(
    stores: Subscribable[Any] | Sequence[Subscribable[Any]],
    fn: Callable[..., Any],
    initial: Any = None,
    *,
    equals: Equals | None = None,
) -> Readable[Any]:
    """A store computed from one store or a list of stores.

    ``fn(values)`` returns the value (``values`` is the single input's value, or
    a list of values for a list of stores). ``fn(values, set)`` or
    ``fn(values, set, update)`` sets the value itself, now or later, and may
    return a cleanup callable that runs before the next call and on stop.
    ``initial`` is the value before the first ``set``.
    """
    store_list: list[Subscribable[Any]]
    if isinstance(stores, (list, tuple)):
        single = False
        store_list = list(stores)
    else:
        single = True
        store_list = [cast(Subscribable[Any], stores)]
    if not all(store is not None and hasattr(store, "subscribe") for store in store_list):
        raise TypeError("derived() expects stores as input, got a non-store value")
    return Readable(_Derived(store_list, single, fn, initial, equals).node)
