"""The event-loop patch that keeps IndexedDB transactions alive across Python ``await``.

Pyodide resumes a task through a new browser task, but an IndexedDB transaction only
accepts requests during a success event and the microtasks after it.  While any of our
transactions is alive, the running loop's ``call_soon`` therefore schedules callbacks
with ``queueMicrotask`` (bounded, so a busy loop can never starve the page), and a
request's result wakes its waiting task right inside the event's dispatch
(:func:`resolve_now`).  The premature-commit probe in ``_transaction`` catches bodies
that await anything else.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Callable
from typing import Any

__all__ = ["install", "resolve_now", "resume_waiters", "transaction_ended", "transaction_started"]

#: Callbacks run in one microtask drain before the rest go back to the browser's turn.
_MICRO_BUDGET = 50_000
_live = [0]
_patched: set[int] = set()  # ids of the loops patched
_resolve_now: list[Callable[[asyncio.Future[Any], Any], None] | None] = [None]
_drain: list[Callable[[], None] | None] = [None]


def transaction_started() -> None:
    _live[0] += 1


def transaction_ended() -> None:
    _live[0] -= 1


def resolve_now(fut: asyncio.Future[Any], result: Any) -> None:
    """Give ``fut`` its result from an IndexedDB event and run its waiter at once."""
    run = _resolve_now[0]
    if run is None:
        fut.set_result(result)
    else:
        run(fut, result)


def resume_waiters(fn: Callable[[], None]) -> None:
    """Run ``fn`` (which settles futures) from the top of an IndexedDB event, and the
    tasks it wakes right after it, as while a transaction is alive."""
    if _drain[0] is None:
        fn()
        return
    _live[0] += 1
    try:
        fn()
        _drain[0]()
    finally:
        _live[0] -= 1


def install() -> None:
    """Patch the running loop's ``call_soon`` (once)."""
    import js
    from pyodide.ffi import create_proxy

    loop = asyncio.get_event_loop()
    if id(loop) in _patched:
        return
    _patched.add(id(loop))
    original = loop.call_soon
    queue: collections.deque[asyncio.Handle] = collections.deque()
    scheduled = [False]

    def run_late(handle: asyncio.Handle) -> None:
        if not handle.cancelled():
            handle._run()

    def drain() -> None:
        install_running = getattr(loop, "_install_running_loop", None)
        if install_running is not None:
            install_running()
        n = 0
        while queue:
            handle = queue.popleft()
            if not handle.cancelled():
                handle._run()
            n += 1
            if n > _MICRO_BUDGET:
                # something spins on the loop: give the browser its turn back
                while queue:
                    original(run_late, queue.popleft())
                break
        scheduled[0] = False

    drain_proxy = create_proxy(drain)
    queue_microtask = js.queueMicrotask

    def resolve_and_drain(fut: asyncio.Future[Any], result: Any) -> None:
        # We are at the top of an IndexedDB event dispatch (no Python frame below):
        # wake the waiting task and run it now, while the transaction is active.
        if scheduled[0]:
            fut.set_result(result)
            return
        scheduled[0] = True
        fut.set_result(result)
        drain()

    _resolve_now[0] = resolve_and_drain

    def drain_now() -> None:
        # at the top of an event dispatch: run what is queued, unless a drain runs already
        if scheduled[0]:
            return
        scheduled[0] = True
        drain()

    _drain[0] = drain_now

    def call_soon(callback: Any, *args: Any, context: Any = None) -> asyncio.Handle:
        if _live[0] > 0:
            handle = asyncio.Handle(callback, args, loop, context=context)
            queue.append(handle)
            if not scheduled[0]:
                scheduled[0] = True
                queue_microtask(drain_proxy)
            return handle
        return original(callback, *args, context=context)

    # the patch itself: replace the method on this one loop object
    loop.call_soon = call_soon  # type: ignore[method-assign,assignment]
