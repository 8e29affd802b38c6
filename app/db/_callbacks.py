"""Calling user callbacks: plain or async, their failures logged, never raised."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable
from typing import Any

__all__ = ["call_listener"]

_log = logging.getLogger("app.db")
#: Tasks of async callbacks still running (the loop keeps only weak references).
_running: set[asyncio.Future[Any]] = set()


def call_listener(fn: Callable[[Any], Any], value: Any, what: str) -> None:
    """``fn(value)``; an awaitable result runs as a task. A failure (now or in the task)
    is logged as ``what`` and stops nobody."""
    try:
        result = fn(value)
        if not inspect.isawaitable(result):
            return
        task = asyncio.ensure_future(result)
    except Exception:
        _log.exception("%s failed", what)
        return
    _running.add(task)
    task.add_done_callback(_finished(what))


def _finished(what: str) -> Callable[[asyncio.Future[Any]], None]:
    def done(task: asyncio.Future[Any]) -> None:
        _running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("%s failed", what, exc_info=task.exception())

    return done
