"""The Characters screen through the DOM: list, search, create, rename, delete, live updates.

Over the app as the boot starts it: ``AppState`` on the domain repositories, on a memory
database in CPython and on IndexedDB in the browser tier.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.ui.screens.characters import visible
from tests._wait import eventually

from .._support import ListenerCounter, same
from .._tab import Tab, another_tab, open_library_for_test, open_tab

RUN_IN_BROWSER = True

XSS = '<img src=x onerror="window.__pwned=1"><b>bold</b>'


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(["zoe", "Ada", "bob"]) as t:
        yield t


def names(t: Tab) -> list[str]:
    return [t.harness.text(a) for a in t.harness.query("li.character-row a")]


def row(t: Tab, name: str) -> Any:
    h = t.harness
    (li,) = [li for li in h.query("li.character-row") if h.text(h.query("a", li)[0]) == name] or [
        li for li in h.query("li.character-row") if name in h.text(li)
    ]
    return li


def button(t: Tab, within: Any, label: str) -> Any:
    (b,) = [b for b in t.harness.query("button", within) if t.harness.text(b) == label]
    return b


def status(t: Tab) -> str:
    (p,) = t.harness.query("p.status")
    return t.harness.text(p)


def field(t: Tab, id: str) -> Any:
    (node,) = t.harness.query(f"input[id={id}]")
    return node


def start_rename(t: Tab, name: str) -> tuple[Any, Any]:
    """Press "Rename" in ``name``'s row: the row and its "New name" field."""
    li = row(t, name)
    t.harness.fire(button(t, li, "Rename"), "click")
    (edit,) = t.harness.query("input", li)
    return li, edit


async def submit(t: Tab, form: Any) -> None:
    assert t.harness.fire(form, "submit"), "a submit must not reach the browser"
    await t.dom.settle()


async def stored_names(t: Tab) -> list[str]:
    return sorted(c.name for c in await t.domain.characters.list())


async def test_first_render_lists_characters_sorted(tab: Tab) -> None:
    h = tab.harness
    assert names(tab) == ["Ada", "bob", "zoe"]
    assert status(tab) == "3 characters"
    (current,) = h.query("nav a[aria-current=page]")
    assert h.text(current) == "Characters"
    assert tab.heading() == "Characters"
    assert tab.title() == "Characters — Lorekeeper"
    for node in h.query("input"):  # every form control has a label
        fid = tab.dom.get_prop(node, "id")
        assert h.query(f"label[for={fid}]"), fid


async def test_create_adds_a_row_in_order_and_clears_the_field(tab: Tab) -> None:
    new = field(tab, "new-character-name")
    tab.harness.type_into(new, "  Cleo ")
    await submit(tab, tab.harness.query("form.create-form")[0])
    assert names(tab) == ["Ada", "bob", "Cleo", "zoe"]
    assert await stored_names(tab) == ["Ada", "Cleo", "bob", "zoe"]
    assert tab.dom.get_prop(new, "value") == ""
    assert same(tab.dom.focused(), new)
    assert status(tab) == "4 characters"


async def test_create_without_a_name_explains_and_writes_nothing(tab: Tab) -> None:
    await submit(tab, tab.harness.query("form.create-form")[0])
    assert len(await tab.domain.characters.list()) == 3
    (alert,) = tab.harness.query("p.error")
    assert tab.harness.text(alert) == "A character needs a name."
    assert not tab.dom.get_prop(alert, "hidden")


async def test_a_failing_write_is_shown_and_the_list_is_kept(tab: Tab) -> None:
    tab.backend.fail_next = RuntimeError("Storage is full: free some space and try again.")
    new = field(tab, "new-character-name")
    tab.harness.type_into(new, "Dan")
    await submit(tab, tab.harness.query("form.create-form")[0])
    (alert,) = tab.harness.query("p.error")
    assert tab.harness.text(alert) == "Storage is full: free some space and try again."
    assert names(tab) == ["Ada", "bob", "zoe"]
    assert tab.dom.get_prop(new, "value") == "Dan"  # what the person typed is kept


async def test_search_ignores_case(tab: Tab) -> None:
    search = field(tab, "character-search")
    tab.harness.type_into(search, "O")
    assert names(tab) == ["bob", "zoe"]
    assert status(tab) == "2 of 3 characters match “O”."
    tab.harness.type_into(search, "nobody")
    assert names(tab) == []
    assert status(tab) == "No character matches “nobody”."
    tab.harness.type_into(search, "")
    assert names(tab) == ["Ada", "bob", "zoe"]


async def test_search_ignores_accents_and_case() -> None:
    async with open_tab(["Élodie", "Eloise", "Zoë Ørsted", "Brigitte"]) as t:
        search = field(t, "character-search")
        t.harness.type_into(search, "elo")
        assert names(t) == ["Élodie", "Eloise"]
        t.harness.type_into(search, "ÉLOD")
        assert names(t) == ["Élodie"]
        t.harness.type_into(search, "zoe ors")  # every word, in any order of typing
        assert names(t) == ["Zoë Ørsted"]
        t.harness.type_into(search, "")
        assert names(t) == ["Brigitte", "Élodie", "Eloise", "Zoë Ørsted"]  # accents sort in place


def test_visible_sorts_and_filters_by_folded_name() -> None:
    class C:
        def __init__(self, id: str, name: str) -> None:
            self.id, self.name = id, name

    cs = [C("1", "émile"), C("2", "Emma"), C("3", "Ævar")]
    assert [c.name for c in visible(cs, "")] == ["Ævar", "émile", "Emma"]
    assert [c.name for c in visible(cs, "EM")] == ["émile", "Emma"]
    assert [c.name for c in visible(cs, "aev")] == ["Ævar"]


async def test_rename_saves_and_resorts_keeping_the_row_node(tab: Tab) -> None:
    h = tab.harness
    li, edit = start_rename(tab, "Ada")
    assert same(tab.dom.focused(), edit)
    assert tab.dom.get_prop(edit, "value") == "Ada"
    h.type_into(edit, "Zelda")
    await submit(tab, h.query("form", li)[0])
    assert names(tab) == ["bob", "Zelda", "zoe"]
    assert same(row(tab, "Zelda"), li)
    assert await stored_names(tab) == ["Zelda", "bob", "zoe"]
    assert same(tab.dom.focused(), button(tab, li, "Rename"))


async def test_renaming_out_of_the_search_keeps_focus_in_the_list(tab: Tab) -> None:
    """The row leaves the filtered list; focus goes to the next row, not to <body>."""
    h = tab.harness
    await tab.state.create_character({"name": "Adele"})
    h.type_into(field(tab, "character-search"), "ad")
    assert names(tab) == ["Ada", "Adele"]
    li, edit = start_rename(tab, "Ada")
    h.type_into(edit, "Yvonne")
    await submit(tab, h.query("form", li)[0])
    assert names(tab) == ["Adele"]
    (link,) = h.query("li.character-row a")
    assert same(tab.dom.focused(), link), "focus fell out of the list"
    assert status(tab) == "1 of 4 characters match “ad”."


async def test_renaming_the_last_match_away_focuses_the_search(tab: Tab) -> None:
    h = tab.harness
    search = field(tab, "character-search")
    h.type_into(search, "zo")
    li, edit = start_rename(tab, "zoe")
    h.type_into(edit, "Quinn")
    await submit(tab, h.query("form", li)[0])
    assert names(tab) == []
    assert same(tab.dom.focused(), search)


async def test_escape_cancels_rename(tab: Tab) -> None:
    h = tab.harness
    li, edit = start_rename(tab, "bob")
    h.type_into(edit, "robert")
    h.fire(edit, "keydown", key="Escape")
    assert h.query("input", li) == []
    assert names(tab) == ["Ada", "bob", "zoe"]
    assert same(tab.dom.focused(), button(tab, li, "Rename"))


async def test_an_empty_name_is_not_saved(tab: Tab) -> None:
    h = tab.harness
    li, edit = start_rename(tab, "Ada")
    h.type_into(edit, "   ")
    await submit(tab, h.query("form", li)[0])
    assert await stored_names(tab) == ["Ada", "bob", "zoe"]
    assert h.query("input", li)  # still editing: nothing was saved
    assert same(tab.dom.focused(), edit)


async def test_delete_asks_first_and_cancel_keeps_the_character(tab: Tab) -> None:
    h = tab.harness
    li = row(tab, "bob")
    h.fire(button(tab, li, "Delete"), "click")
    (question,) = h.query("p", li)
    assert h.text(question) == "Delete “bob”? This cannot be undone."
    cancel = button(tab, li, "Cancel")
    assert same(tab.dom.focused(), cancel)
    h.fire(cancel, "click")
    assert names(tab) == ["Ada", "bob", "zoe"]
    assert same(tab.dom.focused(), button(tab, li, "Delete"))
    h.fire(button(tab, li, "Delete"), "click")
    h.fire(h.query("div.confirm", li)[0], "keydown", key="Escape")
    assert len(await tab.domain.characters.list()) == 3
    h.fire(button(tab, li, "Delete"), "click")
    h.fire(button(tab, li, "Delete"), "click")  # the confirming button
    await tab.dom.settle()
    assert names(tab) == ["Ada", "zoe"]
    assert await stored_names(tab) == ["Ada", "zoe"]
    (zoe,) = [a for a in h.query("li.character-row a") if h.text(a) == "zoe"]
    assert same(tab.dom.focused(), zoe), "focus moves to the next character"


async def test_names_are_rendered_as_text(tab: Tab) -> None:
    h = tab.harness
    h.type_into(field(tab, "new-character-name"), XSS)
    await submit(tab, h.query("form.create-form")[0])
    assert XSS in names(tab)
    assert h.query("img") == [] and h.query("b") == []
    li = row(tab, XSS)
    h.fire(button(tab, li, "Delete"), "click")
    assert h.query("img") == []
    assert h.text(h.query("p", li)[0]) == f"Delete “{XSS}”? This cannot be undone."


async def test_writes_through_another_connection_show_up(tab: Tab) -> None:
    """Another tab (a second connection to the same database) writes; this one follows."""
    async with another_tab(tab) as other:
        theirs = other.characters
        created = await theirs.create({"name": "Bryn"})
        await eventually(lambda: names(tab) == ["Ada", "bob", "Bryn", "zoe"], "Bryn listed")
        await theirs.update(created.id, {"name": "Yara"})
        await eventually(lambda: names(tab) == ["Ada", "bob", "Yara", "zoe"], "Yara renamed")
        await theirs.delete(created.id)
        await eventually(lambda: names(tab) == ["Ada", "bob", "zoe"], "Yara removed")


async def test_a_row_deleted_elsewhere_while_focused_leaves_focus_in_the_list(tab: Tab) -> None:
    h = tab.harness
    start_rename(tab, "bob")  # focus in bob's row
    bob = next(c for c in await tab.domain.characters.list() if c.name == "bob")
    async with another_tab(tab) as other:
        await other.characters.delete(bob.id)
        await eventually(lambda: len(h.query("li.character-row")) == 2, "bob's row gone")
    (zoe,) = [a for a in h.query("li.character-row a") if h.text(a) == "zoe"]
    assert same(tab.dom.focused(), zoe)


async def test_stop_releases_listeners_and_subscriptions() -> None:
    library = await open_library_for_test()
    try:
        async with open_tab(["a"], library=library) as t:
            before_stop = t.dom.live_listeners
            assert before_stop > 0
            t.app.stop()
            assert t.dom.live_listeners == 0
            assert t.harness.children(t.harness.root) == []
    finally:
        library.domain.store.close()
        await library.domain.store.db.delete()


async def test_mounting_the_app_many_times_leaks_nothing() -> None:
    library = await open_library_for_test()
    for name in ("a", "b", "c"):
        await library.domain.characters.create({"name": name})
    try:
        async with open_tab(library=library) as t:
            t.app.stop()
            counter = ListenerCounter(t.harness)
            try:
                before = counter.count()
                for _ in range(100):
                    app = await _restart(t)
                    li = t.harness.query("li.character-row")[0]
                    t.harness.fire(t.harness.query("button", li)[0], "click")  # a row editor too
                    app.stop()
                assert t.dom.live_listeners == 0
                assert counter.count() == before
                assert t.harness.children(t.harness.root) == []
            finally:
                counter.restore()
            t.app = await _restart(t)  # for the fixture's own stop
    finally:
        library.domain.store.close()
        await library.domain.store.db.delete()


async def _restart(t: Tab) -> Any:
    from app.ui import start

    return await start(t.harness.root, t.state, dom=t.dom)
