"""Series and stories, by keyboard alone: create, reorder ("Move Book 2 up"), move a
story between series, rename, delete (asked first)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e._support import go, main_heading, main_nav, open_app
from tests.e2e._writing import create_series, create_story, stored_where, textbox


def test_series_and_stories_by_keyboard(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    main_nav(page).get_by_role("link", name="Stories").click()
    expect(main_heading(page)).to_have_text("Stories")
    expect(page).to_have_title("Stories — Lorekeeper")
    saga = create_series(page, "The Long Night")
    create_series(page, "Sunrise")
    series_list = page.get_by_role("list", name="Series")
    expect(series_list.get_by_role("link")).to_have_text(["The Long Night", "Sunrise"])

    move = page.get_by_role("button", name="Move Sunrise up")
    move.focus()
    page.keyboard.press("Enter")
    expect(series_list.get_by_role("link")).to_have_text(["Sunrise", "The Long Night"])
    expect(move).to_be_focused()  # focus stayed on the moved row's button
    expect(page.get_by_role("status").filter(has_text="Moved")).to_have_text(
        "Moved “Sunrise” to position 1 of 2"
    )

    series_list.get_by_role("link", name="The Long Night", exact=True).press("Enter")
    expect(main_heading(page)).to_have_text("The Long Night")
    expect(page).to_have_title("The Long Night — Lorekeeper")
    create_story(page, "Book 1", "Stories in this series")
    create_story(page, "Book 2", "Stories in this series")
    stories = page.get_by_role("list", name="Stories in this series")
    page.get_by_role("button", name="Move Book 2 up").press("Enter")
    expect(stories.get_by_role("link")).to_have_text(["Book 2", "Book 1"])
    stored_where(
        page,
        "stories",
        "(all) => all.find((s) => s.title === 'Book 2').order === 0",
        None,
        "Book 2 first in IndexedDB",
    )

    # Alt+↓ in a row moves it too
    page.get_by_role("button", name="Move Book 2 down").focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(stories.get_by_role("link")).to_have_text(["Book 1", "Book 2"])

    # Book 1 leaves the series: it stands alone
    stories.get_by_role("link", name="Book 1", exact=True).click()
    expect(main_heading(page)).to_have_text("Book 1")
    page.get_by_role("combobox", name="Series").select_option(label="No series (on its own)")
    expect(page.get_by_text("This story stands on its own.")).to_be_visible()
    go(page, f"#/series/{saga}", heading="The Long Night")
    expect(stories.get_by_role("link")).to_have_text(["Book 2"])

    # delete the series: asked first, focus on Cancel, its stories stay
    page.get_by_role("button", name="Delete series").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Its stories stay, standing alone.")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Delete series")).to_be_focused()
    page.get_by_role("button", name="Delete series").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete", exact=True).click()
    expect(main_heading(page)).to_have_text("Stories")
    alone = page.get_by_role("list", name="Stories on their own")
    expect(alone.get_by_role("link")).to_have_text(["Book 1", "Book 2"])
    expect(series_list.get_by_role("link")).to_have_text(["Sunrise"])


def test_rename_and_a_hostile_name_stays_text(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    go(page, "#/series", heading="Stories")
    xss = '<img src=x onerror="window.__pwned=1">'
    create_series(page, xss)
    page.get_by_role("button", name=f"Rename {xss}").click()
    field = textbox(page, "Series name")
    expect(field).to_be_focused()
    field.fill("Saga")
    field.press("Enter")
    expect(page.get_by_role("list", name="Series").get_by_role("link")).to_have_text(["Saga"])
    assert page.evaluate("window.__pwned") is None
