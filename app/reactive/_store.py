"""Writable and readable stores, ``readonly`` and ``get`` (Svelte's ``svelte/store``)."""

from __future__ import annotations

import inspect
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar, cast, overload

from ._equality import Equals, safe_not_equal
from ._queue import REVALIDATE, Subscription, enqueue, flush

__all__ = [
    "Invalidator",
    "Readable",
    "Setter",
    "StartStopNotifier",
    "Subscribable",
    "Subscriber",
    "Unsubscriber",
    "UpdateFn",
    "Updater",
    "Writable",
    "get",
    "positional_arity",
    "readable",
    "readonly",
    "subscribe_to",
    "writable",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

# The store types, as Svelte's ``svelte/store`` declares them (``public.d.ts``).

#: ``run(value)``: called with the current value and after every change.
Subscriber = Callable[[T], None]
#: Ends a subscription (idempotent).
Unsubscriber = Callable[[], None]
#: ``update(fn)`` sets ``fn(current)``.
Updater = Callable[[T], T]
#: Warns a subscriber that a new value is on its way (Svelte's private second argument).
Invalidator = Callable[[], None]
#: The ``set`` a start notifier or a derived function receives.
Setter = Callable[[T], None]
#: The ``update`` a start notifier or a derived function receives.
UpdateFn = Callable[[Updater[T]], None]
#: ``start()``, ``start(set)`` or ``start(set, update)``: runs when the first subscriber
#: arrives; the callable it may return runs when the last one leaves.
StartStopNotifier = (
    Callable[[], Unsubscriber | None]
    | Callable[[Setter[T]], Unsubscriber | None]
    | Callable[[Setter[T], UpdateFn[T]], Unsubscriber | None]
)


class Subscribable(Protocol[T_co]):
    """Anything with Svelte's store contract: ``subscribe(run) -> unsubscribe``.

    Our stores, Svelte-style stores from elsewhere, and RxJS-style observables (whose
    ``subscribe`` returns an object with ``unsubscribe()``) all qualify.
    """

    def subscribe(self, run: Callable[[T_co], None], /) -> Any: ...


_CO_VARARGS = inspect.CO_VARARGS


def positional_arity(fn: Callable[..., Any]) -> int:
    """How many positional arguments ``fn`` wants (JavaScript's ``fn.length``).

    Counts parameters without defaults before any ``*args``; a ``*args`` means
    "as many as you give". Callables without a signature count as one. Plain functions
    and bound methods are read from their code object (``inspect.signature`` costs ~50×
    more, and every ``derived`` and ``readable`` asks); anything else goes through it.
    """
    func, bound = fn, 0
    if inspect.ismethod(fn):
        func, bound = fn.__func__, 1
    code = getattr(func, "__code__", None)
    if code is not None and inspect.isfunction(func) and not hasattr(func, "__wrapped__"):
        required = int(code.co_argcount) - len(func.__defaults__ or ()) - bound
        if int(code.co_flags) & _CO_VARARGS:
            return max(required, 3)
        return max(required, 0)
    return arity_by_signature(fn)


def arity_by_signature(fn: Callable[..., Any]) -> int:
    """``positional_arity`` through ``inspect.signature`` (any callable; the slow path)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    count = 0
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            return max(count, 3)
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty:
            count += 1
    return count


_warn_queue: deque[_Node[Any]] = deque()


class _Node(Generic[T]):
    """The state of one store: value, subscribers, start/stop lifecycle.

    ``stale`` is True while the store has warned its subscribers (through
    ``invalidate``) that a new value is coming and has not yet delivered it
    (``set``) or withdrawn the warning (``resolve``). Only derived stores go
    stale; a plain writable changes in one step.
    """

    __slots__ = (
        "_equals",
        "_start",
        "_stop",
        "_subscribers",
        "inputs",
        "running",
        "stale",
        "value",
    )

    def __init__(
        self, value: T, start: StartStopNotifier[T] | None, equals: Equals | None
    ) -> None:
        self.value = value
        self._start = start
        self._equals = equals
        self._stop: Callable[[], None] | None = None
        self._subscribers: dict[Subscription, None] = {}
        self.running = False
        self.stale = False
        #: The nodes a derived store reads (empty for every other store).
        self.inputs: tuple[_Node[Any], ...] = ()

    def changed(self, new_value: Any) -> bool:
        if self._equals is None:
            return safe_not_equal(self.value, new_value)
        return not self._equals(self.value, new_value)

    def set(self, new_value: T) -> None:
        if not self.changed(new_value):
            self.resolve()
            return
        self.value = new_value
        if not self._subscribers:
            return
        warned, self.stale = self.stale, False
        for subscription in list(self._subscribers):
            if not subscription.active:
                continue
            if not warned and subscription.invalidate is not None:
                subscription.invalidate()
            enqueue(subscription, new_value)
        flush()

    def update(self, fn: Updater[T]) -> None:
        self.set(fn(self.value))

    def invalidate(self) -> None:
        """Warn every subscriber that a new value is coming (idempotent).

        A warned derived store warns its own subscribers in turn; that sweep runs
        as a loop over a worklist, so deep graphs do not deepen the call stack.
        """
        if self.stale:
            return
        self.stale = True
        _warn_queue.append(self)
        if len(_warn_queue) > 1:
            return  # an outer call is sweeping and will reach this node
        error: Exception | None = None
        while _warn_queue:
            node = _warn_queue[0]
            for subscription in list(node._subscribers):
                if subscription.active and subscription.invalidate is not None:
                    try:
                        subscription.invalidate()
                    except Exception as exc:  # warn everyone; report the first failure
                        error = error or exc
            _warn_queue.popleft()
        if error is not None:
            raise error

    def resolve(self) -> None:
        """Withdraw an outstanding warning: the value stays as it is.

        Our derived stores hear "unchanged"; an outside subscriber that passed an
        ``invalidate`` callback gets the current value again, since Svelte's
        contract promises a ``run`` after every ``invalidate``.
        """
        if not self.stale:
            return
        self.stale = False
        for subscription in list(self._subscribers):
            if subscription.internal:
                enqueue(subscription, REVALIDATE)
            elif subscription.invalidate is not None:
                enqueue(subscription, self.value)
        flush()

    def subscribe(self, subscription: Subscription) -> Unsubscriber:
        if not self._subscribers and not self.running:
            holds = _hold_cold_inputs(self) if self.inputs else []
            try:
                self._begin()
            finally:
                for release in holds:
                    release()
        self._subscribers[subscription] = None
        subscription.run(self.value)
        if self.stale and subscription.invalidate is not None:
            subscription.invalidate()

        def unsubscribe() -> None:
            if not subscription.active:
                return
            subscription.active = False
            self._subscribers.pop(subscription, None)
            if not self._subscribers and self.running:
                self._end()

        return unsubscribe

    def _begin(self) -> None:
        self.running = True
        if self._start is None:
            return
        args = (self.set, self.update)[: positional_arity(self._start)]
        try:
            stop = cast(Callable[..., Unsubscriber | None], self._start)(*args)
        except BaseException:
            self.running = False
            raise
        self._stop = stop if callable(stop) else None

    def _end(self) -> None:
        self.running = False
        self.stale = False
        stop, self._stop = self._stop, None
        if stop is not None:
            _run_stop(stop)


# Starting and stopping a chain of derived stores recurses once per store (a store's
# start subscribes to its inputs, which start theirs; a stop unsubscribes them). Up to
# _NESTING levels that is what happens, in Svelte's order; beyond it, a first
# subscription starts the cold inputs farthest up first (each then starts without
# recursing), and stops queue up and run one after another, so a chain of any length
# works.
_NESTING = 48
_stop_queue: deque[Callable[[], None]] = deque()
_stop_depth = [0]


def _ignore(_value: Any) -> None:
    pass


def _hold_cold_inputs(node: _Node[Any]) -> list[Unsubscriber]:
    """When ``node`` sits below a deep chain of stopped derived stores, start them from
    the top down, each held by a subscription of its own; returns the releases."""
    order: list[_Node[Any]] = []
    seen = {id(node)}
    stack: list[tuple[_Node[Any], int]] = [(node, 0)]
    deepest = 0
    while stack:
        current, i = stack.pop()
        if i < len(current.inputs):
            stack.append((current, i + 1))
            upstream = current.inputs[i]
            if id(upstream) not in seen and not upstream.running and upstream.inputs:
                seen.add(id(upstream))
                stack.append((upstream, 0))
                deepest = max(deepest, len(stack))
        elif current is not node:
            order.append(current)  # after everything it reads: farthest first
    if deepest <= _NESTING:
        return []
    return [upstream.subscribe(Subscription(_ignore)) for upstream in order]


def _run_stop(stop: Callable[[], None]) -> None:
    if _stop_depth[0] < _NESTING:
        _stop_depth[0] += 1
        try:
            stop()
        finally:
            _stop_depth[0] -= 1
        return
    _stop_queue.append(stop)
    if len(_stop_queue) > 1:
        return  # the call that queued first runs it
    error: Exception | None = None
    while _stop_queue:
        try:
            _stop_queue[0]()
        except Exception as exc:  # stop everyone; report the first failure
            error = error or exc
        _stop_queue.popleft()
    if error is not None:
        raise error


class Readable(Generic[T]):
    """A store you can subscribe to but not set."""

    __slots__ = ("_node",)

    def __init__(self, node: _Node[T]) -> None:
        self._node = node

    def subscribe(self, run: Subscriber[T], invalidate: Invalidator | None = None) -> Unsubscriber:
        """Call ``run`` now with the current value and after every change.

        Returns an idempotent unsubscriber. ``invalidate`` (Svelte's private
        second argument) is called when a new value is on its way.
        """
        return self._node.subscribe(Subscription(run, invalidate))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._node.value!r}>"


class Writable(Readable[T]):
    """A store with ``set`` and ``update``."""

    __slots__ = ()

    def set(self, value: T) -> None:
        """Replace the value; subscribers hear about it only if it changed."""
        self._node.set(value)

    def update(self, fn: Updater[T]) -> None:
        """``set(fn(current))``."""
        self._node.update(fn)


@overload
def writable() -> Writable[Any]: ...


@overload
def writable(
    value: T, start: StartStopNotifier[T] | None = None, *, equals: Equals | None = None
) -> Writable[T]: ...


@overload
def writable(
    value: Any, start: StartStopNotifier[Any], *, equals: Equals | None = None
) -> Writable[Any]: ...  # the value's type alone says too little (e.g. ``[]``)


def writable(
    value: Any = None,
    start: StartStopNotifier[Any] | None = None,
    *,
    equals: Equals | None = None,
) -> Writable[Any]:
    """A store that can be set from outside.

    ``start(set, update)`` runs when the first subscriber arrives; the callable
    it returns runs when the last one leaves. ``equals(old, new)`` replaces the
    default change test (scalars by value, every other object always changed).
    """
    return Writable(_Node(value, start, equals))


@overload
def readable() -> Readable[Any]: ...


@overload
def readable(
    value: T, start: StartStopNotifier[T] | None = None, *, equals: Equals | None = None
) -> Readable[T]: ...


@overload
def readable(
    value: Any, start: StartStopNotifier[Any], *, equals: Equals | None = None
) -> Readable[Any]: ...  # the value's type alone says too little (e.g. ``[]``)


def readable(
    value: Any = None,
    start: StartStopNotifier[Any] | None = None,
    *,
    equals: Equals | None = None,
) -> Readable[Any]:
    """A store whose value only its ``start(set, update)`` notifier can change."""
    return Readable(_Node(value, start, equals))


def readonly(store: Subscribable[T]) -> Readable[T]:
    """A view of ``store`` that can only be subscribed to."""
    if isinstance(store, Readable):
        return Readable(store._node)

    def start(set_value: Setter[T]) -> Unsubscriber:
        return subscribe_to(store, set_value)

    # every value passes through: the store itself decides what counts as a change
    return Readable(_Node(cast(T, None), start, _never_equal))


def _never_equal(_old: Any, _new: Any) -> bool:
    return False


def subscribe_to(
    store: Subscribable[T],
    run: Subscriber[T],
    invalidate: Invalidator | None = None,
    revalidate: Callable[[], None] | None = None,
) -> Unsubscriber:
    """Subscribe to any store: ours (with the full protocol), Svelte-style or RxJS-style."""
    if store is None:
        raise TypeError("expected a store, got None")
    if isinstance(store, Readable):
        return store._node.subscribe(Subscription(run, invalidate, revalidate))
    handle = store.subscribe(run)
    unsubscribe = getattr(handle, "unsubscribe", None)
    if callable(unsubscribe):
        return cast(Unsubscriber, unsubscribe)
    return cast(Unsubscriber, handle)


def get(store: Subscribable[T]) -> T:
    """The current value: subscribe, read, unsubscribe (starts a cold store briefly)."""
    box: list[Any] = []
    subscribe_to(store, box.append)()
    return cast(T, box[-1] if box else None)
