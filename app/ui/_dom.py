"""The DOM adapter: the only surface the view layer uses to touch a document.

Two implementations follow this protocol: :class:`BrowserDom` (the real DOM through
Pyodide) and :class:`MemoryDom` (a small pure-Python document for CPython tests).
Text reaches the document only as text nodes, ``textContent`` and attribute values;
there is deliberately no way to set HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["Dom", "Event", "Handler", "Node", "Storage", "Unlisten"]

Node = Any
"""A DOM node: an opaque handle (a ``JsProxy`` in the browser, a ``MemoryNode`` in tests)
that views only ever pass back to their ``Dom``."""


class Event(Protocol):
    """What handlers read from an event (a DOM ``Event`` or a ``MemoryEvent``)."""

    @property
    def type(self) -> str: ...

    @property
    def key(self) -> str:
        """The key of a keyboard event (``"Escape"``); other events have none."""
        ...

    def preventDefault(self) -> None: ...


Handler = Callable[[Event], object]
"""An event handler; it may return a coroutine, which then runs as a task."""

Unlisten = Callable[[], None]


class Storage(Protocol):
    """Small synchronous storage that survives a reload (the browser's ``localStorage``):
    what must be kept *before* an asynchronous database write can finish, such as the
    last keystrokes of an editor when the page goes away. Never raises: a browser that
    refuses (private mode, quota) just does not keep the value."""

    def get_item(self, key: str) -> str | None: ...
    def set_item(self, key: str, value: str) -> None: ...
    def remove_item(self, key: str) -> None: ...
    def keys(self) -> list[str]:
        """Every key held (empty when the storage cannot be read)."""
        ...


class Dom(Protocol):
    """Create, patch and observe nodes. Every method is synchronous."""

    @property
    def window(self) -> Node: ...

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

    def query(self, node: Node, selector: str) -> Node | None:
        """The first element below ``node`` matching ``selector`` (``querySelector``).

        Selectors the memory document understands: ``tag``, ``#id``, ``[attr]``,
        ``tag[attr]`` and comma-separated lists of these (first match in document order).
        """
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

    def get_title(self) -> str:
        """``document.title``."""
        ...

    def set_title(self, title: str) -> None: ...

    def download(self, filename: str, mime: str, data: bytes) -> None:
        """Save ``data`` as a file through the browser's download (a ``Blob`` and an
        ``a[download]`` clicked once), never a new tab."""
        ...

    @property
    def storage(self) -> Storage:
        """Synchronous storage that survives reloads (see :class:`Storage`)."""
        ...

    @property
    def live_listeners(self) -> int:
        """Listeners added through this adapter and not yet removed."""
        ...

    async def settle(self) -> None:
        """Wait for the tasks started by async handlers."""
        ...
