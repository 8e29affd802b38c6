"""Pages as a person meets them: "Not found", the skip link, and the Characters flow
with the keyboard alone. (Every route's title and heading: test_accessibility.py.)"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.e2e._support import go, main_heading, main_nav, open_app


def _watch_console(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_an_unknown_address_and_then_another(live_server: Any, page: Any) -> None:
    problems = _watch_console(page)
    open_app(page, live_server.url("/#/nowhere"))
    expect(main_heading(page)).to_have_text("Not found")
    expect(page.get_by_role("main")).to_contain_text("Nothing lives at #/nowhere.")
    expect(page).to_have_title("Not found — Lorekeeper")
    go(page, "#/elsewhere/entirely")
    expect(page.get_by_role("main")).to_contain_text("Nothing lives at #/elsewhere/entirely.")
    page.get_by_role("link", name="Go to Characters").click()
    expect(main_heading(page)).to_have_text("Characters")
    assert problems == [], problems


def test_missing_records_show_not_found_without_a_traceback(live_server: Any, page: Any) -> None:
    problems = _watch_console(page)
    open_app(page, live_server.url("/"))
    for route, noun, back in (("#/lorebook/chat/gone-3", "chat", "Lorebook"),
                              ("#/chats/gone-2", "chat", "Characters"),
                              ("#/characters/gone-1", "character", "Characters")):
        go(page, route, heading="Not found")
        expect(page.get_by_role("main")).to_contain_text(
            f"There is no {noun} at {route}. It may have been deleted.")
        expect(page).to_have_title("Not found — Lorekeeper")
        expect(page.get_by_role("main").get_by_role("link")).to_have_text([f"Back to {back}"])
    page.get_by_role("link", name="Back to Characters").click()
    expect(main_heading(page)).to_have_text("Characters")
    assert not [p for p in problems if "Traceback" in p or "Error" in p], problems


def test_the_skip_link_comes_first_and_skips_to_the_content(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#/characters$"))  # the address stays the page's
    page.keyboard.press("Tab")
    expect(page.get_by_role("textbox", name="New character")).to_be_focused()


def test_the_characters_flow_with_the_keyboard_alone(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    keys = page.keyboard
    keys.press("Tab")  # Skip to content
    keys.press("Enter")
    keys.press("Tab")
    expect(page.get_by_role("textbox", name="New character")).to_be_focused()
    for name in ("Keyla", "Ines", "Bo"):
        keys.type(name)
        keys.press("Enter")
        expect(page.get_by_role("link", name=name)).to_be_visible()
    names = page.get_by_role("list", name="Characters").get_by_role("link")
    expect(names).to_have_text(["Bo", "Ines", "Keyla"])

    keys.press("Tab")  # Create
    keys.press("Tab")  # Search characters
    expect(page.get_by_role("searchbox", name="Search characters")).to_be_focused()
    keys.type("e")
    expect(names).to_have_text(["Ines", "Keyla"])
    keys.press("Tab")  # the first row's link, then its Rename and Delete
    expect(page.get_by_role("link", name="Ines")).to_be_focused()
    keys.press("Tab")
    expect(page.get_by_role("button", name="Rename Ines")).to_be_focused()
    keys.press("Enter")
    expect(page.get_by_role("textbox", name="New name")).to_be_focused()
    keys.type("Kay")
    keys.press("Escape")
    expect(page.get_by_role("button", name="Rename Ines")).to_be_focused()
    keys.press("Enter")
    keys.press("Control+A")
    keys.type("Bea")  # still matches the search "e": the row stays, focus on its Rename
    keys.press("Enter")
    expect(names).to_have_text(["Bea", "Keyla"])
    expect(page.get_by_role("button", name="Rename Bea")).to_be_focused()

    keys.press("Tab")  # Delete Bea: asks first, focus on Cancel
    keys.press("Enter")
    cancel = page.get_by_role("alertdialog").get_by_role("button", name="Cancel")
    expect(cancel).to_be_focused()
    keys.press("Escape")
    expect(page.get_by_role("button", name="Delete Bea")).to_be_focused()
    keys.press("Enter")
    keys.press("Shift+Tab")  # from Cancel back to the dialog's Delete
    expect(page.get_by_role("alertdialog").get_by_role("button", name="Delete")).to_be_focused()
    keys.press("Enter")
    expect(names).to_have_text(["Keyla"])
    expect(page.get_by_role("link", name="Keyla")).to_be_focused()  # the next row

    keys.press("Enter")  # open Keyla
    expect(main_heading(page)).to_have_text("Keyla")
    expect(main_heading(page)).to_be_focused()
    keys.press("Shift+Tab")
    expect(page.get_by_role("link", name="All characters")).to_be_focused()
    keys.press("Enter")
    expect(main_heading(page)).to_have_text("Characters")
    expect(main_heading(page)).to_be_focused()
    # the navigation is reachable by keyboard too
    settings = main_nav(page).get_by_role("link", name="Settings")
    settings.focus()
    keys.press("Enter")
    expect(main_heading(page)).to_have_text("Settings")
