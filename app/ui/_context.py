"""Ctx: what a component receives — a DOM adapter plus the scope that owns its resources."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from app.reactive import Subscribable, Subscriber

from ._dom import Dom, Handler, Node
from ._scope import Scope

if TYPE_CHECKING:
    from ._keyed_list import FocusLost, KeyedList, Row

__all__ = ["AttrValue", "Child", "Ctx", "is_store"]

T = TypeVar("T")

AttrValue = str | bool | int | float | None | Subscribable[Any]
Child = str | int | float | None | Node | Subscribable[Any]


def is_store(value: object) -> bool:
    """A store has a ``subscribe`` method (checked on the type: fast, and never a JsProxy)."""
    return hasattr(type(value), "subscribe")


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


def _identity(value: Any) -> Hashable:
    return cast(Hashable, value)


class Ctx:
    """Builds nodes and binds them to stores; everything acquired is released by ``scope``.

    Attribute names starting with ``.`` set DOM properties instead (``{".value": store}``);
    a property named ``value`` is only written when it differs, so a caret never jumps.
    """

    __slots__ = ("dom", "scope")

    def __init__(self, dom: Dom, scope: Scope | None = None) -> None:
        self.dom = dom
        self.scope = scope if scope is not None else Scope()

    def child(self) -> Ctx:
        """A context whose resources are released with (or before) this one's."""
        return Ctx(self.dom, self.scope.child())

    def dispose(self) -> None:
        self.scope.dispose()

    # -- building --------------------------------------------------------------------------
    def el(
        self,
        tag: str,
        attrs: Mapping[str, AttrValue] | None = None,
        *children: Child,
        on: Mapping[str, Handler] | None = None,
    ) -> Node:
        """An element with attributes, children (text, nodes or stores) and listeners."""
        dom = self.dom
        node = dom.element(tag)
        if attrs:
            for name, value in attrs.items():
                if is_store(value):
                    self.bind(node, name, cast(Subscribable[Any], value))
                else:
                    self._assign(node, name, value)
        for child in children:
            if child is None:
                continue
            if isinstance(child, (str, int, float)):
                dom.insert(node, dom.text(str(child)))
            elif is_store(child):
                dom.insert(node, self.text(cast(Subscribable[Any], child)))
            else:
                dom.insert(node, child)
        if on:
            for event, handler in on.items():
                self.on(node, event, handler)
        return node

    def text(self, value: str | Subscribable[Any]) -> Node:
        """A text node; bound to ``value`` when it is a store."""
        if not is_store(value):
            return self.dom.text(_as_text(value))
        node = self.dom.text("")
        current: list[str] = [""]

        def run(v: object) -> None:
            s = _as_text(v)
            if s != current[0]:
                current[0] = s
                self.dom.set_data(node, s)

        self.watch(cast(Subscribable[Any], value), run)
        return node

    def bind(self, node: Node, name: str, store: Subscribable[Any]) -> None:
        """Keep an attribute (or ``.property``) of ``node`` equal to the store's value."""
        self.watch(store, lambda v: self._assign(node, name, v))

    def _assign(self, node: Node, name: str, value: object) -> None:
        if name.startswith("."):
            prop = name[1:]
            if prop == "value":
                value = _as_text(value)
                if self.dom.get_prop(node, "value") == value:
                    return
            self.dom.set_prop(node, prop, value)
        else:
            self.dom.set_attr(
                node, name, value if isinstance(value, (bool, type(None))) else str(value)
            )

    # -- resources -------------------------------------------------------------------------
    def watch(self, store: Subscribable[T], run: Subscriber[T]) -> None:
        """Subscribe for the lifetime of this context."""
        self.scope.on_dispose(store.subscribe(run))

    def on(self, node: Node, event: str, handler: Handler) -> None:
        """Listen for the lifetime of this context."""
        self.scope.on_dispose(self.dom.listen(node, event, handler))

    # -- structure -------------------------------------------------------------------------
    def each(
        self,
        parent: Node,
        items: Subscribable[Sequence[T]],
        key: Callable[[T], Hashable],
        render: Callable[[Ctx, T], Row[T]],
        *,
        on_focus_lost: FocusLost | None = None,
    ) -> KeyedList[T]:
        """A keyed list owning ``parent``'s children (see :class:`KeyedList`)."""
        from ._keyed_list import KeyedList

        keyed = KeyedList(self.dom, parent, key, render, self.scope, on_focus_lost=on_focus_lost)
        self.watch(items, keyed.set)
        return keyed

    def switch(
        self,
        parent: Node,
        store: Subscribable[T],
        render: Callable[[Ctx, T], Node | None],
        key: Callable[[T], Hashable] = _identity,
        after: Callable[[T, Node | None], None] | None = None,
    ) -> None:
        """Re-render ``parent``'s content when ``key(value)`` changes; the old view is disposed.

        ``after(value, node)`` runs once the new view is in the document (to move focus
        into it, say).
        """
        shown = _Shown()

        def run(value: T) -> None:
            k = key(value)
            if shown.rendered and k == shown.key:
                return
            shown.clear(self.dom)
            shown.key, shown.rendered = k, True
            ctx = self.child()
            node = render(ctx, value)
            shown.ctx, shown.node = ctx, node
            if node is not None:
                self.dom.insert(parent, node)
            if after is not None:
                after(value, node)

        self.watch(store, run)
        self.scope.on_dispose(lambda: shown.clear(self.dom))


class _Shown:
    """What a ``switch`` shows now: its key, context and node."""

    __slots__ = ("ctx", "key", "node", "rendered")

    def __init__(self) -> None:
        self.key: Hashable = None
        self.rendered = False
        self.ctx: Ctx | None = None
        self.node: Node | None = None

    def clear(self, dom: Dom) -> None:
        if self.ctx is not None:
            self.ctx.dispose()
        if self.node is not None:
            dom.remove(self.node)
        self.ctx = self.node = None
