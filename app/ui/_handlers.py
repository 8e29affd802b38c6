"""Running event handlers: sync or async, errors logged, async ones kept as tasks."""

from __future__ import annotations

import inspect
import logging

from ._dom import Event, Handler
from ._tasks import Tasks

__all__ = ["prevent_default", "run_handler"]

log = logging.getLogger("app.ui")


def prevent_default(handler: Handler) -> Handler:
    """Wrap ``handler`` so the event's default action is cancelled *synchronously*.

    An ``async def`` handler's body only starts after the event was dispatched, so
    its own ``event.preventDefault()`` comes too late (a form would already submit).
    """

    def wrapper(event: Event) -> object:
        event.preventDefault()
        return handler(event)

    return wrapper


def run_handler(tasks: Tasks, handler: Handler, event: Event) -> None:
    """Call ``handler``; a coroutine result becomes a tracked task; errors are logged."""
    try:
        result = handler(event)
    except Exception:
        log.exception("event handler failed")
        return
    if inspect.isawaitable(result):
        tasks.start(result)
