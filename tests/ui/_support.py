"""Test support for the view layer: a minimal counting store and a DOM harness.

The harness gives one test two backends: ``MemoryDom`` under CPython, the real document
(with a real ``MutationObserver``) when the module runs inside Pyodide in Chromium.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.ui import BrowserDom, Dom, MemoryDom, MemoryNode

IN_BROWSER = sys.platform == "emscripten"


class Cell:
    """The smallest store (Svelte contract) that also counts its live subscribers."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self._subs: list[Callable[[Any], None]] = []

    @property
    def subscribers(self) -> int:
        return len(self._subs)

    def subscribe(self, run: Callable[[Any], None]) -> Callable[[], None]:
        entry = lambda v: run(v)  # noqa: E731 - a distinct object per subscription
        self._subs.append(entry)
        run(self.value)

        def unsubscribe() -> None:
            if entry in self._subs:
                self._subs.remove(entry)

        return unsubscribe

    def set(self, value: Any) -> None:
        self.value = value
        for run in list(self._subs):
            run(value)


@dataclass
class Rec:
    """A mutation record, the same shape on both backends."""

    type: str
    target: Any
    added: list[Any] = field(default_factory=list)
    removed: list[Any] = field(default_factory=list)


class Harness:
    """A root element attached to a document, plus ways to observe and poke it."""

    dom: Dom
    root: Any

    def take(self) -> list[Rec]:
        raise NotImplementedError

    def text(self, node: Any) -> str:
        return str(self.dom.get_prop(node, "textContent"))

    def children(self, node: Any) -> list[Any]:
        raise NotImplementedError

    def attr(self, node: Any, name: str) -> str | None:
        """An attribute's value as written (``getAttribute``), ``None`` when absent."""
        raise NotImplementedError

    def query(self, selector: str, within: Any = None) -> list[Any]:
        raise NotImplementedError

    def fire(self, node: Any, event: str, key: str = "") -> bool:
        """Dispatch ``event``; ``True`` when a handler cancelled its default action."""
        raise NotImplementedError

    def type_into(self, node: Any, value: str) -> None:
        self.dom.set_prop(node, "value", value)
        self.fire(node, "input")

    def back(self) -> None:
        raise NotImplementedError

    def select_text(self, text_node: Any, start: int, end: int) -> None:
        """Select characters of a text node (a document selection, not an input's)."""
        raise NotImplementedError

    def selected_text(self) -> str:
        raise NotImplementedError

    def forward(self) -> None:
        raise NotImplementedError

    def inside(self, ancestor: Any, node: Any) -> bool:
        return self.dom.contains(ancestor, node)

    def close(self) -> None:
        raise NotImplementedError


class MemoryHarness(Harness):
    def __init__(self, hash: str = "") -> None:
        self.dom = dom = MemoryDom(hash)
        self.root = dom.element("div")
        dom.insert(dom.body, self.root)
        dom.take_mutations()

    def take(self) -> list[Rec]:
        assert isinstance(self.dom, MemoryDom)
        return [Rec(m.type, m.target, m.added, m.removed) for m in self.dom.take_mutations()]

    def children(self, node: MemoryNode) -> list[Any]:
        return [c for c in node.children if not c.tag.startswith("#")]

    def attr(self, node: MemoryNode, name: str) -> str | None:
        return node.attrs.get(name)

    def query(self, selector: str, within: Any = None) -> list[Any]:
        return _memory_query(self.root if within is None else within, selector)

    def fire(self, node: Any, event: str, key: str = "") -> bool:
        assert isinstance(self.dom, MemoryDom)
        return self.dom.dispatch(node, event, key=key).default_prevented

    def select_text(self, text_node: Any, start: int, end: int) -> None:
        self._selection = (text_node, start, end)

    def selected_text(self) -> str:
        # Like a Range: collapses when its node leaves the document or its data is replaced.
        node, start, end = getattr(self, "_selection", (None, 0, 0))
        if node is None or not self.dom.body.contains(node):  # type: ignore[attr-defined]
            return ""
        return str(node.data[start:end])

    def back(self) -> None:
        assert isinstance(self.dom, MemoryDom)
        self.dom.back()

    def forward(self) -> None:
        assert isinstance(self.dom, MemoryDom)
        self.dom.forward()

    def close(self) -> None:
        pass


def _memory_query(root: MemoryNode, selector: str) -> list[MemoryNode]:
    """Descendant chains of ``tag``, ``.class``, ``tag.class``, ``tag[attr=value]``."""
    scopes = [root]
    for part in selector.split():
        found: list[MemoryNode] = []
        for scope in scopes:
            for node in _memory_query_one(scope, part):
                if not any(node is f for f in found):
                    found.append(node)
        scopes = found
    return scopes


def _memory_query_one(root: MemoryNode, selector: str) -> list[MemoryNode]:
    tag, _, rest = selector.partition("[")
    cls = None
    if "." in tag:
        tag, cls = tag.split(".", 1)
    attr = value = None
    if rest:
        attr, _, value = rest.rstrip("]").partition("=")
        value = value.strip("\"'")
    out = []
    for node in root.walk():
        if node is root or node.tag.startswith("#"):
            continue
        if tag and node.tag != tag:
            continue
        if cls and cls not in node.attrs.get("class", "").split():
            continue
        if attr and node.attrs.get(attr) != value:
            continue
        out.append(node)
    return out


_RECORDER_JS = """
(target) => {
  const records = [];
  const observer = new MutationObserver((batch) => { records.push(...batch); });
  observer.observe(target, {subtree: true, childList: true, attributes: true, characterData: true});
  return {
    take() {
      records.push(...observer.takeRecords());
      const out = records.splice(0).map((r) => [r.type, r.target, [...r.addedNodes], [...r.removedNodes]]);
      return out;
    },
    stop() { observer.disconnect(); },
  };
}
"""


class BrowserHarness(Harness):
    def __init__(self, hash: str = "", *, move_before: bool | None = None) -> None:
        import js

        # Every test starts at its own address (an earlier test may have left another).
        location = js.window.location
        js.window.history.replaceState(None, "", hash or location.pathname + location.search)
        self.dom = dom = BrowserDom(move_before=move_before)
        self.root = dom.element("div")
        js.document.body.appendChild(self.root)
        self._recorder = js.eval(_RECORDER_JS)(self.root)

    def take(self) -> list[Rec]:
        return [Rec(str(t), target, list(a), list(r)) for t, target, a, r in self._recorder.take()]

    def children(self, node: Any) -> list[Any]:
        return list(node.children)

    def attr(self, node: Any, name: str) -> str | None:
        if not node.hasAttribute(name):
            return None
        return str(node.getAttribute(name))

    def query(self, selector: str, within: Any = None) -> list[Any]:
        return list((self.root if within is None else within).querySelectorAll(selector))

    def fire(self, node: Any, event: str, key: str = "") -> bool:
        import js

        if key:
            ev = js.KeyboardEvent.new(
                event, to_js_dict({"key": key, "bubbles": True, "cancelable": True})
            )
        else:
            ev = js.Event.new(event, to_js_dict({"bubbles": True, "cancelable": True}))
        return not node.dispatchEvent(ev)

    def select_text(self, text_node: Any, start: int, end: int) -> None:
        import js

        selection = js.window.getSelection()
        selection.removeAllRanges()
        selection.setBaseAndExtent(text_node, start, text_node, end)

    def selected_text(self) -> str:
        import js

        return str(js.window.getSelection().toString())

    def back(self) -> None:
        import js

        js.history.back()

    def forward(self) -> None:
        import js

        js.history.forward()

    def close(self) -> None:
        self._recorder.stop()
        self.root.remove()


def to_js_dict(d: dict[str, Any]) -> Any:
    import js
    from pyodide.ffi import to_js

    return to_js(d, dict_converter=js.Object.fromEntries)


def make_harness(hash: str = "", *, move_before: bool | None = None) -> Harness:
    """``move_before=False``: in the browser, moves use insertBefore (the fallback path)."""
    return BrowserHarness(hash, move_before=move_before) if IN_BROWSER else MemoryHarness(hash)


def same(a: Any, b: Any) -> bool:
    """Node identity on both backends (JsProxy ``==`` is JavaScript ``===``)."""
    return a is b if not IN_BROWSER else bool(a == b)


def touched(records: list[Rec], harness: Harness, row: Any) -> bool:
    """Every record is inside ``row``, or adds/removes ``row`` itself from its parent."""
    for r in records:
        if harness.inside(row, r.target):
            continue
        nodes = r.added + r.removed
        if nodes and all(same(n, row) for n in nodes):
            continue
        return False
    return True


_LISTENER_COUNTER_JS = """
() => {
  const proto = EventTarget.prototype;
  const add = proto.addEventListener, remove = proto.removeEventListener;
  const live = new Set();
  proto.addEventListener = function (type, fn, opts) { live.add(fn); return add.call(this, type, fn, opts); };
  proto.removeEventListener = function (type, fn, opts) { live.delete(fn); return remove.call(this, type, fn, opts); };
  return {
    count() { return live.size; },
    restore() { proto.addEventListener = add; proto.removeEventListener = remove; },
  };
}
"""


class ListenerCounter:
    """Counts listeners currently attached, independently of the adapter's own count."""

    def __init__(self, harness: Harness) -> None:
        self._harness = harness
        if IN_BROWSER:
            import js

            self._js = js.eval(_LISTENER_COUNTER_JS)()

    def count(self) -> int:
        if IN_BROWSER:
            return int(self._js.count())
        dom = self._harness.dom
        assert isinstance(dom, MemoryDom)
        nodes = [*dom.body.walk(), dom.window]
        return sum(len(v) for n in nodes for v in n.listeners.values())

    def restore(self) -> None:
        if IN_BROWSER:
            self._js.restore()
