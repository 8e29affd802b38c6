"""The Characters screen through the DOM: list, search, create, rename, delete, live updates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.ui import App, current_app, start

from ._fake_repo import FakeCharacters
from ._support import Harness, ListenerCounter, make_harness, same

RUN_IN_BROWSER = True

XSS = '<img src=x onerror="window.__pwned=1"><b>bold</b>'


@pytest.fixture
async def ui() -> AsyncIterator[tuple[Harness, FakeCharacters, App]]:
    harness = make_harness()
    repo = FakeCharacters(["zoe", "Ada", "bob"])
    await start(harness.root, dom=harness.dom, characters=repo)
    app = current_app()
    assert app is not None
    yield harness, repo, app
    app.stop()
    harness.close()


def names(h: Harness) -> list[str]:
    return [h.text(a) for a in h.query("li.character a")]


def row(h: Harness, name: str) -> Any:
    (li,) = [
        li
        for li in h.query("li.character")
        if h.text(h.query("a", li)[0] if h.query("a", li) else li) == name
    ]
    return li


def button(h: Harness, within: Any, label: str) -> Any:
    (b,) = [b for b in h.query("button", within) if h.text(b) == label]
    return b


def status(h: Harness) -> str:
    (p,) = h.query("p.status")
    return h.text(p)


async def until(check: Any) -> None:
    for _ in range(200):
        if check():
            return
        await asyncio.sleep(0)
    assert check()


async def test_first_render_lists_characters_sorted(ui: Any) -> None:
    h, _repo, _app = ui
    assert names(h) == ["Ada", "bob", "zoe"]
    assert status(h) == "3 characters"
    (current,) = h.query("nav a[aria-current=page]")
    assert h.text(current) == "Characters"
    (title,) = h.query("h1")
    assert h.text(title) == "Characters"
    # every form control has a label
    for field in h.query("input"):
        fid = h.dom.get_prop(field, "id")
        assert h.query(f"label[for={fid}]"), fid


async def test_create_adds_a_row_in_order_and_clears_the_field(ui: Any) -> None:
    h, repo, _app = ui
    (field,) = h.query("input[id=new-character-name]")
    (form,) = h.query("form.create-form")
    h.type_into(field, "  Cleo ")
    assert h.fire(form, "submit"), "a submit must not reach the browser"
    await h.dom.settle()
    assert names(h) == ["Ada", "bob", "Cleo", "zoe"]
    assert [c.name for c in repo.rows.values()][-1] == "Cleo"
    assert h.dom.get_prop(field, "value") == ""
    assert status(h) == "4 characters"


async def test_create_without_a_name_explains_and_writes_nothing(ui: Any) -> None:
    h, repo, _app = ui
    (form,) = h.query("form.create-form")
    assert h.fire(form, "submit"), "a submit must not reach the browser"
    await h.dom.settle()
    assert len(repo.rows) == 3
    (alert,) = h.query("p.error")
    assert h.text(alert) == "A character needs a name."
    assert not h.dom.get_prop(alert, "hidden")


async def test_a_failing_write_is_shown_and_the_list_is_kept(ui: Any) -> None:
    h, repo, _app = ui
    repo.fail_next = RuntimeError("Storage is full: free some space and try again.")
    (field,) = h.query("input[id=new-character-name]")
    h.type_into(field, "Dan")
    assert h.fire(h.query("form.create-form")[0], "submit"), "a submit must not reach the browser"
    await h.dom.settle()
    (alert,) = h.query("p.error")
    assert h.text(alert) == "Storage is full: free some space and try again."
    assert names(h) == ["Ada", "bob", "zoe"]
    assert h.dom.get_prop(field, "value") == "Dan"  # what the person typed is kept


async def test_search_filters_case_insensitively(ui: Any) -> None:
    h, _repo, _app = ui
    (search,) = h.query("input[id=character-search]")
    h.type_into(search, "O")
    assert names(h) == ["bob", "zoe"]
    assert status(h) == "2 of 3 characters match “O”."
    h.type_into(search, "nobody")
    assert names(h) == []
    assert status(h) == "No character matches “nobody”."
    h.type_into(search, "")
    assert names(h) == ["Ada", "bob", "zoe"]


async def test_rename_saves_and_resorts_keeping_the_row_node(ui: Any) -> None:
    h, repo, _app = ui
    li = row(h, "Ada")
    h.fire(button(h, li, "Rename"), "click")
    (field,) = h.query("input", li)
    assert same(h.dom.focused(), field)
    assert h.dom.get_prop(field, "value") == "Ada"
    h.type_into(field, "Zelda")
    assert h.fire(h.query("form", li)[0], "submit"), "a submit must not reach the browser"
    await h.dom.settle()
    assert names(h) == ["bob", "Zelda", "zoe"]
    assert same(row(h, "Zelda"), li)
    assert any(c.name == "Zelda" for c in repo.rows.values())
    assert same(h.dom.focused(), button(h, li, "Rename"))


async def test_escape_cancels_rename(ui: Any) -> None:
    h, _repo, _app = ui
    li = row(h, "bob")
    h.fire(button(h, li, "Rename"), "click")
    (field,) = h.query("input", li)
    h.type_into(field, "robert")
    h.fire(field, "keydown", key="Escape")
    assert h.query("input", li) == []
    assert names(h) == ["Ada", "bob", "zoe"]
    assert same(h.dom.focused(), button(h, li, "Rename"))


async def test_delete_asks_first_and_cancel_keeps_the_character(ui: Any) -> None:
    h, repo, _app = ui
    li = row(h, "zoe")
    h.fire(button(h, li, "Delete"), "click")
    (question,) = h.query("p", li)
    assert h.text(question) == "Delete “zoe”? This cannot be undone."
    cancel = button(h, li, "Cancel")
    assert same(h.dom.focused(), cancel)
    h.fire(cancel, "click")
    await h.dom.settle()
    assert names(h) == ["Ada", "bob", "zoe"]
    h.fire(button(h, li, "Delete"), "click")
    h.fire(h.query("div.row-confirm", li)[0], "keydown", key="Escape")
    assert len(repo.rows) == 3
    h.fire(button(h, li, "Delete"), "click")
    h.fire(button(h, li, "Delete"), "click")  # the confirming button
    await h.dom.settle()
    assert names(h) == ["Ada", "bob"]
    assert "zoe" not in [c.name for c in repo.rows.values()]


async def test_names_are_rendered_as_text(ui: Any) -> None:
    h, _repo, _app = ui
    (field,) = h.query("input[id=new-character-name]")
    h.type_into(field, XSS)
    assert h.fire(h.query("form.create-form")[0], "submit"), "a submit must not reach the browser"
    await h.dom.settle()
    assert XSS in names(h)
    assert h.query("img") == [] and h.query("b") == []
    li = row(h, XSS)
    h.fire(button(h, li, "Delete"), "click")
    assert h.query("img") == []
    assert h.text(h.query("p", li)[0]) == f"Delete “{XSS}”? This cannot be undone."


async def test_changes_from_elsewhere_appear_without_reload(ui: Any) -> None:
    h, repo, _app = ui
    repo.external_write(lambda r: r._put("Eve"))
    await until(lambda: "Eve" in names(h))
    victim = next(c for c in repo.rows.values() if c.name == "bob")
    repo.external_write(lambda r: r.rows.pop(victim.id))
    await until(lambda: "bob" not in names(h))
    assert names(h) == ["Ada", "Eve", "zoe"]


async def test_stop_releases_listeners_and_subscriptions() -> None:
    harness = make_harness()
    repo = FakeCharacters(["a"])
    before = harness.dom.live_listeners
    await start(harness.root, dom=harness.dom, characters=repo)
    app = current_app()
    assert app is not None
    assert repo.listeners == 1
    app.stop()
    assert repo.listeners == 0
    assert harness.dom.live_listeners == before
    assert harness.children(harness.root) == []
    harness.close()


async def test_mounting_the_app_many_times_leaks_nothing() -> None:
    harness = make_harness()
    repo = FakeCharacters(["a", "b", "c"])
    counter = ListenerCounter(harness)
    try:
        before = counter.count()
        for _ in range(200):
            await start(harness.root, dom=harness.dom, characters=repo)
            app = current_app()
            assert app is not None
            li = harness.query("li.character")[0]
            harness.fire(harness.query("button", li)[0], "click")  # open a row editor too
            app.stop()
        assert repo.listeners == 0
        assert harness.dom.live_listeners == 0
        assert counter.count() == before
        assert harness.children(harness.root) == []
    finally:
        counter.restore()
        harness.close()
