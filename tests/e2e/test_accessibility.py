"""axe-core and the page title on every route of the UI contract, and the shell at a
phone's width.

Records are created first (a character through its screen, a chat seeded in IndexedDB
until chats have a screen) so the routes with ids show real pages, not "Not found".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e._support import (
    assert_accessible,
    axe_violations,
    chat_record,
    create_character,
    go,
    main_heading,
    main_nav,
    open_app,
    seed,
)
from tests.e2e._writing import add_chapter, create_series, create_story


def _routes(ids: dict[str, str]) -> list[tuple[str, str]]:
    """Every route of ../shared/UI.md with the heading its page shows."""
    character_id = ids["character"]
    series, story, chapter = ids["series"], ids["story"], ids["chapter"]
    return [
        ("#/characters", "Characters"),
        (f"#/characters/{character_id}", "Ada"),
        ("#/chats/chat-1", "Breakfast"),
        ("#/personas", "Personas"),
        ("#/series", "Stories"),
        (f"#/series/{series}", "Saga"),
        (f"#/stories/{story}", "Dune"),
        (f"#/stories/{story}/chapters/{chapter}", "Arrakis"),
        ("#/lorebook/global", "Global lorebook"),
        (f"#/lorebook/series/{series}", "Lorebook: Saga"),
        (f"#/lorebook/story/{story}", "Lorebook: Dune"),
        (f"#/lorebook/character/{character_id}", "Lorebook: Ada"),
        ("#/lorebook/chat/chat-1", "Lorebook: Breakfast"),
        ("#/presets", "Presets"),
        ("#/settings", "Settings"),
        ("#/settings/providers", "Providers"),
        ("#/settings/sync", "Sync"),
        ("#/library", "Library"),
        ("#/no/such/page", "Not found"),
        ("#/characters/no-such-character", "Not found"),
        ("#/stories/no-such-story", "Not found"),
    ]


def _with_records(page: Any, url: str) -> dict[str, str]:
    open_app(page, url)
    ada = create_character(page, "Ada")
    seed(page, "chats", [chat_record("chat-1", ada, "Breakfast")])
    go(page, "#/series", heading="Stories")
    series = create_series(page, "Saga")
    go(page, f"#/series/{series}", heading="Saga")
    story = create_story(page, "Dune", "Stories in this series")
    go(page, f"#/stories/{story}", heading="Dune")
    chapter = add_chapter(page, "Arrakis")
    go(page, "#/characters", heading="Characters")
    return {"character": ada, "series": series, "story": story, "chapter": chapter}


def test_axe_finds_nothing_on_any_route_and_each_title_names_the_page(live_server: Any,
                                                                      page: Any) -> None:
    ids = _with_records(page, live_server.url("/"))
    found: dict[str, list[str]] = {}
    for route, heading in _routes(ids):
        go(page, route, heading=heading)
        expect(page).to_have_title(f"{heading} — Lorekeeper")
        violations = axe_violations(page)
        if violations:
            found[route] = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in violations]
    assert found == {}, found


def test_axe_finds_nothing_in_the_characters_screen_states(live_server: Any, page: Any) -> None:
    open_app(page, live_server.url("/"))
    assert_accessible(page, "with no characters")
    create_character(page, "Ada")
    page.get_by_role("textbox", name="New character").fill("   ")
    page.get_by_role("button", name="Create").click()  # a blank name: the error shows
    expect(page.get_by_role("alert")).to_have_text("A character needs a name.")
    assert_accessible(page, "with an error")
    page.get_by_role("searchbox", name="Search characters").fill("zz")
    assert_accessible(page, "with no match")
    page.get_by_role("searchbox", name="Search characters").fill("")
    page.get_by_role("button", name="Rename Ada").click()
    assert_accessible(page, "while renaming")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Delete Ada").click()
    assert_accessible(page, "while asking to delete")
    page.keyboard.press("Tab")  # the skip link, shown while focused
    assert_accessible(page, "with the skip link shown")


def test_axe_would_report_a_violation(live_server: Any, page: Any) -> None:
    """The scan is real: an unlabelled field added to the page is reported."""
    open_app(page, live_server.url("/"))
    page.evaluate("""() => document.querySelector('main').append(
        Object.assign(document.createElement('input'), {type: 'text'}))""")
    assert "label" in [v["id"] for v in axe_violations(page)]


def test_axe_is_injected_from_our_files_and_never_shipped(
    live_server: Any, site: Path, page: Any, requests_seen: list[str]
) -> None:
    open_app(page, live_server.url("/"))
    assert_accessible(page)
    assert not [u for u in requests_seen if "axe" in u]
    assert not [p for p in site.rglob("*") if "axe" in p.name]


def test_the_shell_fits_a_phone(live_server: Any, page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    ids = _with_records(page, live_server.url("/"))
    page.get_by_role("textbox", name="New character").fill(
        "A name long enough to wrap on a narrow phone screen, and then some more"
    )
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Delete A name").click()
    for route, heading in _routes(ids):
        go(page, route, heading=heading)
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px of horizontal scrolling at 390px on {route}"
        for link in main_nav(page).get_by_role("link").all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (
                route,
                link.text_content(),
            )
            assert box["height"] >= 24, (route, link.text_content())  # a finger can hit it
        box = main_heading(page).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, route
    page.set_viewport_size({"width": 1280, "height": 800})
    go(page, "#/characters", heading="Characters")
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_axe_finds_nothing_in_the_writing_screens_states(live_server: Any, page: Any) -> None:
    ids = _with_records(page, live_server.url("/"))
    series, story, chapter = ids["series"], ids["story"], ids["chapter"]
    go(page, "#/series", heading="Stories")
    page.get_by_role("button", name="Rename Saga").click()
    assert_accessible(page, "renaming a series")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Delete Saga").click()
    assert_accessible(page, "asking to delete a series")
    page.keyboard.press("Escape")

    go(page, f"#/stories/{story}", heading="Dune")
    add_chapter(page, "", "Chapter 2")
    page.get_by_role("button", name="Move Chapter 2 up").click()
    assert_accessible(page, "a story with reordered chapters")
    page.get_by_role("button", name="Delete story").click()
    assert_accessible(page, "asking to delete a story")
    page.keyboard.press("Escape")

    go(page, f"#/lorebook/story/{story}", heading="Lorebook: Dune")
    page.get_by_role("button", name="New entry", exact=True).click()
    page.get_by_role("textbox", name="Title", exact=True).fill("Mara")
    page.get_by_role("textbox", name="Keys", exact=True).fill("Mara, the")
    assert_accessible(page, "with the entry editor open")
    page.get_by_role("textbox", name="Title", exact=True).blur()
    go(page, "#/lorebook/global", heading="Global lorebook")
    page.get_by_role("button", name="New entry", exact=True).click()
    page.get_by_role("textbox", name="Keys", exact=True).fill("Mara")
    page.get_by_role("textbox", name="Keys", exact=True).blur()
    go(page, f"#/lorebook/story/{story}", heading="Lorebook: Dune")
    page.get_by_text("is used by entries in several scopes").first.wait_for()
    page.get_by_role("checkbox", name="Select all matching").check()
    page.get_by_role("group", name="Selected entries").get_by_role("button", name="Disable").click()
    page.get_by_role("button", name="Undo").wait_for()
    assert_accessible(page, "with read-only entries, lint findings, a selection and Undo")
    page.get_by_role("searchbox", name="Search entries").fill("nothing matches this")
    assert_accessible(page, "with no match")

    go(page, f"#/stories/{story}/chapters/{chapter}", heading="Arrakis")
    area = page.get_by_role("textbox", name="Chapter text", exact=True)
    area.fill("Mara came home. @cast")
    page.get_by_role("textbox", name="New scene beat").fill("She sees the ghost.")
    page.get_by_role("button", name="Add beat").click()
    page.get_by_role("button", name="Delete Beat 1").click()
    assert_accessible(page, "a chapter with marks, mentions and a beat being deleted")
    page.keyboard.press("Escape")

    page.evaluate(
        """() => { navigator.storage.estimate = async () => ({usage: 99, quota: 100}); }"""
    )
    go(page, "#/settings", heading="Settings")
    page.get_by_role("alert").wait_for()
    assert_accessible(page, "settings with the storage warning")
    go(page, f"#/series/{series}", heading="Saga")
    assert_accessible(page, "a series with its stories")
