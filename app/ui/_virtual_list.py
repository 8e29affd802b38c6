"""VirtualList: a keyed list that renders only the rows in (or near) view.

A chat of 10,000 messages keeps a few dozen rows in the document. The viewport (a
scrolling element) holds a top spacer, the rendered rows and a bottom spacer; the
spacers stand for the rows not rendered, sized from each row's *measured* height (an
estimate until a row has been shown once). Rows are reconciled by key with
:class:`KeyedList`, so a changed item patches its own row only, and a row keeps its node
(and focus, selection, an open editor) while it stays in view.

For assistive technology and the keyboard, every row carries ``aria-posinset`` and
``aria-setsize`` (its place in the whole list, not in the rendered part), and
:meth:`focus_index` brings any row into view and focuses it — the chat binds Page Up /
Page Down and Ctrl+Home / Ctrl+End to it (the ARIA ``feed`` pattern)::

    viewport = ctx.el("div", {"role": "feed", "aria-label": "Messages", "tabindex": "0"})
    rows = VirtualList(ctx, viewport, messages, key=lambda m: m.id, render=row)
    rows.scroll_to_end()
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Generic, TypeVar

from app.reactive import Subscribable

from ._context import Ctx
from ._dom import Event, Node
from ._keyed_list import KeyedList, Row

__all__ = ["Slot", "VirtualList"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Slot(Generic[T]):
    """An item with its position in the whole list (0-based) and the list's length."""

    index: int
    item: T
    size: int


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN


class VirtualList(Generic[T]):
    """See the module docstring. ``render(ctx, slot)`` builds a row for ``slot.item`` at
    ``slot.index``; its ``Row.update`` receives the new slot when the item or its position
    changes. ``estimate`` is the height (px) assumed for a row not yet measured;
    ``overscan`` how many pixels beyond the viewport are rendered on each side;
    ``start_at_end`` shows the last rows first and follows the end as rows arrive (until
    the person scrolls up; back at the end, it follows again)."""

    def __init__(
        self,
        ctx: Ctx,
        viewport: Node,
        items: Subscribable[Sequence[T]],
        key: Callable[[T], Hashable],
        render: Callable[[Ctx, Slot[T]], Row[Slot[T]]],
        *,
        estimate: float = 96.0,
        overscan: float = 800.0,
        measure: Callable[[Node], float | None] | None = None,
        start_at_end: bool = False,
    ) -> None:
        self._ctx = ctx
        self._dom = ctx.dom
        self.viewport = viewport
        self._key = key
        self._render = render
        self.estimate = estimate
        self.overscan = overscan
        self._measure = measure or self._offset_height
        self._items: list[T] = []
        self._keys: list[Hashable] = []
        self._index: dict[Hashable, int] = {}
        self._heights: dict[Hashable, float] = {}
        self._prefix: list[float] = [0.0]
        self._dirty = True
        self.start = 0
        self.end = 0
        self._top = ctx.el("div", {"class": "virtual-spacer", "aria-hidden": "true"})
        self.body = ctx.el("div", {"class": "virtual-rows"})
        self._bottom = ctx.el("div", {"class": "virtual-spacer", "aria-hidden": "true"})
        for node in (self._top, self.body, self._bottom):
            self._dom.insert(viewport, node)
        self._rows: KeyedList[Slot[T]] = KeyedList(
            self._dom,
            self.body,
            lambda slot: key(slot.item),
            render,
            ctx.scope,
            on_focus_lost=self._focus_lost,
        )
        self._spacer_px = (-1.0, -1.0)
        self._shown: list[T] = []
        self._shown_size = 0
        #: Whether the list follows its end (the person has not scrolled up from it).
        self.stuck = start_at_end
        self._refreshing = False
        ctx.on(viewport, "scroll", self._scrolled)
        ctx.on(self._dom.window, "resize", lambda event: self.remeasure())
        ctx.watch(items, self._set_items)

    # -- geometry ------------------------------------------------------------------------------
    def _offset_height(self, node: Node) -> float | None:
        height = _number(self._dom.get_prop(node, "offsetHeight"))
        return height if height else None

    def _height(self, key: Hashable) -> float:
        return self._heights.get(key, self.estimate)

    def _tops(self) -> list[float]:
        if self._dirty:
            self._prefix = [0.0, *accumulate(self._height(k) for k in self._keys)]
            self._dirty = False
        return self._prefix

    @property
    def total_height(self) -> float:
        return self._tops()[-1]

    def top_of(self, index: int) -> float:
        """Where row ``index`` starts, in pixels from the top of the list."""
        return self._tops()[max(0, min(index, len(self._keys)))]

    def _viewport(self) -> tuple[float, float]:
        """The scroll position and the visible height (a position past the end, which a
        browser would clamp, is taken as the end)."""
        top = _number(self._dom.get_prop(self.viewport, "scrollTop")) or 0.0
        height = _number(self._dom.get_prop(self.viewport, "clientHeight")) or 0.0
        height = height if height > 0 else 800.0
        return max(0.0, min(top, self.total_height - height)), height

    def _window(self) -> tuple[int, int]:
        tops = self._tops()
        n = len(self._keys)
        if not n:
            return 0, 0
        top, height = self._viewport()
        low, high = top - self.overscan, top + height + self.overscan
        start = max(0, bisect.bisect_right(tops, low) - 1)
        end = min(n, bisect.bisect_left(tops, high, lo=start))
        return start, max(end, min(n, start + 1))

    # -- updates -------------------------------------------------------------------------------
    def _scrolled(self, event: Event) -> None:
        self.stuck = self.at_end()
        self.refresh()

    def _set_items(self, items: Sequence[T]) -> None:
        keys = [self._key(i) for i in items]
        if keys != self._keys:
            self._keys = keys
            self._index = {k: i for i, k in enumerate(keys)}
            self._dirty = True
            gone = self._heights.keys() - self._index.keys()
            for k in gone:
                del self._heights[k]
        self._items = list(items)
        self.refresh()
        if self.stuck:
            self.scroll_to_end()

    def refresh(self) -> None:
        """Render the rows the viewport shows now (after a scroll or a change)."""
        if self._refreshing:  # a row being rendered reported a size: measured below
            return
        self._refreshing = True
        try:
            self._refresh()
        finally:
            self._refreshing = False

    def _refresh(self) -> None:
        for _ in range(4):  # measured heights may move the window; settle in a few steps
            start, end = self._window()
            if (start, end) != (self.start, self.end) or self._rows_stale(start, end):
                self.start, self.end = start, end
                size = len(self._items)
                slots = [Slot(i, self._items[i], size) for i in range(start, end)]
                self._shown = [s.item for s in slots]
                self._shown_size = size
                # spacers first: no layout in between may see the list shorter than it
                # is (the browser would clamp the scroll position)
                self._size_spacers()
                self._rows.set(slots)
            if not self._measure_rendered():
                break
        self._size_spacers()

    def _rows_stale(self, start: int, end: int) -> bool:
        """Whether the rendered rows show other items (or positions) than these."""
        if self._shown_size != len(self._items) or len(self._shown) != end - start:
            return True
        return any(a is not b for a, b in zip(self._shown, self._items[start:end], strict=True))

    def _measure_rendered(self) -> bool:
        """Read the rendered rows' heights; True when one differed from what was assumed."""
        changed = False
        for index in range(self.start, self.end):
            key = self._keys[index]
            height = self._measure(self._rows.node(key))
            if height is not None and abs(self._heights.get(key, -1.0) - height) > 0.5:
                self._heights[key] = height
                changed = True
        if changed:
            self._dirty = True
        return changed

    def _size_spacers(self) -> None:
        tops = self._tops()
        above, below = tops[self.start], tops[-1] - tops[self.end]
        if (above, below) != self._spacer_px:
            self._spacer_px = (above, below)
            self._dom.set_attr(self._top, "style", f"height: {above:.0f}px")
            self._dom.set_attr(self._bottom, "style", f"height: {below:.0f}px")

    def attached(self) -> None:
        """The viewport is in the document now (rows can be measured, the scroll position
        set): render for its real size, and show the end when following it."""
        if self.stuck:
            self.scroll_to_end()
        else:
            self.refresh()

    def remeasure(self) -> None:
        """Forget measured heights of the rendered rows (the width changed) and re-measure."""
        for index in range(self.start, self.end):
            self._heights.pop(self._keys[index], None)
        self._dirty = True
        self.refresh()

    def row_resized(self, key: Hashable | None = None) -> None:
        """A rendered row changed height (its text grew while streaming), or with no key,
        something after the rows did: re-measure, and keep following the end."""
        if self._refreshing:
            return
        if key in self._index and self.start <= self._index[key] < self.end:
            if self._measure_rendered():
                self._size_spacers()
        if self.stuck:
            self.scroll_to_end()

    # -- scrolling and focus ---------------------------------------------------------------------
    def at_end(self, slack: float = 24.0) -> bool:
        """Whether the viewport shows the end of the list (within ``slack`` px)."""
        if not self._keys:
            return True
        top, height = self._viewport()
        scroll_height = _number(self._dom.get_prop(self.viewport, "scrollHeight"))
        bottom = scroll_height if scroll_height else self.total_height
        return top + height >= bottom - slack

    def scroll_to(self, top: float) -> None:
        """Scroll to ``top`` px; the list follows its end from then on only if that is
        where it landed."""
        self._set_scroll(top)
        self.stuck = self.at_end()

    def _set_scroll(self, top: float) -> None:
        self._dom.set_prop(self.viewport, "scrollTop", max(0.0, top))
        self.refresh()

    def scroll_to_end(self) -> None:
        """Show the last rows and follow the end from now on (measuring the last rows may
        move the end: follow it)."""
        for _ in range(3):
            self._set_scroll(self.total_height + 10_000)
            if self.end == len(self._keys) and self.at_end():
                break
        self.stuck = True

    def scroll_to_index(self, index: int) -> None:
        """Bring row ``index`` into view (at the top when it was above, else at the bottom)."""
        if not 0 <= index < len(self._keys):
            return
        top, height = self._viewport()
        row_top, row_bottom = self.top_of(index), self.top_of(index + 1)
        if row_top < top:
            self.scroll_to(row_top)
        elif row_bottom > top + height:
            self.scroll_to(row_bottom - height)
        else:
            self.refresh()

    def node_at(self, index: int) -> Node | None:
        """The rendered row ``index`` (None when it is not rendered)."""
        if self.start <= index < self.end:
            return self._rows.node(self._keys[index])
        return None

    def index_of(self, key: Hashable) -> int | None:
        return self._index.get(key)

    def focus_index(self, index: int) -> None:
        """Scroll row ``index`` into view and focus it."""
        index = max(0, min(index, len(self._keys) - 1))
        self.scroll_to_index(index)
        node = self.node_at(index)
        if node is not None:
            self._dom.call(node, "focus")

    def focused_index(self) -> int | None:
        """The row holding focus (or containing the focused element)."""
        focused = self._dom.focused()
        if focused is None:
            return None
        for index in range(self.start, self.end):
            node = self._rows.node(self._keys[index])
            if self._dom.contains(node, focused):
                return index
        return None

    def feed_keys(self, event: Event) -> None:
        """Page Up / Page Down: the previous / next row; Ctrl+Home / Ctrl+End: the first /
        last (the ARIA feed pattern). Bind to the viewport's ``keydown``."""
        key = event.key
        ctrl = bool(getattr(event, "ctrlKey", False))
        current = self.focused_index()
        n = len(self._keys)
        if not n:
            return
        if key == "PageDown":
            target = n - 1 if current is None else current + 1
        elif key == "PageUp":
            target = n - 1 if current is None else current - 1
        elif key == "End" and ctrl:
            target = n - 1
        elif key == "Home" and ctrl:
            target = 0
        else:
            return
        event.preventDefault()
        self.focus_index(target)

    def _focus_lost(self, neighbour: Node | None) -> None:
        self._dom.call(self.viewport, "focus")
