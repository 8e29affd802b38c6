"""Helpers for the writing workspace's end-to-end tests (by role and accessible name)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e._support import eventually_in_page, go, main_heading, open_app

__all__ = [
    "add_chapter",
    "create_series",
    "create_story",
    "open_chapter",
    "stored_where",
    "textbox",
]


def textbox(scope: Any, name: str) -> Any:
    return scope.get_by_role("textbox", name=name, exact=True)


def create_series(page: Any, name: str) -> str:
    """On #/series: a new series by its form (Enter submits); returns its id."""
    field = textbox(page, "New series")
    field.fill(name)
    field.press("Enter")
    link = page.get_by_role("list", name="Series").get_by_role("link", name=name, exact=True)
    link.wait_for()
    return str(link.get_attribute("href")).rsplit("/", 1)[-1]


def create_story(page: Any, title: str, list_name: str) -> str:
    field = textbox(page, "New story")
    field.fill(title)
    field.press("Enter")
    link = page.get_by_role("list", name=list_name).get_by_role("link", name=title, exact=True)
    link.wait_for()
    return str(link.get_attribute("href")).rsplit("/", 1)[-1]


def add_chapter(page: Any, title: str, shown_as: str | None = None) -> str:
    field = textbox(page, "New chapter")
    field.fill(title)
    field.press("Enter")
    name = shown_as or title
    link = page.get_by_role("list", name="Chapters").get_by_role("link", name=name, exact=True)
    link.wait_for()
    return str(link.get_attribute("href")).rsplit("/", 1)[-1]


def open_chapter(page: Any, url: str, text: str = "") -> tuple[str, str]:
    """A story with one chapter holding ``text``; the chapter editor open. (story, chapter)"""
    open_app(page, url)
    go(page, "#/series", heading="Stories")
    story = create_story(page, "Dune", "Stories on their own")
    go(page, f"#/stories/{story}", heading="Dune")
    chapter = add_chapter(page, "Arrakis")
    go(page, f"#/stories/{story}/chapters/{chapter}", heading="Arrakis")
    if text:
        area = textbox(page, "Chapter text")
        area.fill(text)
        area.blur()
        expect(page.locator("#chapter-saved")).to_have_text("Saved")
    expect(main_heading(page)).to_have_text("Arrakis")
    return story, chapter


def stored_where(page: Any, table: str, predicate: str, arg: Any, what: str) -> None:
    """Wait until IndexedDB's ``table`` satisfies the JS ``predicate(records, arg)``."""
    eventually_in_page(
        page,
        """async ([table, source, arg]) => {
        const db = await new Promise((ok) => { const r = indexedDB.open("lorekeeper");
                                               r.onsuccess = () => ok(r.result); });
        const all = await new Promise((ok) => {
            const r = db.transaction(table).objectStore(table).getAll();
            r.onsuccess = () => ok(r.result); });
        db.close();
        return (0, eval)(source)(all, arg);
    }""",
        [table, predicate, arg],
        what,
    )
