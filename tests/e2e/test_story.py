"""A story's chapters by keyboard: add, "Move Chapter 2 up", rename, delete (asked first)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e._support import go, main_heading, open_app
from tests.e2e._writing import add_chapter, create_story, stored_where, textbox


def test_chapters_in_order_by_keyboard(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    go(page, "#/series", heading="Stories")
    story = create_story(page, "Dune", "Stories on their own")
    go(page, f"#/stories/{story}", heading="Dune")
    expect(page).to_have_title("Dune — Lorekeeper")
    add_chapter(page, "", "Chapter 1")
    add_chapter(page, "The Storm")
    add_chapter(page, "", "Chapter 3")
    chapters = page.get_by_role("list", name="Chapters")
    expect(chapters.get_by_role("link")).to_have_text(["Chapter 1", "The Storm", "Chapter 3"])

    page.get_by_role("button", name="Move Chapter 3 up").press("Enter")
    expect(chapters.get_by_role("link")).to_have_text(["Chapter 1", "Chapter 2", "The Storm"])
    stored_where(
        page,
        "chapters",
        "(all) => all.find((c) => c.title === 'The Storm').order === 2",
        None,
        "the order in IndexedDB",
    )

    page.get_by_role("button", name="Rename The Storm").click()
    field = textbox(page, "Chapter title")
    field.fill("Calm")
    field.press("Enter")
    expect(chapters.get_by_role("link")).to_have_text(["Chapter 1", "Chapter 2", "Calm"])

    page.get_by_role("button", name="Delete Calm").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(chapters.get_by_role("link")).to_have_text(["Chapter 1", "Chapter 2"])

    page.get_by_role("button", name="Delete story").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete", exact=True).click()
    expect(main_heading(page)).to_have_text("Stories")
    stored_where(page, "chapters", "(all) => all.length === 0", None, "chapters deleted")
