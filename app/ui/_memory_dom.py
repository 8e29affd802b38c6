"""A small in-memory document for CPython tests: events, focus, history, title, mutations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._dom import Event, Handler, Unlisten
from ._handlers import run_handler
from ._memory_node import MemoryNode
from ._tasks import Tasks

__all__ = ["MemoryDom", "MemoryEvent", "MemoryStorage", "Mutation"]


class MemoryStorage:
    """The ``Storage`` protocol on a dict; hand one to two documents to model a reload."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    def get_item(self, key: str) -> str | None:
        return self.items.get(key)

    def set_item(self, key: str, value: str) -> None:
        self.items[key] = str(value)

    def remove_item(self, key: str) -> None:
        self.items.pop(key, None)

    def keys(self) -> list[str]:
        return list(self.items)


@dataclass
class Mutation:
    """One record, shaped like a ``MutationRecord``."""

    type: str  # childList | attributes | characterData
    target: MemoryNode
    added: list[MemoryNode] = field(default_factory=list)
    removed: list[MemoryNode] = field(default_factory=list)
    attribute: str | None = None


@dataclass
class MemoryEvent:
    type: str
    target: MemoryNode | None = None
    key: str = ""
    default_prevented: bool = False
    #: What a drag carries (``files``), as the browser's ``DataTransfer``.
    dataTransfer: Any = None
    altKey: bool = False
    ctrlKey: bool = False
    shiftKey: bool = False
    metaKey: bool = False

    def preventDefault(self) -> None:
        self.default_prevented = True

    def stopPropagation(self) -> None:
        pass


class MemoryDom:
    """Implements the ``Dom`` protocol on :class:`MemoryNode` trees."""

    def __init__(self, hash: str = "", *, storage: MemoryStorage | None = None) -> None:
        self.window = MemoryNode("#window")
        self.storage = storage if storage is not None else MemoryStorage()
        self.body = MemoryNode("body")
        self.mutations: list[Mutation] = []
        self.calls: list[tuple[MemoryNode, str, tuple[object, ...]]] = []
        self.history: list[str] = [hash]
        self.index = 0
        self.active: MemoryNode | None = None
        self.title = ""
        self._live = 0
        self._tasks = Tasks("event handler")
        #: Files the app saved, in order: (file name, media type, bytes).
        self.downloads: list[tuple[str, str, bytes]] = []

    # -- nodes ---------------------------------------------------------------------------
    def element(self, tag: str) -> MemoryNode:
        return MemoryNode(tag.lower())

    def text(self, data: str) -> MemoryNode:
        return MemoryNode("#text", data=str(data))

    def fragment(self) -> MemoryNode:
        return MemoryNode("#fragment")

    def set_data(self, text_node: MemoryNode, data: str) -> None:
        text_node.data = str(data)
        self._record(Mutation("characterData", text_node))

    def set_text(self, node: MemoryNode, text: str) -> None:
        removed = list(node.children)
        for child in removed:
            child.parent = None
            self._blur_inside(child)
        node.children = []
        added = []
        if text:
            child = self.text(text)
            child.parent = node
            node.children.append(child)
            added.append(child)
        if removed or added:
            self._record(Mutation("childList", node, added, removed))

    def set_attr(self, node: MemoryNode, name: str, value: str | bool | None) -> None:
        if value is None or value is False:
            if name not in node.attrs:
                return
            del node.attrs[name]
        else:
            node.attrs[name] = "" if value is True else str(value)
        self._record(Mutation("attributes", node, attribute=name))

    def set_prop(self, node: MemoryNode, name: str, value: object) -> None:
        if name == "textContent":
            self.set_text(node, str(value))
        else:
            node.props[name] = value

    def get_prop(self, node: MemoryNode, name: str) -> Any:
        if name == "textContent":
            return node.text_content
        if name in ("firstChild", "lastChild"):
            return (node.children[0 if name == "firstChild" else -1]) if node.children else None
        if name in node.props:
            return node.props[name]
        if name in ("checked", "disabled", "open", "hidden"):
            return name in node.attrs
        return node.attrs.get(name, "")

    def insert(
        self, parent: MemoryNode, node: MemoryNode, before: MemoryNode | None = None
    ) -> None:
        if before is not None and before.parent is not parent:
            raise ValueError("reference node is not a child of parent")
        moving = [*node.children] if node.tag == "#fragment" else [node]
        if node.tag == "#fragment":
            node.children = []
            for n in moving:
                n.parent = None
        for n in moving:
            if n.parent is not None:
                self._detach(n, blur=False)
        where = len(parent.children) if before is None else parent.children.index(before)
        parent.children[where:where] = moving
        for n in moving:
            n.parent = parent
        if moving:
            self._record(Mutation("childList", parent, added=moving))

    def move(self, parent: MemoryNode, node: MemoryNode, before: MemoryNode | None = None) -> None:
        self.insert(parent, node, before)  # like Element.moveBefore: focus stays

    def remove(self, node: MemoryNode) -> None:
        if node.parent is not None:
            self._detach(node, blur=True)

    def call(self, node: MemoryNode, method: str, *args: object) -> Any:
        self.calls.append((node, method, args))
        if method == "focus":
            if self.body.contains(node):  # as in a browser: a detached node takes no focus
                self.active = node
        elif method == "blur" and self.active is node:
            self.active = None
        elif method == "showModal":
            self.set_attr(node, "open", True)
        elif method == "close":
            self.set_attr(node, "open", None)
        elif method == "select":
            value = str(self.get_prop(node, "value"))
            node.props["selectionStart"], node.props["selectionEnd"] = 0, len(value)
        elif method == "setSelectionRange":
            node.props["selectionStart"], node.props["selectionEnd"] = args[0], args[1]
        return None

    def query(self, node: MemoryNode, selector: str) -> MemoryNode | None:
        return node.select(selector)

    def focused(self) -> MemoryNode | None:
        return self.active

    def contains(self, ancestor: MemoryNode, node: MemoryNode | None) -> bool:
        return ancestor.contains(node)

    # -- events --------------------------------------------------------------------------
    def listen(self, target: MemoryNode, event: str, handler: Handler) -> Unlisten:
        def listener(ev: Event) -> None:
            run_handler(self._tasks, handler, ev)

        target.listeners.setdefault(event, []).append(listener)
        self._live += 1
        done = False

        def unlisten() -> None:
            nonlocal done
            if not done:
                done = True
                target.listeners[event].remove(listener)
                self._live -= 1

        return unlisten

    def dispatch(self, target: MemoryNode, type: str, **fields: Any) -> MemoryEvent:
        """Fire an event at ``target``; it bubbles to the root (and the window)."""
        event = MemoryEvent(type, target=target, **fields)
        node: MemoryNode | None = target
        while node is not None:
            for listener in list(node.listeners.get(type, [])):
                listener(event)
            node = node.parent
        if target is not self.window:
            for listener in list(self.window.listeners.get(type, [])):
                listener(event)
        return event

    def type_into(self, node: MemoryNode, value: str) -> None:
        """What a person typing does: set the value, fire ``input``."""
        node.props["value"] = value
        self.dispatch(node, "input")

    def download(self, filename: str, mime: str, data: bytes) -> None:
        self.downloads.append((filename, mime, bytes(data)))

    @property
    def live_listeners(self) -> int:
        return self._live

    async def settle(self) -> None:
        await self._tasks.settle()

    # -- location ------------------------------------------------------------------------
    def get_hash(self) -> str:
        return self.history[self.index]

    def push_hash(self, value: str) -> None:
        value = value if value.startswith("#") or not value else "#" + value
        if value == self.get_hash():
            return
        del self.history[self.index + 1 :]
        self.history.append(value)
        self.index += 1
        self.dispatch(self.window, "hashchange")

    def replace_hash(self, value: str) -> None:
        self.history[self.index] = value if value.startswith("#") or not value else "#" + value

    def back(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.dispatch(self.window, "hashchange")

    def forward(self) -> None:
        if self.index < len(self.history) - 1:
            self.index += 1
            self.dispatch(self.window, "hashchange")

    def get_title(self) -> str:
        return self.title

    def set_title(self, title: str) -> None:
        self.title = str(title)

    # -- internals -----------------------------------------------------------------------
    def _detach(self, node: MemoryNode, *, blur: bool) -> None:
        parent = node.parent
        assert parent is not None
        parent.children.remove(node)
        node.parent = None
        if blur:
            self._blur_inside(node)
        self._record(Mutation("childList", parent, removed=[node]))

    def _blur_inside(self, node: MemoryNode) -> None:
        if self.active is not None and node.contains(self.active):
            self.active = None

    def _record(self, mutation: Mutation) -> None:
        """Keep what a MutationObserver on ``body`` would see: changes to connected nodes."""
        if self.body.contains(mutation.target):
            self.mutations.append(mutation)

    def take_mutations(self) -> list[Mutation]:
        out, self.mutations = self.mutations, []
        return out
