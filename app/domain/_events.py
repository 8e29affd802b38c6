"""A tiny synchronous event bus."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

__all__ = ["EventBus", "Listener"]

Listener = Callable[..., Any]
_log = logging.getLogger(__name__)


class EventBus:
    """`on(event, fn)` returns an unsubscribe callable; `emit(event, *args)` calls listeners.

    A failing listener is logged and does not stop the others (a UI bug must not
    turn a committed write into an error).
    """

    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = {}

    def on(self, event: str, fn: Listener) -> Callable[[], None]:
        self._listeners.setdefault(event, []).append(fn)

        def unsubscribe() -> None:
            listeners = self._listeners.get(event, [])
            if fn in listeners:
                listeners.remove(fn)

        return unsubscribe

    def once(self, event: str, fn: Listener) -> Callable[[], None]:
        def wrapper(*args: Any) -> None:
            unsubscribe()
            fn(*args)

        unsubscribe = self.on(event, wrapper)
        return unsubscribe

    def emit(self, event: str, *args: Any) -> None:
        for fn in list(self._listeners.get(event, ())):
            try:
                fn(*args)
            except Exception:
                _log.exception("listener for %r failed", event)

    def listener_count(self, event: str) -> int:
        return len(self._listeners.get(event, ()))
