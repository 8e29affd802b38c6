"""VirtualList: only rows in view are in the document, positioned by measured heights,
with their place in the whole list for assistive technology."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.reactive import writable
from app.ui import Ctx, MemoryEvent, Row, mount
from app.ui._virtual_list import Slot, VirtualList

from ._support import IN_BROWSER, Harness, same, touched

RUN_IN_BROWSER = True

VIEW_HEIGHT = 400


@dataclass(frozen=True)
class Item:
    id: int
    text: str
    height: int = 40


def _items(n: int, height: int = 40) -> list[Item]:
    return [Item(i, f"item {i}", height) for i in range(n)]


def _measure(node: Any) -> float | None:
    """In the memory document, a row's height is what its style says (the browser lays out)."""
    style = node.attrs.get("style", "")
    return float(style.split("height:")[1].split("px")[0]) if "height:" in style else None


def _mounted(harness: Harness, items: Any, **options: Any) -> tuple[Any, VirtualList[Item], Any]:
    made: dict[str, Any] = {}

    def row(ctx: Ctx, slot: Slot[Item]) -> Row[Slot[Item]]:
        label = ctx.dom.text(slot.item.text)
        node = ctx.el(
            "article",
            {
                "tabindex": "-1",
                "style": f"height: {slot.item.height}px; margin: 0",
                "aria-posinset": str(slot.index + 1),
                "aria-setsize": str(slot.size),
                "data-id": str(slot.item.id),
            },
            label,
        )

        def update(new: Slot[Item]) -> None:
            ctx.dom.set_data(label, new.item.text)
            ctx.dom.set_attr(node, "aria-posinset", str(new.index + 1))
            ctx.dom.set_attr(node, "aria-setsize", str(new.size))
            ctx.dom.set_attr(node, "style", f"height: {new.item.height}px; margin: 0")

        return Row(node, update)

    def view(ctx: Ctx) -> Any:
        viewport = ctx.el(
            "div",
            {
                "role": "feed",
                "aria-label": "Items",
                "tabindex": "0",
                "style": f"height: {VIEW_HEIGHT}px; overflow-y: auto; overflow-anchor: none",
            },
        )
        if not IN_BROWSER:
            viewport.props["clientHeight"] = VIEW_HEIGHT
        made["list"] = VirtualList(
            ctx,
            viewport,
            items,
            key=lambda it: it.id,
            render=row,
            estimate=40.0,
            overscan=200.0,
            measure=None if IN_BROWSER else _measure,
            **options,
        )
        made["viewport"] = viewport
        ctx.on(viewport, "keydown", made["list"].feed_keys)
        return viewport

    handle = mount(harness.dom, harness.root, view)
    made["list"].refresh()  # mounted: now the browser can measure
    return handle, made["list"], made["viewport"]


def _rendered(harness: Harness, viewport: Any) -> list[int]:
    return [int(harness.attr(a, "data-id")) for a in harness.query("article", viewport)]


def _spacers(harness: Harness, viewport: Any) -> list[float]:
    out = []
    for node in harness.query("div.virtual-spacer", viewport):
        style = harness.attr(node, "style") or "height: 0px"
        out.append(float(style.split("height:")[1].split("px")[0]))
    return out


def test_ten_thousand_items_render_only_a_window(harness: Harness) -> None:
    items = writable(_items(10_000))
    handle, _rows, viewport = _mounted(harness, items)
    shown = _rendered(harness, viewport)
    assert shown[0] == 0 and len(shown) <= (VIEW_HEIGHT + 200) // 40 + 2
    above, below = _spacers(harness, viewport)
    assert above == 0 and below == (10_000 - len(shown)) * 40
    first = harness.query("article", viewport)[0]
    assert harness.attr(first, "aria-posinset") == "1"
    assert harness.attr(first, "aria-setsize") == "10000"
    handle.unmount()


def test_scrolling_to_the_end_shows_the_last_items(harness: Harness) -> None:
    items = writable(_items(10_000))
    handle, rows, viewport = _mounted(harness, items)
    rows.scroll_to_end()
    shown = _rendered(harness, viewport)
    assert shown[-1] == 9_999 and len(shown) <= (VIEW_HEIGHT + 200) // 40 + 2
    last = harness.query("article", viewport)[-1]
    assert harness.attr(last, "aria-posinset") == "10000"
    assert rows.at_end()
    above, below = _spacers(harness, viewport)
    assert below == 0 and above == (10_000 - len(shown)) * 40
    handle.unmount()


def test_scrolling_moves_the_window_and_keeps_rows_still_in_view(harness: Harness) -> None:
    items = writable(_items(1_000))
    handle, _rows, viewport = _mounted(harness, items)
    harness.dom.set_prop(viewport, "scrollTop", 4_000)  # row 100 at the top
    harness.fire(viewport, "scroll")
    shown = _rendered(harness, viewport)
    assert shown[0] <= 100 - 200 // 40 and 100 + VIEW_HEIGHT // 40 <= shown[-1]
    kept = harness.query('article[data-id="105"]', viewport)[0]
    harness.dom.set_prop(viewport, "scrollTop", 4_080)
    harness.fire(viewport, "scroll")
    assert same(harness.query('article[data-id="105"]', viewport)[0], kept)
    handle.unmount()


def test_spacers_follow_measured_heights(harness: Harness) -> None:
    tall = [Item(i, f"item {i}", 40 if i % 2 else 120) for i in range(200)]
    items = writable(tall)
    handle, rows, viewport = _mounted(harness, items)
    rows.scroll_to_end()
    shown = _rendered(harness, viewport)
    above, below = _spacers(harness, viewport)
    assert below == 0
    # the rows in view count with their measured heights (120 and 40 px alternating);
    # rows measured earlier too; the others with the estimate (40 px)
    assert abs(rows.total_height - above - sum(tall[i].height for i in shown)) <= 1
    assert abs(rows.top_of(shown[0]) - above) <= 1
    first_window = range(0, (VIEW_HEIGHT + 200) // 40)
    assert rows.top_of(2) == 160  # rows 0 and 1 were measured when they were shown
    assert above >= sum(tall[i].height for i in first_window if i < shown[0]) - 1
    handle.unmount()


def test_changing_one_item_touches_only_its_row(harness: Harness) -> None:
    data = _items(500)
    items = writable(data)
    handle, _rows, viewport = _mounted(harness, items)
    target = harness.query('article[data-id="3"]', viewport)[0]
    harness.take()
    changed = list(data)
    changed[3] = Item(3, "edited", 40)
    items.set(changed)
    records = harness.take()
    assert records and touched(records, harness, target)
    assert harness.text(target) == "edited"
    handle.unmount()


def test_appending_updates_the_set_size_and_follows_the_end(harness: Harness) -> None:
    data = _items(300)
    items = writable(data)
    handle, rows, viewport = _mounted(harness, items)
    rows.scroll_to_end()
    assert rows.at_end()
    items.set([*data, Item(300, "new", 40)])
    shown = _rendered(harness, viewport)
    assert shown[-1] == 300
    assert rows.at_end(), (
        harness.dom.get_prop(viewport, "scrollTop"),
        harness.dom.get_prop(viewport, "scrollHeight"),
        harness.dom.get_prop(viewport, "clientHeight"),
        rows.total_height,
        rows.start,
        rows.end,
        _spacers(harness, viewport),
    )
    assert {harness.attr(a, "aria-setsize") for a in harness.query("article", viewport)} == {"301"}
    handle.unmount()


def test_page_down_and_ctrl_end_move_focus_through_the_whole_list(harness: Harness) -> None:
    items = writable(_items(2_000))
    handle, rows, viewport = _mounted(harness, items)
    rows.focus_index(0)
    first = harness.query('article[data-id="0"]', viewport)[0]
    assert same(harness.dom.focused(), first)
    _key(harness, viewport, "PageDown")
    assert harness.attr(harness.dom.focused(), "data-id") == "1"
    _key(harness, viewport, "End", ctrl=True)
    assert harness.attr(harness.dom.focused(), "data-id") == "1999"
    assert 1_999 in _rendered(harness, viewport)
    _key(harness, viewport, "Home", ctrl=True)
    assert harness.attr(harness.dom.focused(), "data-id") == "0"
    handle.unmount()


def _key(harness: Harness, target: Any, key: str, ctrl: bool = False) -> None:
    focused = harness.dom.focused()
    if IN_BROWSER:
        import js

        from ._support import to_js_dict

        event = js.KeyboardEvent.new(
            "keydown",
            to_js_dict({"key": key, "ctrlKey": ctrl, "bubbles": True, "cancelable": True}),
        )
        focused.dispatchEvent(event)
    else:
        event = MemoryEvent("keydown", target=focused, key=key)
        event.ctrlKey = ctrl  # type: ignore[attr-defined]
        node = focused
        while node is not None:
            for listener in list(node.listeners.get("keydown", [])):
                listener(event)
            node = node.parent


def test_a_focused_row_scrolled_away_hands_focus_to_the_list(harness: Harness) -> None:
    items = writable(_items(2_000))
    handle, rows, viewport = _mounted(harness, items)
    rows.focus_index(2)
    rows.scroll_to(40_000)
    assert same(harness.dom.focused(), viewport)
    handle.unmount()
