"""The Characters screen, used the way a person uses it, on the built site in Chromium."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e._support import open_app

XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def _names(page: Any) -> Any:
    return page.locator("li.character a.name")


_STORED_NAMES = """async () => {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open("lorekeeper");
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  try {
    return await new Promise((ok, fail) => {
      const r = db.transaction("characters").objectStore("characters").getAll();
      r.onsuccess = () => ok(r.result.map((c) => c.name));
      r.onerror = () => fail(r.error);
    });
  } finally {
    db.close();
  }
}"""


def _stored_names(page: Any) -> list[str]:
    """The names in IndexedDB, read on a connection of its own."""
    return sorted(page.evaluate(_STORED_NAMES))


def _expect_stored(page: Any, names: list[str], timeout_ms: int = 10_000) -> None:
    """Wait until IndexedDB holds exactly ``names`` (the write has committed)."""
    for _ in range(timeout_ms // 100):
        if _stored_names(page) == names:
            return
        page.wait_for_timeout(100)
    assert _stored_names(page) == names


def _create(page: Any, name: str) -> None:
    field = page.get_by_label("New character")
    field.fill(name)
    field.press("Enter")
    expect(page.locator("li.character a.name", has_text=name).first).to_be_visible()


def test_create_rename_delete_persist_in_indexeddb(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    expect(page).to_have_url(re.compile(r"#/characters$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Characters")
    expect(page.get_by_role("status")).to_have_text("No characters yet. Create the first one above.")

    _create(page, "Willa")
    _create(page, "ada")
    _create(page, "Bram")
    expect(_names(page)).to_have_text(["ada", "Bram", "Willa"])
    expect(page.get_by_label("New character")).to_have_value("")
    _expect_stored(page, ["Bram", "Willa", "ada"])

    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === 'true'")
    expect(_names(page)).to_have_text(["ada", "Bram", "Willa"])

    page.get_by_role("button", name="Rename ada").click()
    field = page.get_by_label("New name")
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
    expect(page.locator("li.character")).to_have_count(2)
    assert _stored_names(page) == ["Willa", "Zinnia"]
    expect(_names(page)).to_have_text(["Willa", "Zinnia"])

    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === 'true'")
    expect(_names(page)).to_have_text(["Willa", "Zinnia"])
    expect(page.get_by_role("status")).to_have_text("2 characters")


def test_search_filters_the_list(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    for name in ("Orla", "Piet", "Rowan"):
        _create(page, name)
    search = page.get_by_label("Search characters")
    search.fill("o")
    expect(_names(page)).to_have_text(["Orla", "Rowan"])
    expect(page.get_by_role("status")).to_have_text("2 of 3 characters match “o”.")
    search.fill("zz")
    expect(_names(page)).to_have_count(0)
    search.fill("")
    expect(_names(page)).to_have_text(["Orla", "Piet", "Rowan"])


def test_a_script_as_a_name_is_only_text(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    _create(page, XSS)
    expect(_names(page)).to_have_text([XSS])
    page.get_by_role("button", name=f"Delete {XSS}").click()
    expect(page.get_by_role("alertdialog")).to_contain_text(XSS)
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel").click()
    page.reload()
    page.wait_for_function("document.documentElement.dataset.ready === 'true'")
    expect(_names(page)).to_have_text([XSS])
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#app img, #app script").count() == 0


def test_a_second_tab_sees_changes_without_reloading(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    other = page.context.new_page()
    open_app(other, live_server.url("/"))
    expect(_names(other)).to_have_count(0)

    _create(page, "Tamsin")
    expect(_names(other)).to_have_text(["Tamsin"])

    other.get_by_role("button", name="Rename Tamsin").click()
    field = other.get_by_label("New name")
    field.fill("Ulla")
    field.press("Enter")
    expect(_names(page)).to_have_text(["Ulla"])

    page.get_by_role("button", name="Delete Ulla").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(_names(other)).to_have_count(0)
    other.close()


def test_keyboard_only(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    page.get_by_label("New character").focus()
    page.keyboard.type("Keyla")
    page.keyboard.press("Enter")
    expect(_names(page)).to_have_text(["Keyla"])
    # Tab from the search field reaches the row's link, then Rename, then Delete.
    page.get_by_label("Search characters").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Keyla")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Rename Keyla")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("New name")).to_be_focused()
    page.keyboard.type("Kay")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Rename Keyla")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Delete Keyla: focus lands on Cancel
    cancel = page.get_by_role("alertdialog").get_by_role("button", name="Cancel")
    expect(cancel).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Delete Keyla")).to_be_focused()
    expect(_names(page)).to_have_text(["Keyla"])


def test_routes_back_and_forward(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    _create(page, "Nell")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Settings").click()
    expect(page).to_have_url(re.compile(r"#/settings$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    expect(nav.get_by_role("link", name="Settings")).to_have_attribute("aria-current", "page")
    nav.get_by_role("link", name="Characters").click()
    page.get_by_role("link", name="Nell").click()
    expect(page).to_have_url(re.compile(r"#/characters/[^/]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nell")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Characters")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    page.go_forward()
    page.go_forward()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nell")
    for path, title in (("#/series", "Series"), ("#/lorebook/global", "Global lorebook"),
                        ("#/stories/x", "Story"), ("#/chats/x", "Chat"), ("#/nowhere", "Page not found")):
        page.goto(live_server.url("/") + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_fits_a_phone_and_a_desktop(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    _create(page, "A name long enough to wrap on a narrow phone screen, and then some more")
    page.get_by_role("button", name="Delete A name").click()
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px of horizontal scrolling at {width}px"
        for name in ("Characters", "Series", "Global lorebook", "Settings"):
            link = page.get_by_role("navigation", name="Main").get_by_role("link", name=name)
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, name
