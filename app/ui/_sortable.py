"""A list people can reorder with the keyboard alone.

Each row carries "Move <name> up" / "Move <name> down" buttons (visible text "Up" /
"Down"), and Alt+↑ / Alt+↓ anywhere in a row moves it too. Moving keeps focus where it
was (the row's node moves, it is not re-rendered); at the ends the buttons say they are
unavailable with ``aria-disabled`` instead of ``disabled``, which would throw focus out of
the list. Every move is announced in the list's ``status`` ("Moved “Chapter 2” to
position 1 of 3").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from app.reactive import Readable, Subscribable, Writable, derived, get, writable

from ._context import Ctx
from ._dom import Event, Node
from ._keyed_list import FocusLost, Row

__all__ = ["Place", "SortableRow", "sortable_list"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a row is: its index and how many rows there are."""

    index: int
    count: int

    @property
    def first(self) -> bool:
        return self.index == 0

    @property
    def last(self) -> bool:
        return self.index == self.count - 1


@dataclass(slots=True)
class SortableRow(Generic[T]):
    """What a row renders besides the move buttons: the item store, its place, its name."""

    item: Readable[T]
    place: Readable[Place]
    name: Readable[str]


def _same(a: object, b: object) -> bool:
    return a == b


def sortable_list(
    ctx: Ctx,
    items: Subscribable[Sequence[T]],
    *,
    key: Callable[[T], Hashable],
    name: Callable[[T, int], str],
    render: Callable[[Ctx, SortableRow[T]], Node],
    move: Callable[[T, int], Awaitable[object]],
    label: str,
    on_error: Callable[[BaseException], None] | None = None,
    on_focus_lost: FocusLost | None = None,
    css: str = "",
) -> tuple[Node, Node]:
    """A ``ul`` (named ``label``) of ``items`` with move buttons, and its ``status``.

    ``name(item, index)`` names a row in button labels ("Chapter 2"); ``render`` builds a
    row's own content; ``move(item, delta)`` stores a move (``-1`` up, ``+1`` down).
    Returns ``(list, status)``: place the status where it reads well.
    """
    places: dict[Hashable, Place] = {}
    positions: Writable[dict[Hashable, Place]] = writable(places)
    announcement = writable("")

    def track(values: Sequence[T]) -> None:
        nonlocal places
        places = {key(item): Place(i, len(values)) for i, item in enumerate(values)}
        positions.set(places)

    ctx.watch(items, track)

    async def do_move(item: Readable[T], delta: int) -> None:
        k = key(get(item))
        place = places.get(k)
        if place is None or not 0 <= place.index + delta < place.count:
            return
        try:
            await move(get(item), delta)
        except Exception as exc:
            if on_error is not None:
                on_error(exc)
            return
        after = places.get(k)
        if after is not None:
            called = name(get(item), after.index)
            announcement.set(f"Moved “{called}” to position {after.index + 1} of {after.count}")

    def row(rctx: Ctx, first: T) -> Row[T]:
        k = key(first)
        item = writable(first)
        place = derived(positions, lambda ps: ps.get(k, Place(0, 1)), equals=_same)
        row_name = derived([item, place], lambda vs: name(vs[0], vs[1].index))

        def button(direction: str, delta: int, at_end: Callable[[Place], bool]) -> Node:
            def click(event: Event) -> object:
                if at_end(get(place)):
                    return None
                return do_move(item, delta)

            return rctx.el(
                "button",
                {
                    "type": "button",
                    "class": "move",
                    "aria-label": derived(row_name, lambda n: f"Move {n} {direction}"),
                    "aria-disabled": derived(place, lambda p: "true" if at_end(p) else None),
                },
                direction.capitalize(),
                on={"click": click},
            )

        def keydown(event: Event) -> object:
            if not getattr(event, "altKey", False) or event.key not in ("ArrowUp", "ArrowDown"):
                return None
            event.preventDefault()
            delta = -1 if event.key == "ArrowUp" else 1
            return do_move(item, delta)

        content = render(rctx, SortableRow(item, place, row_name))
        li = rctx.el(
            "li",
            {"class": f"sortable-row {css}".strip()},
            content,
            rctx.el(
                "div",
                {"class": "move-buttons"},
                button("up", -1, lambda p: p.first),
                button("down", 1, lambda p: p.last),
            ),
            on={"keydown": keydown},
        )
        return Row(li, item.set)

    listing = ctx.el("ul", {"class": "sortable", "aria-label": label})
    ctx.each(listing, items, key=key, render=row, on_focus_lost=on_focus_lost)
    status = ctx.el("p", {"class": "status sortable-status", "role": "status"}, announcement)
    return listing, status
