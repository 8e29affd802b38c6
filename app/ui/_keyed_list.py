"""KeyedList: a list of rows patched by key, so one changed item touches one row."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from ._dom import Dom, Node
from ._reconcile import plan_keyed
from ._scope import Scope

if TYPE_CHECKING:
    from ._context import Ctx

__all__ = ["FocusLost", "KeyedList", "Row"]

T = TypeVar("T")

FocusLost = Callable[[Node | None], None]
"""Called after an update removed the row that held keyboard focus, with the row node
now at that position (the next one, else the last), or ``None`` when the list is empty."""


@dataclass(slots=True)
class Row(Generic[T]):
    """A rendered item: its root node and how to patch it for a new version of the item.

    Without ``update`` a changed item is rendered afresh (still touching only its row).
    """

    node: Node
    update: Callable[[T], None] | None = None


@dataclass(slots=True)
class _Entry(Generic[T]):
    item: T
    row: Row[T]
    scope: Scope


class KeyedList(Generic[T]):
    """Owns the children of ``parent``; ``set(items)`` reconciles them by key.

    Removed rows are disposed (their listeners and subscriptions released); moved rows
    keep their nodes (and with them focus, selection and any user input); an item that
    is not ``==`` to its previous version is patched through its row's ``update``.
    When an update removes the row holding keyboard focus, ``on_focus_lost`` is told
    where the neighbouring row is, so the view can put focus somewhere sensible instead
    of letting it fall to ``<body>``.
    """

    def __init__(
        self,
        dom: Dom,
        parent: Node,
        key: Callable[[T], Hashable],
        render: Callable[[Ctx, T], Row[T]],
        scope: Scope,
        *,
        on_focus_lost: FocusLost | None = None,
    ) -> None:
        self._dom = dom
        self._on_focus_lost = on_focus_lost
        self._parent = parent
        self._key = key
        self._render = render
        self._scope = scope
        self._keys: list[Hashable] = []
        self._entries: dict[Hashable, _Entry[T]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def keys(self) -> list[Hashable]:
        return list(self._keys)

    def node(self, key: Hashable) -> Node:
        """The row node rendered for ``key``."""
        return self._entries[key].row.node

    def set(self, items: Sequence[T]) -> None:
        key = self._key
        new_keys = [key(item) for item in items]
        plan = plan_keyed(self._keys, new_keys)
        dom, parent, entries = self._dom, self._parent, self._entries
        lost = self._focused_position(plan.removes) if plan.removes else None
        for k in plan.removes:
            self._drop(entries.pop(k))
        if entries:
            self._patch(items, new_keys)
        if not self._keys and len(plan.steps) > 1:
            fragment = dom.fragment()  # first fill: one insertion into the live document
            for item, k in zip(items, new_keys, strict=True):
                entries[k] = entry = self._create(item)
                dom.insert(fragment, entry.row.node)
            dom.insert(parent, fragment)
        else:
            by_key = dict(zip(new_keys, items, strict=True)) if plan.inserts else {}
            for step in plan.steps:
                before = None if step.before is None else entries[step.before].row.node
                if step.op == "insert":
                    entries[step.key] = entry = self._create(by_key[step.key])
                    dom.insert(parent, entry.row.node, before)
                else:
                    dom.move(parent, entries[step.key].row.node, before)
        self._keys = new_keys
        if lost is not None and self._on_focus_lost is not None:
            where = min(lost, len(new_keys) - 1)
            self._on_focus_lost(entries[new_keys[where]].row.node if new_keys else None)

    def _focused_position(self, removes: Sequence[Hashable]) -> int | None:
        """Where the row holding focus was, if it is among ``removes``."""
        if self._on_focus_lost is None:
            return None
        focused = self._dom.focused()
        if focused is None:
            return None
        for k in removes:
            if self._dom.contains(self._entries[k].row.node, focused):
                return self._keys.index(k)
        return None

    def _patch(self, items: Sequence[T], keys: list[Hashable]) -> None:
        entries = self._entries
        for item, k in zip(items, keys, strict=True):
            entry = entries.get(k)
            if entry is None or entry.item is item or entry.item == item:
                continue
            entry.item = item
            if entry.row.update is not None:
                entry.row.update(item)
            else:
                old = entry.row.node
                entry.scope.dispose()
                fresh = self._create(item)
                self._dom.insert(self._parent, fresh.row.node, old)
                self._dom.remove(old)
                entries[k] = fresh

    def _create(self, item: T) -> _Entry[T]:
        from ._context import Ctx

        scope = self._scope.child()
        row = self._render(Ctx(self._dom, scope), item)
        return _Entry(item, row, scope)

    def _drop(self, entry: _Entry[T]) -> None:
        entry.scope.dispose()
        self._dom.remove(entry.row.node)
