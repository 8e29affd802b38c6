"""The real DOM through Pyodide. ``js``/``pyodide`` are imported lazily."""

from __future__ import annotations

from typing import Any

from ._dom import Handler, Node, Unlisten
from ._handlers import run_handler
from ._tasks import Tasks

__all__ = ["BrowserDom", "LocalStorage"]


class LocalStorage:
    """The ``Storage`` protocol on ``window.localStorage`` (failures are swallowed: a
    browser that refuses storage only loses the safety net, never the app)."""

    def __init__(self, window: Any) -> None:
        self._window = window

    def get_item(self, key: str) -> str | None:
        try:
            value = self._window.localStorage.getItem(key)
        except Exception:
            return None
        return value if isinstance(value, str) else None  # null arrives as jsnull

    def set_item(self, key: str, value: str) -> None:
        try:
            self._window.localStorage.setItem(key, value)
        except Exception:
            pass

    def remove_item(self, key: str) -> None:
        try:
            self._window.localStorage.removeItem(key)
        except Exception:
            pass

    def keys(self) -> list[str]:
        try:
            storage = self._window.localStorage
            found = (storage.key(i) for i in range(int(storage.length)))
            return [key for key in found if isinstance(key, str)]
        except Exception:
            return []


class BrowserDom:
    """Implements the ``Dom`` protocol on ``js.document``.

    Each listener gets one ``create_proxy``; its unlisten function removes the listener
    and destroys the proxy, so a disposed view leaves no PyProxy behind.
    """

    def __init__(
        self, document: Any = None, window: Any = None, *, move_before: bool | None = None
    ) -> None:
        """``move_before=False`` forces the insertBefore fallback (focus is then restored)."""
        import js

        self.document = document if document is not None else js.document
        self.window = window if window is not None else js.window
        self._live = 0
        self._tasks = Tasks("event handler")
        self._storage: LocalStorage | None = None
        # Bound once: ``f(node, ...)`` is one crossing into JavaScript where
        # ``node.method(...)`` is two (look the method up, then call it).
        call = js.Function.prototype.call
        self._create_element = self.document.createElement
        self._create_text = self.document.createTextNode
        self._insert_before = call.bind(js.Node.prototype.insertBefore)
        self._set_attribute = call.bind(js.Element.prototype.setAttribute)
        self._remove_attribute = call.bind(js.Element.prototype.removeAttribute)
        supported = hasattr(js.Element.prototype, "moveBefore")
        self._has_move_before = supported if move_before is None else move_before and supported

    def element(self, tag: str) -> Node:
        return self._create_element(tag)

    def text(self, data: str) -> Node:
        return self._create_text(str(data))

    def fragment(self) -> Node:
        return self.document.createDocumentFragment()

    def set_data(self, text_node: Node, data: str) -> None:
        text_node.data = str(data)

    def set_text(self, node: Node, text: str) -> None:
        node.textContent = str(text)

    def set_attr(self, node: Node, name: str, value: str | bool | None) -> None:
        if value is None or value is False:
            self._remove_attribute(node, name)
        else:
            self._set_attribute(node, name, "" if value is True else str(value))

    def set_prop(self, node: Node, name: str, value: object) -> None:
        setattr(node, name, value)

    def get_prop(self, node: Node, name: str) -> Any:
        return getattr(node, name)

    def insert(self, parent: Node, node: Node, before: Node | None = None) -> None:
        self._insert_before(parent, node, before)

    def move(self, parent: Node, node: Node, before: Node | None = None) -> None:
        if self._has_move_before and parent.isConnected:
            parent.moveBefore(node, before)  # state-preserving move (Chromium 133+)
            return
        active = self.document.activeElement
        keep = active is not None and node.contains(active)
        if keep:
            start, end = _selection(active)
        parent.insertBefore(node, before)
        if keep and self.document.activeElement != active:
            active.focus()
            if start is not None:
                active.setSelectionRange(start, end)

    def remove(self, node: Node) -> None:
        node.remove()

    def call(self, node: Node, method: str, *args: object) -> Any:
        return getattr(node, method)(*args)

    def query(self, node: Node, selector: str) -> Node | None:
        return _node_or_none(node.querySelector(selector))

    def listen(self, target: Node, event: str, handler: Handler) -> Unlisten:
        from pyodide.ffi import create_proxy

        tasks = self._tasks
        proxy = create_proxy(lambda ev: run_handler(tasks, handler, ev))
        target.addEventListener(event, proxy)
        self._live += 1
        done = False

        def unlisten() -> None:
            nonlocal done
            if not done:
                done = True
                target.removeEventListener(event, proxy)
                proxy.destroy()
                self._live -= 1

        return unlisten

    def focused(self) -> Node | None:
        return _node_or_none(self.document.activeElement)

    def contains(self, ancestor: Node, node: Node | None) -> bool:
        return node is not None and bool(ancestor.contains(node))

    def get_hash(self) -> str:
        return str(self.window.location.hash)

    def push_hash(self, value: str) -> None:
        self.window.location.hash = value

    def replace_hash(self, value: str) -> None:
        location = self.window.location
        self.window.history.replaceState(None, "", value or location.pathname + location.search)

    def get_title(self) -> str:
        return str(self.document.title)

    def set_title(self, title: str) -> None:
        self.document.title = str(title)

    def download(self, filename: str, mime: str, data: bytes) -> None:
        import js
        from pyodide.ffi import create_once_callable, to_js

        options = to_js({"type": mime}, dict_converter=js.Object.fromEntries)
        blob = js.Blob.new(to_js([to_js(data)]), options)  # one copy of the bytes, in JS
        url = js.URL.createObjectURL(blob)
        link = self.document.createElement("a")
        link.href = url
        link.download = filename
        link.hidden = True
        self.document.body.appendChild(link)
        link.click()
        link.remove()
        # The download has taken the URL once click() returns; free it a moment later.
        self.window.setTimeout(create_once_callable(lambda: js.URL.revokeObjectURL(url)), 10_000)

    @property
    def storage(self) -> LocalStorage:
        if self._storage is None:
            self._storage = LocalStorage(self.window)
        return self._storage

    @property
    def live_listeners(self) -> int:
        return self._live

    async def settle(self) -> None:
        await self._tasks.settle()


def _selection(node: Node) -> tuple[int | None, int | None]:
    try:
        start = node.selectionStart
        end = node.selectionEnd
    except Exception:
        return None, None
    if start is None:
        return None, None
    return int(start), int(end)


def _node_or_none(value: Any) -> Node | None:
    """JavaScript's ``null`` arrives as ``JsNull`` (not ``None``) in recent Pyodide."""
    if value is None or type(value).__name__ in ("JsNull", "JsUndefined"):
        return None
    return value
