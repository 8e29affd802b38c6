"""The subscriber queue: breadth-first, ordered delivery of store notifications.

Like Svelte's module-global ``subscriber_queue``, notifications are appended in
``set`` order and drained FIFO by the outermost ``set`` only, so a ``set`` made
from inside a subscriber is delivered after everything already queued.

Unlike Svelte, the queue has two lanes. The *propagation* lane carries messages
between stores (a derived store hearing from its inputs); the *delivery* lane
carries values to everyone else. The propagation lane always runs first, so
every derived store has settled before any outside subscriber is called, and a
``set`` made from inside a subscriber settles the store graph before it returns.
Together with the invalidation counting in ``_derived`` this makes the graph
glitch-free: no subscriber ever runs while a store it could read is half updated.

An exception raised by a subscriber does not stop the others: the queue is
drained completely, then the first exception is raised from the outermost call.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["REVALIDATE", "Subscription", "batch", "enqueue", "flush"]


class _Revalidate:
    """Message meaning "the value you were warned about did not change after all"."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "REVALIDATE"


REVALIDATE: Any = _Revalidate()


class Subscription:
    """One subscriber of one store.

    ``run(value)`` receives values; ``invalidate()`` is called synchronously when
    the store learns that its value is about to change. A store guarantees that
    every ``invalidate()`` it sends is followed by exactly one ``run`` or, for
    internal subscribers only, one ``revalidate()`` (value unchanged).
    """

    __slots__ = ("active", "internal", "invalidate", "revalidate", "run")

    def __init__(
        self,
        run: Callable[[Any], None],
        invalidate: Callable[[], None] | None = None,
        revalidate: Callable[[], None] | None = None,
    ) -> None:
        self.run = run
        self.invalidate = invalidate
        self.revalidate = revalidate
        self.internal = revalidate is not None
        self.active = True


_propagation: deque[tuple[Subscription, Any]] = deque()
_delivery: deque[tuple[Subscription, Any]] = deque()

_IDLE, _DELIVERING, _PROPAGATING = 0, 1, 2
_phase = _IDLE
_batch_depth = 0


@contextmanager
def batch() -> Iterator[None]:
    """Hold every notification until the block ends, then deliver them together.

    Stores take their new values at once, but nothing is recomputed or delivered
    inside the block; a derived store that depends on several stores set in the
    block recomputes once, and no subscriber sees some of the sets without the
    others. Blocks nest; the outermost one delivers.
    """
    global _batch_depth
    _batch_depth += 1
    try:
        yield
    finally:
        _batch_depth -= 1
        if _batch_depth == 0:
            flush()


def enqueue(subscription: Subscription, value: Any) -> None:
    """Queue ``value`` (or ``REVALIDATE``) for ``subscription``; call ``flush`` after."""
    if subscription.internal:
        _propagation.append((subscription, value))
    elif value is not REVALIDATE:
        _delivery.append((subscription, value))


def flush() -> None:
    """Drain the queue unless an outer call is already draining it.

    Called from outside any store callback, drain both lanes. Called from a
    subscriber, settle the store graph (propagation lane) and return; the outer
    loop delivers the rest in order. Called while stores propagate, do nothing.
    """
    global _phase
    outer = _phase
    if outer == _PROPAGATING or _batch_depth:
        return
    error: Exception | None = None
    try:
        while True:
            if _propagation:
                subscription, value = _propagation.popleft()
                _phase = _PROPAGATING
            elif _delivery and outer == _IDLE:
                subscription, value = _delivery.popleft()
                _phase = _DELIVERING
            else:
                break
            if not subscription.active:
                continue
            try:
                if value is REVALIDATE:
                    assert subscription.revalidate is not None  # only internal ones get it
                    subscription.revalidate()
                else:
                    subscription.run(value)
            except Exception as exc:  # keep draining; report the first failure
                if error is None:
                    error = exc
    finally:
        _phase = outer
    if error is not None:
        raise error
