"""The DOM adapter: the only surface the view layer uses to touch a document.

Two implementations follow this protocol: :class:`BrowserDom` (the real DOM through
Pyodide) and :class:`MemoryDom` (a small pure-Python document for CPython tests).
Text reaches the document only as text nodes, ``textContent`` and attribute values;
there is deliberately no way to set HTML.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

__all__ = ["Dom", "Handler", "Node", "Unlisten", "prevent_default", "run_handler"]

Node = Any
"""A DOM node: a ``JsProxy`` in the browser, a ``MemoryNode`` in tests."""

Handler = Callable[[Any], object]
"""An event handler; it may return a coroutine, which then runs as a task."""

Unlisten = Callable[[], None]

log = logging.getLogger("app.ui")


class Dom(Protocol):
    """Create, patch and observe nodes. Every method is synchronous."""

    window: Node

    def element(self, tag: str) -> Node: ...
    def text(self, data: str) -> Node: ...
    def fragment(self) -> Node: ...
    def set_data(self, text_node: Node, data: str) -> None:
        """Change a text node's value."""
        ...

    def set_text(self, node: Node, text: str) -> None:
        """Replace an element's content with one text node (``textContent``)."""
        ...

    def set_attr(self, node: Node, name: str, value: str | bool | None) -> None:
        """``True``: present and empty, ``False``/``None``: absent."""
        ...

    def set_prop(self, node: Node, name: str, value: object) -> None: ...
    def get_prop(self, node: Node, name: str) -> Any: ...
    def insert(self, parent: Node, node: Node, before: Node | None = None) -> None: ...
    def move(self, parent: Node, node: Node, before: Node | None = None) -> None:
        """Like ``insert`` for a node already in ``parent``; keeps focus and selection."""
        ...

    def remove(self, node: Node) -> None: ...
    def call(self, node: Node, method: str, *args: object) -> Any:
        """Call a method of a node (``focus``, ``showModal``, ``setSelectionRange`` …)."""
        ...

    def listen(self, target: Node, event: str, handler: Handler) -> Unlisten:
        """Add an event listener; the returned function removes it and frees its proxy."""
        ...

    def focused(self) -> Node | None: ...
    def contains(self, ancestor: Node, node: Node | None) -> bool: ...
    def get_hash(self) -> str: ...
    def push_hash(self, value: str) -> None:
        """Navigate to ``value`` (a new history entry)."""
        ...

    def replace_hash(self, value: str) -> None:
        """Change the hash in place (no history entry, no event)."""
        ...

    @property
    def live_listeners(self) -> int:
        """Listeners added through this adapter and not yet removed."""
        ...

    async def settle(self) -> None:
        """Wait for the tasks started by async handlers."""
        ...


class _Tasks:
    """Keeps handler tasks alive until they finish, and reports their errors."""

    def __init__(self) -> None:
        self.pending: set[asyncio.Future[Any]] = set()

    def start(self, awaitable: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(awaitable)
        self.pending.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Future[Any]) -> None:
        self.pending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("event handler failed", exc_info=task.exception())

    async def settle(self) -> None:
        while self.pending:
            await asyncio.gather(*list(self.pending), return_exceptions=True)


def prevent_default(handler: Handler) -> Handler:
    """Wrap ``handler`` so the event's default action is cancelled *synchronously*.

    An ``async def`` handler's body only starts after the event was dispatched, so
    its own ``event.preventDefault()`` comes too late (a form would already submit).
    """

    def wrapper(event: Any) -> object:
        event.preventDefault()
        return handler(event)

    return wrapper


def run_handler(tasks: _Tasks, handler: Handler, event: Any) -> None:
    """Call ``handler``; a coroutine result becomes a tracked task; errors are logged."""
    try:
        result = handler(event)
    except Exception:
        log.exception("event handler failed")
        return
    if inspect.isawaitable(result):
        tasks.start(result)
