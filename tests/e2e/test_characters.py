"""The Characters screen, used the way a person uses it, on the built site in Chromium."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e._support import (
    create_character,
    eventually_in_page,
    main_heading,
    main_nav,
    open_app,
    stored,
)

XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def _list(page: Any) -> Any:
    return page.get_by_role("list", name="Characters")


def _names(page: Any) -> Any:
    return _list(page).get_by_role("link")


def _stored_names(page: Any) -> list[str]:
    return sorted(c["name"] for c in stored(page, "characters"))


def _expect_stored(page: Any, names: list[str]) -> None:
    """Wait until IndexedDB holds exactly ``names`` (the write has committed)."""
    eventually_in_page(page, """async (names) => {
        const db = await new Promise((ok) => { const r = indexedDB.open("lorekeeper");
                                               r.onsuccess = () => ok(r.result); });
        const all = await new Promise((ok) => {
            const r = db.transaction("characters").objectStore("characters").getAll();
            r.onsuccess = () => ok(r.result.map((c) => c.name)); });
        db.close();
        return JSON.stringify(all.sort()) === JSON.stringify(names);
    }""", sorted(names), f"IndexedDB to hold {names}")


def test_create_rename_delete_persist_in_indexeddb(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    expect(page).to_have_url(re.compile(r"#/characters$"))
    expect(main_heading(page)).to_have_text("Characters")
    expect(page).to_have_title("Characters — Lorekeeper")
    expect(page.get_by_role("status")).to_have_text("No characters yet. Create the first one above.")

    for name in ("Willa", "ada", "Bram"):
        create_character(page, name)
    expect(_names(page)).to_have_text(["ada", "Bram", "Willa"])
    expect(page.get_by_role("textbox", name="New character")).to_have_value("")
    _expect_stored(page, ["Bram", "Willa", "ada"])

    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === 'true'")
    expect(_names(page)).to_have_text(["ada", "Bram", "Willa"])

    page.get_by_role("button", name="Rename ada").click()
    field = page.get_by_role("textbox", name="New name")
    expect(field).to_be_focused()
    field.fill("Zinnia")
    field.press("Enter")
    expect(_names(page)).to_have_text(["Bram", "Willa", "Zinnia"])

    page.get_by_role("button", name="Delete Bram").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Delete “Bram”? This cannot be undone.")
    dialog.get_by_role("button", name="Cancel").click()
    expect(_names(page)).to_have_text(["Bram", "Willa", "Zinnia"])
    page.get_by_role("button", name="Delete Bram").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    # The row (with its dialog) goes only once the delete has committed: IndexedDB,
    # read on a connection of its own right then, must already agree.
    expect(_list(page).get_by_role("listitem")).to_have_count(2)
    assert _stored_names(page) == ["Willa", "Zinnia"]
    expect(_names(page)).to_have_text(["Willa", "Zinnia"])
    expect(page.get_by_role("link", name="Willa")).to_be_focused()  # the next row

    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === 'true'")
    expect(_names(page)).to_have_text(["Willa", "Zinnia"])
    expect(page.get_by_role("status")).to_have_text("2 characters")


def test_search_ignores_case_and_accents(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    for name in ("Élodie", "Orla", "Piet", "Rowan"):
        create_character(page, name)
    search = page.get_by_role("searchbox", name="Search characters")
    search.fill("o")
    expect(_names(page)).to_have_text(["Élodie", "Orla", "Rowan"])
    expect(page.get_by_role("status")).to_have_text("3 of 4 characters match “o”.")
    search.fill("elo")
    expect(_names(page)).to_have_text(["Élodie"])
    search.fill("zz")
    expect(_names(page)).to_have_count(0)
    search.fill("")
    expect(_names(page)).to_have_text(["Élodie", "Orla", "Piet", "Rowan"])


def test_renaming_out_of_the_search_keeps_focus_in_the_list(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    for name in ("Ada", "Adele", "Bram"):
        create_character(page, name)
    page.get_by_role("searchbox", name="Search characters").fill("ad")
    expect(_names(page)).to_have_text(["Ada", "Adele"])
    page.get_by_role("button", name="Rename Ada", exact=True).click()
    field = page.get_by_role("textbox", name="New name")
    field.fill("Yvonne")
    field.press("Enter")
    expect(_names(page)).to_have_text(["Adele"])
    expect(page.get_by_role("link", name="Adele")).to_be_focused()
    assert page.evaluate("document.activeElement !== document.body")


def test_a_script_as_a_name_is_only_text(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    create_character(page, XSS)
    expect(_names(page)).to_have_text([XSS])
    page.get_by_role("button", name=f"Delete {XSS}").click()
    expect(page.get_by_role("alertdialog")).to_contain_text(XSS)
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel").click()
    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === 'true'")
    expect(_names(page)).to_have_text([XSS])
    _names(page).first.click()
    expect(main_heading(page)).to_have_text(XSS)
    expect(page).to_have_title(f"{XSS} — Lorekeeper")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#app img, #app script").count() == 0


def test_a_second_tab_sees_changes_without_reloading(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    other = page.context.new_page()
    open_app(other, live_server.url("/"))
    expect(_names(other)).to_have_count(0)

    create_character(page, "Tamsin")
    expect(_names(other)).to_have_text(["Tamsin"])

    other.get_by_role("button", name="Rename Tamsin").click()
    field = other.get_by_role("textbox", name="New name")
    field.fill("Ulla")
    field.press("Enter")
    expect(_names(page)).to_have_text(["Ulla"])

    page.get_by_role("button", name="Delete Ulla").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(_names(other)).to_have_count(0)
    other.close()


def test_the_character_page_and_back(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    create_character(page, "Nell")
    main_nav(page).get_by_role("link", name="Settings").click()
    expect(page).to_have_url(re.compile(r"#/settings$"))
    expect(main_heading(page)).to_have_text("Settings")
    expect(main_nav(page).get_by_role("link", name="Settings")).to_have_attribute(
        "aria-current", "page")
    main_nav(page).get_by_role("link", name="Characters").click()
    page.get_by_role("link", name="Nell").click()
    expect(page).to_have_url(re.compile(r"#/characters/[^/]+$"))
    expect(main_heading(page)).to_have_text("Nell")
    expect(main_heading(page)).to_be_focused()
    expect(page).to_have_title("Nell — Lorekeeper")
    expect(main_nav(page).get_by_role("link", name="Characters")).to_have_attribute(
        "aria-current", "true")
    page.go_back()
    expect(main_heading(page)).to_have_text("Characters")
    page.go_back()
    expect(main_heading(page)).to_have_text("Settings")
    page.go_forward()
    page.go_forward()
    expect(main_heading(page)).to_have_text("Nell")
    page.get_by_role("link", name="All characters").click()
    expect(main_heading(page)).to_have_text("Characters")


def test_the_character_heading_has_no_list_row_border(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    create_character(page, "Odile")
    row = _list(page).get_by_role("listitem").first
    assert row.evaluate("e => getComputedStyle(e).borderBottomStyle") != "none"  # rows have one
    page.get_by_role("link", name="Odile").click()
    heading = main_heading(page)
    expect(heading).to_have_text("Odile")
    borders = heading.evaluate("""(h) => [h, h.parentElement].map((e) => {
        const s = getComputedStyle(e);
        return [s.borderTopStyle, s.borderBottomStyle, s.borderLeftStyle, s.borderRightStyle];
    })""")
    assert borders == [["none"] * 4, ["none"] * 4], borders
