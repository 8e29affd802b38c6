"""Ctx: what a component receives — a DOM adapter plus the scope that owns its resources."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast, runtime_checkable

from ._dom import Dom, Handler, Node
from ._scope import Scope

if TYPE_CHECKING:
    from ._keyed_list import KeyedList, Row

__all__ = ["AttrValue", "Child", "Ctx", "Readable"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@runtime_checkable
class Readable(Protocol[T_co]):
    """Anything with Svelte's store contract (``app.reactive`` stores qualify)."""

    def subscribe(self, run: Callable[[T_co], None], /) -> Callable[[], None]: ...


AttrValue = str | bool | int | float | None | Readable[Any]
Child = str | int | float | None | Node | Readable[Any]


def is_store(value: object) -> bool:
    """A store has a ``subscribe`` method (checked on the type: fast, and never a JsProxy)."""
    return hasattr(type(value), "subscribe")


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


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
                    self.bind(node, name, cast(Readable[Any], value))
                else:
                    self._assign(node, name, value)
        for child in children:
            if child is None:
                continue
            if isinstance(child, (str, int, float)):
                dom.insert(node, dom.text(str(child)))
            elif is_store(child):
                dom.insert(node, self.text(cast(Readable[Any], child)))
            else:
                dom.insert(node, child)
        if on:
            for event, handler in on.items():
                self.on(node, event, handler)
        return node

    def text(self, value: str | Readable[Any]) -> Node:
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

        self.watch(cast(Readable[Any], value), run)
        return node

    def bind(self, node: Node, name: str, store: Readable[Any]) -> None:
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
    def watch(self, store: Readable[T], run: Callable[[T], None]) -> None:
        """Subscribe for the lifetime of this context."""
        self.scope.on_dispose(store.subscribe(run))

    def on(self, node: Node, event: str, handler: Handler) -> None:
        """Listen for the lifetime of this context."""
        self.scope.on_dispose(self.dom.listen(node, event, handler))

    # -- structure -------------------------------------------------------------------------
    def each(
        self,
        parent: Node,
        items: Readable[Sequence[T]],
        key: Callable[[T], Hashable],
        render: Callable[[Ctx, T], Row[T]],
    ) -> KeyedList[T]:
        """A keyed list owning ``parent``'s children (see :class:`KeyedList`)."""
        from ._keyed_list import KeyedList

        keyed = KeyedList(self.dom, parent, key, render, self.scope)
        self.watch(items, keyed.set)
        return keyed

    def switch(
        self,
        parent: Node,
        store: Readable[T],
        render: Callable[[Ctx, T], Node | None],
        key: Callable[[T], Hashable] = lambda v: v,  # type: ignore[assignment,return-value]
    ) -> None:
        """Re-render ``parent``'s content when ``key(value)`` changes; the old view is disposed."""
        state: dict[str, Any] = {"ctx": None, "node": None, "key": object()}

        def run(value: T) -> None:
            k = key(value)
            if k == state["key"]:
                return
            state["key"] = k
            clear()
            ctx = self.child()
            node = render(ctx, value)
            state["ctx"], state["node"] = ctx, node
            if node is not None:
                self.dom.insert(parent, node)

        def clear() -> None:
            if state["ctx"] is not None:
                state["ctx"].dispose()
            if state["node"] is not None:
                self.dom.remove(state["node"])
            state["ctx"] = state["node"] = None

        self.watch(store, run)
        self.scope.on_dispose(clear)
