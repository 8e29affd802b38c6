"""Components, bindings and mounting — on MemoryDom in CPython, the real DOM in Chromium."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from app.ui import Ctx, Row, mount

from ._support import Cell, Harness, ListenerCounter, same

RUN_IN_BROWSER = True

XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def test_text_binding_patches_only_its_text_node(harness: Harness) -> None:
    name = Cell("Ada")

    def view(ctx: Ctx) -> Any:
        return ctx.el("p", {"class": "who"}, "Hello, ", name, "!")

    m = mount(harness.dom, harness.root, view)
    assert harness.text(m.node) == "Hello, Ada!"
    harness.take()
    name.set("Grace")
    records = harness.take()
    assert harness.text(m.node) == "Hello, Grace!"
    assert [r.type for r in records] == ["characterData"]
    name.set("Grace")  # same text: no DOM write at all
    assert harness.take() == []
    m.unmount()
    assert name.subscribers == 0


def test_user_text_is_never_parsed_as_html(harness: Harness) -> None:
    payload = Cell(XSS)

    def view(ctx: Ctx) -> Any:
        return ctx.el("div", {"title": payload}, ctx.el("span", None, payload), XSS)

    m = mount(harness.dom, harness.root, view)
    assert harness.text(m.node) == XSS + XSS
    assert harness.query("img") == []
    assert harness.query("script") == []
    assert harness.dom.get_prop(m.node, "title") == XSS
    payload.set(XSS + "2")
    assert harness.query("img") == []
    m.unmount()


def test_attribute_and_property_bindings(harness: Harness) -> None:
    busy = Cell(False)
    label = Cell("Save")
    text = Cell("draft")

    def view(ctx: Ctx) -> Any:
        return ctx.el(
            "form",
            None,
            ctx.el("input", {"aria-label": label, ".value": text}),
            ctx.el("button", {"type": "submit", "disabled": busy}, label),
        )

    m = mount(harness.dom, harness.root, view)
    (field,) = harness.query("input")
    (button,) = harness.query("button")
    assert harness.dom.get_prop(field, "value") == "draft"
    assert not harness.dom.get_prop(button, "disabled")
    busy.set(True)
    assert harness.dom.get_prop(button, "disabled")
    busy.set(False)
    assert not harness.dom.get_prop(button, "disabled")
    # the user types; a store echo of the same value must not touch the field
    harness.dom.set_prop(field, "value", "drafted")
    harness.dom.call(field, "setSelectionRange", 2, 4)
    text.set("drafted")
    assert harness.dom.get_prop(field, "selectionStart") == 2
    assert harness.dom.get_prop(field, "selectionEnd") == 4
    m.unmount()


def test_event_handlers_run_and_are_removed_on_unmount(harness: Harness) -> None:
    clicks: list[str] = []
    counter = ListenerCounter(harness)
    try:
        before = counter.count()

        def view(ctx: Ctx) -> Any:
            return ctx.el(
                "button", {"type": "button"}, "Go", on={"click": lambda ev: clicks.append("x")}
            )

        m = mount(harness.dom, harness.root, view)
        (button,) = harness.query("button")
        harness.fire(button, "click")
        assert clicks == ["x"]
        assert counter.count() == before + 1
        m.unmount()
        assert counter.count() == before
        harness.fire(button, "click")
        assert clicks == ["x"]
        assert harness.query("button") == []
    finally:
        counter.restore()


def _widget(cell: Cell, items: Cell, log: list[str]) -> Any:
    def handler(ev: Any) -> None:
        log.append("clicked")

    def view(ctx: Ctx) -> Any:
        ul = ctx.el("ul")

        def row(rctx: Ctx, item: str) -> Row[str]:
            btn = rctx.el("button", {"type": "button"}, item, on={"click": handler})
            rctx.watch(cell, lambda v: None)
            return Row(rctx.el("li", None, btn))

        ctx.each(ul, items, key=lambda s: s, render=row)
        return ctx.el(
            "section",
            {"aria-label": cell},
            ctx.el("input", {".value": cell}, on={"input": handler, "keydown": handler}),
            ul,
        )

    return view, handler


def test_mount_unmount_a_thousand_times_leaks_nothing(harness: Harness) -> None:
    cell = Cell("x")
    items = Cell(["a", "b", "c"])
    log: list[str] = []
    counter = ListenerCounter(harness)
    try:
        before_listeners = counter.count()
        handlers = []
        for _ in range(1000):
            view, handler = _widget(cell, items, log)
            handlers.append(weakref.ref(handler))
            m = mount(harness.dom, harness.root, view)
            m.unmount()
            del view, handler, m
        assert cell.subscribers == 0
        assert items.subscribers == 0
        assert harness.dom.live_listeners == 0
        assert counter.count() == before_listeners
        assert harness.children(harness.root) == []
        gc.collect()
        # nothing (no PyProxy, no closure in a listener table) keeps a handler alive
        assert sum(1 for h in handlers if h() is not None) == 0
    finally:
        counter.restore()


def test_switch_replaces_and_disposes_the_previous_view(harness: Harness) -> None:
    which = Cell("a")
    inner = Cell("text")
    seen: list[str] = []

    def view(ctx: Ctx) -> Any:
        region = ctx.el("div")

        def render(c: Ctx, value: str) -> Any:
            seen.append(value)
            return c.el("p", None, value, inner)

        ctx.switch(region, which, render)
        return region

    m = mount(harness.dom, harness.root, view)
    assert harness.text(m.node) == "atext"
    assert inner.subscribers == 1
    which.set("a")
    assert seen == ["a"]
    which.set("b")
    assert harness.text(m.node) == "btext"
    assert inner.subscribers == 1
    assert len(harness.children(m.node)) == 1
    m.unmount()
    assert inner.subscribers == 0
    assert which.subscribers == 0


def test_mount_failure_releases_what_was_acquired(harness: Harness) -> None:
    cell = Cell(1)

    def view(ctx: Ctx) -> Any:
        ctx.el("p", None, cell)
        raise RuntimeError("boom")

    try:
        mount(harness.dom, harness.root, view)
    except RuntimeError:
        pass
    assert cell.subscribers == 0
    assert harness.dom.live_listeners == 0


def test_same_helper_compares_nodes(harness: Harness) -> None:
    a = harness.dom.element("p")
    assert same(a, a)
    assert not same(a, harness.dom.element("p"))


def test_switch_calls_after_once_the_new_view_is_in_the_document(harness: Harness) -> None:
    which = Cell("a")
    seen: list[tuple[str, bool]] = []

    def view(ctx: Ctx) -> Any:
        region = ctx.el("div")
        ctx.switch(
            region,
            which,
            lambda c, value: c.el("p", None, value),
            after=lambda value, node: seen.append((value, harness.inside(region, node))),
        )
        return region

    m = mount(harness.dom, harness.root, view)
    which.set("b")
    which.set("b")  # same key: nothing rendered, nothing called
    assert seen == [("a", True), ("b", True)]
    m.unmount()


def test_query_finds_the_first_match_in_document_order(harness: Harness) -> None:
    def view(ctx: Ctx) -> Any:
        return ctx.el(
            "section",
            None,
            ctx.el("p", None, ctx.el("a", {"href": "#one"}, "one")),
            ctx.el("h1", {"id": "t"}, "title"),
            ctx.el("a", {"href": "#two"}, "two"),
        )

    m = mount(harness.dom, harness.root, view)
    dom = harness.dom
    assert harness.text(dom.query(m.node, "h1")) == "title"
    assert harness.text(dom.query(m.node, "#t")) == "title"
    assert harness.text(dom.query(m.node, "a[href]")) == "one"
    assert harness.text(dom.query(m.node, "h1, a")) == "one"
    assert dom.query(m.node, "button") is None
    m.unmount()


def test_a_detached_node_takes_no_focus(harness: Harness) -> None:
    dom = harness.dom
    inside = dom.element("button")
    dom.insert(harness.root, inside)
    dom.call(inside, "focus")
    outside = dom.element("button")
    dom.call(outside, "focus")
    assert same(dom.focused(), inside)


def test_the_document_title(harness: Harness) -> None:
    before = harness.dom.get_title()
    harness.dom.set_title("Elsewhere — Lorekeeper")
    assert harness.dom.get_title() == "Elsewhere — Lorekeeper"
    harness.dom.set_title(before)
