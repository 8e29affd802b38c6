"""Keyed lists: a one-item change touches only that item's nodes (MutationObserver in Chromium)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from app.ui import Ctx, Row, mount

from ._support import Cell, Harness, make_harness, same, touched

RUN_IN_BROWSER = True


@dataclass(frozen=True)
class Item:
    id: int
    label: str


def _items(n: int) -> list[Item]:
    return [Item(i, f"row {i}") for i in range(n)]


def _list_view(items: Cell, created: list[int]) -> Any:
    def row(ctx: Ctx, item: Item) -> Row[Item]:
        created.append(item.id)
        label = ctx.dom.text(item.label)
        field = ctx.el("input", {"aria-label": f"note {item.id}", ".value": item.label})
        node = ctx.el("li", {"data-id": str(item.id)}, ctx.el("span", None, label), field)

        def update(new: Item) -> None:
            ctx.dom.set_data(label, new.label)

        return Row(node, update)

    def view(ctx: Ctx) -> Any:
        ul = ctx.el("ul")
        ctx.each(ul, items, key=lambda it: it.id, render=row)
        return ul

    return view


@pytest.fixture
def listing(harness: Harness) -> Any:
    items = Cell(_items(200))
    created: list[int] = []
    m = mount(harness.dom, harness.root, _list_view(items, created))
    harness.take()
    created.clear()
    yield items, created, m
    m.unmount()


def _row(harness: Harness, ul: Any, item_id: int) -> Any:
    (node,) = [li for li in harness.children(ul) if _id_of(harness, li) == str(item_id)]
    return node


def _id_of(harness: Harness, li: Any) -> str:
    return (
        str(harness.dom.call(li, "getAttribute", "data-id"))
        if _is_browser(li)
        else li.attrs["data-id"]
    )


def _is_browser(node: Any) -> bool:
    return not hasattr(node, "attrs")


def _ids(harness: Harness, ul: Any) -> list[int]:
    return [int(_id_of(harness, li)) for li in harness.children(ul)]


def test_first_render_builds_every_row(harness: Harness, listing: Any) -> None:
    _, _, m = listing
    assert _ids(harness, m.node) == list(range(200))


def test_update_one_row_touches_only_that_row(harness: Harness, listing: Any) -> None:
    items, created, m = listing
    row = _row(harness, m.node, 77)
    new = list(items.value)
    new[77] = Item(77, "renamed")
    items.set(new)
    records = harness.take()
    assert records, "the row was not patched"
    assert touched(records, harness, row)
    assert [r.type for r in records] == ["characterData"]
    assert harness.text(row) == "renamed"
    assert created == []


def test_insert_one_row_adds_only_that_row(harness: Harness, listing: Any) -> None:
    items, created, m = listing
    new = list(items.value)
    new.insert(120, Item(1000, "new"))
    items.set(new)
    records = harness.take()
    row = _row(harness, m.node, 1000)
    assert len(records) == 1
    assert records[0].type == "childList"
    assert same(records[0].added[0], row) and records[0].removed == []
    assert created == [1000]
    assert _ids(harness, m.node) == [it.id for it in new]


def test_remove_one_row_removes_only_that_row(harness: Harness, listing: Any) -> None:
    items, _created, m = listing
    row = _row(harness, m.node, 33)
    items.set([it for it in items.value if it.id != 33])
    records = harness.take()
    assert len(records) == 1
    assert same(records[0].removed[0], row) and records[0].added == []
    assert 33 not in _ids(harness, m.node)


@pytest.mark.parametrize(("src", "dst"), [(10, 150), (150, 10), (0, 199), (199, 0)])
def test_move_one_row_moves_only_that_row(
    harness: Harness, listing: Any, src: int, dst: int
) -> None:
    items, created, m = listing
    row = _row(harness, m.node, src)
    new = list(items.value)
    new.insert(dst, new.pop(src))
    items.set(new)
    records = harness.take()
    assert records and touched(records, harness, row)
    assert len(records) <= 2  # removal + insertion of the one row
    assert created == []
    assert _ids(harness, m.node) == [it.id for it in new]


def test_shuffle_keeps_nodes_and_order(harness: Harness, listing: Any) -> None:
    items, created, m = listing
    nodes = {i: _row(harness, m.node, i) for i in (3, 90, 180)}
    new = list(reversed(items.value[:100])) + items.value[150:] + [Item(500, "x")]
    items.set(new)
    assert _ids(harness, m.node) == [it.id for it in new]
    assert created == [500]
    for i, node in nodes.items():
        if i < 100 or i >= 150:
            assert same(_row(harness, m.node, i), node)


@pytest.mark.parametrize("move_before", [None, False], ids=["native-move", "insert-fallback"])
def test_focus_and_selection_survive_moves_and_updates(move_before: bool | None) -> None:
    harness = make_harness(move_before=move_before)
    items = Cell(_items(200))
    m = mount(harness.dom, harness.root, _list_view(items, []))
    try:
        _focus_survives(harness, items, m)
    finally:
        m.unmount()
        harness.close()


def _focus_survives(harness: Harness, items: Cell, m: Any) -> None:
    row = _row(harness, m.node, 50)
    field = harness.children(row)[1]
    dom = harness.dom
    dom.call(field, "focus")
    dom.call(field, "setSelectionRange", 1, 4)
    assert same(dom.focused(), field)
    new = list(items.value)
    new.append(new.pop(50))  # move the focused row to the end
    new[0] = Item(0, "changed")  # and update another row
    items.set(new)
    new = list(new)
    new[-1] = Item(50, "focused row renamed")  # update the focused row itself
    items.set(new)
    assert same(dom.focused(), field)
    assert dom.get_prop(field, "selectionStart") == 1
    assert dom.get_prop(field, "selectionEnd") == 4
    assert _ids(harness, m.node)[-1] == 50


def test_unmount_disposes_every_row(harness: Harness) -> None:
    items = Cell(_items(50))
    extra = Cell("x")

    def view(ctx: Ctx) -> Any:
        ul = ctx.el("ul")

        def row(rctx: Ctx, item: Item) -> Row[Item]:
            return Row(rctx.el("li", None, extra, on={"click": lambda ev: None}))

        ctx.each(ul, items, key=lambda it: it.id, render=row)
        return ul

    m = mount(harness.dom, harness.root, view)
    assert extra.subscribers == 50
    assert harness.dom.live_listeners == 50
    items.set(items.value[:10])
    assert extra.subscribers == 10
    assert harness.dom.live_listeners == 10
    m.unmount()
    assert extra.subscribers == 0
    assert items.subscribers == 0
    assert harness.dom.live_listeners == 0


def test_changed_item_without_update_is_rerendered_in_place(harness: Harness) -> None:
    items = Cell(_items(5))

    def view(ctx: Ctx) -> Any:
        ul = ctx.el("ul")
        ctx.each(
            ul, items, key=lambda it: it.id, render=lambda c, it: Row(c.el("li", None, it.label))
        )
        return ul

    m = mount(harness.dom, harness.root, view)
    harness.take()
    new = list(items.value)
    new[2] = Item(2, "two")
    items.set(new)
    assert [harness.text(li) for li in harness.children(m.node)] == [
        "row 0",
        "row 1",
        "two",
        "row 3",
        "row 4",
    ]
    records = harness.take()
    assert all(same(r.target, m.node) for r in records)
    m.unmount()


def test_a_text_selection_survives_changes_to_other_rows(harness: Harness, listing: Any) -> None:
    items, _created, m = listing
    row = _row(harness, m.node, 120)
    label = harness.children(row)[0]  # <span> holding the label's text node
    text = harness.dom.get_prop(label, "firstChild")
    harness.select_text(text, 0, 3)
    assert harness.selected_text() == "row"
    new = list(items.value)
    new[5] = Item(5, "renamed")  # update another row
    new.insert(150, new.pop(7))  # move another row
    del new[60]  # remove another row
    new.insert(0, Item(999, "new"))  # insert a row
    items.set(new)
    assert harness.selected_text() == "row"
    assert _ids(harness, m.node) == [it.id for it in new]


def _focus_list(harness: Harness, items: Cell, lost: list[Any]) -> Any:
    def view(ctx: Ctx) -> Any:
        ul = ctx.el("ul")

        def row(rctx: Ctx, item: Item) -> Row[Item]:
            button = rctx.el("button", {"type": "button"}, item.label)
            return Row(rctx.el("li", {"data-id": str(item.id)}, button))

        ctx.each(ul, items, key=lambda it: it.id, render=row, on_focus_lost=lost.append)
        return ul

    return mount(harness.dom, harness.root, view)


@pytest.mark.parametrize(
    ("keep", "focused", "neighbour"),
    [
        ([0, 2, 3], 1, 2),  # the next row takes its place
        ([0, 1], 3, 1),  # the last row went: the new last one
        ([3, 0], 1, 0),  # several changes at once: the row now at that position
        ([], 2, None),  # the list is empty
    ],
)
def test_removing_the_focused_row_names_its_neighbour(
    harness: Harness, keep: list[int], focused: int, neighbour: int | None
) -> None:
    items = Cell(_items(4))
    lost: list[Any] = []
    m = _focus_list(harness, items, lost)
    button = harness.query("button", _row(harness, m.node, focused))[0]
    harness.dom.call(button, "focus")
    items.set([items.value[i] for i in keep])
    assert len(lost) == 1
    if neighbour is None:
        assert lost == [None]
    else:
        assert same(lost[0], _row(harness, m.node, neighbour))
    m.unmount()


def test_focus_elsewhere_is_not_reported(harness: Harness) -> None:
    items = Cell(_items(4))
    lost: list[Any] = []
    m = _focus_list(harness, items, lost)
    harness.dom.call(harness.query("button", _row(harness, m.node, 0))[0], "focus")
    items.set(items.value[1:2] + items.value[0:1])  # the focused row moves; others go
    assert lost == []
    m.unmount()
