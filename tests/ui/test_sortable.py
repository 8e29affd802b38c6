"""The keyboard-sortable list: move buttons named for the row, Alt+arrows, focus kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from app.reactive import get, writable
from app.ui import Ctx, mount
from app.ui._sortable import SortableRow, sortable_list

from ._keys import press
from ._support import Harness, same

RUN_IN_BROWSER = True


@dataclass(frozen=True)
class Item:
    id: str
    title: str


@pytest.fixture
def listing(harness: Harness) -> Any:
    items = writable([Item("a", "Opening"), Item("b", ""), Item("c", "Finale")])
    moves: list[tuple[str, int]] = []

    async def move(item: Item, delta: int) -> None:
        moves.append((item.id, delta))
        values = list(get(items))
        i = values.index(item)
        values.insert(i + delta, values.pop(i))
        items.set(values)

    def render(ctx: Ctx, row: SortableRow[Item]) -> Any:
        return ctx.el("span", {"class": "title"}, row.name)

    def view(ctx: Ctx) -> Any:
        ul, status = sortable_list(
            ctx,
            items,
            key=lambda it: it.id,
            name=lambda it, i: it.title or f"Chapter {i + 1}",
            render=render,
            move=move,
            label="Chapters",
        )
        return ctx.el("div", None, ul, status)

    m = mount(harness.dom, harness.root, view)
    yield items, moves
    m.unmount()


def button(h: Harness, label: str) -> Any:
    (b,) = [b for b in h.query("button") if h.attr(b, "aria-label") == label]
    return b


def titles(h: Harness) -> list[str]:
    return [h.text(s) for s in h.query("span.title")]


async def test_buttons_are_named_for_their_row_and_unavailable_at_the_ends(harness, listing):
    h = harness
    assert titles(h) == ["Opening", "Chapter 2", "Finale"]
    assert h.attr(button(h, "Move Opening up"), "aria-disabled") == "true"
    assert h.attr(button(h, "Move Opening down"), "aria-disabled") is None
    assert h.attr(button(h, "Move Finale down"), "aria-disabled") == "true"
    assert h.text(button(h, "Move Chapter 2 up")) == "Up"


async def test_moving_keeps_focus_renames_by_position_and_announces(harness, listing):
    h = harness
    _items, moves = listing
    up = button(h, "Move Chapter 2 up")
    h.dom.call(up, "focus")
    h.fire(up, "click")
    await h.dom.settle()
    assert moves == [("b", -1)]
    assert titles(h) == ["Chapter 1", "Opening", "Finale"]
    assert same(h.dom.focused(), up)  # the same button, now "Move Chapter 1 up"
    assert h.attr(up, "aria-label") == "Move Chapter 1 up"
    assert h.attr(up, "aria-disabled") == "true"
    (status,) = h.query("p.sortable-status")
    assert h.text(status) == "Moved “Chapter 1” to position 1 of 3"
    h.fire(up, "click")  # at the top: nothing happens
    await h.dom.settle()
    assert moves == [("b", -1)]


async def test_alt_arrows_move_the_row_holding_focus(harness, listing):
    h = harness
    _items, moves = listing
    down = button(h, "Move Opening down")
    h.dom.call(down, "focus")
    assert press(h, down, "ArrowDown", altKey=True)
    await h.dom.settle()
    assert titles(h) == ["Chapter 1", "Opening", "Finale"]
    assert not press(h, down, "ArrowDown")  # without Alt the key is left alone
    await h.dom.settle()
    assert moves == [("a", 1)]
