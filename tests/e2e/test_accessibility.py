"""axe-core on every route of the UI contract, and the shell at a phone's width.

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
    create_character,
    go,
    main_heading,
    main_nav,
    open_app,
    seed,
)


def _routes(character_id: str) -> list[tuple[str, str]]:
    """Every route of ../shared/UI.md with the heading its page shows."""
    return [
        ("#/characters", "Characters"),
        (f"#/characters/{character_id}", "Ada"),
        ("#/chats/chat-1", "Breakfast"),
        ("#/personas", "Personas"),
        ("#/series", "Stories"),
        ("#/series/s1", "Series"),
        ("#/stories/s1", "Story"),
        ("#/stories/s1/chapters/c1", "Chapter"),
        ("#/lorebook/global", "Global lorebook"),
        ("#/lorebook/story/s1", "Lorebook"),
        (f"#/lorebook/character/{character_id}", "Lorebook"),
        ("#/lorebook/chat/chat-1", "Lorebook"),
        ("#/presets", "Presets"),
        ("#/settings", "Settings"),
        ("#/settings/providers", "Providers"),
        ("#/settings/sync", "Sync"),
        ("#/library", "Library"),
        ("#/no/such/page", "Not found"),
        ("#/characters/no-such-character", "Not found"),
    ]


def _with_records(page: Any, url: str) -> str:
    open_app(page, url)
    ada = create_character(page, "Ada")
    now = "2026-01-01T00:00:00Z"
    seed(page, "chats", [{"id": "chat-1", "created_at": now, "updated_at": now,
                          "title": "Breakfast", "character_id": ada, "folder_id": None,
                          "persona_id": None, "preview": "", "last_message_id": None,
                          "last_message_at": None, "message_count": 0}])
    return ada


def test_axe_finds_nothing_on_any_route(live_server: Any, page: Any) -> None:
    ada = _with_records(page, live_server.url("/"))
    found: dict[str, list[str]] = {}
    for route, heading in _routes(ada):
        go(page, route, heading=heading)
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


def test_axe_is_injected_from_our_files_and_never_shipped(live_server: Any, site: Path,
                                                          page: Any,
                                                          requests_seen: list[str]) -> None:
    open_app(page, live_server.url("/"))
    assert_accessible(page)
    assert not [u for u in requests_seen if "axe" in u]
    assert not [p for p in site.rglob("*") if "axe" in p.name]


def test_the_shell_fits_a_phone(live_server: Any, page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    ada = _with_records(page, live_server.url("/"))
    page.get_by_role("textbox", name="New character").fill(
        "A name long enough to wrap on a narrow phone screen, and then some more")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Delete A name").click()
    for route, heading in _routes(ada):
        go(page, route, heading=heading)
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow}px of horizontal scrolling at 390px on {route}"
        for link in main_nav(page).get_by_role("link").all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (
                route, link.text_content())
            assert box["height"] >= 24, (route, link.text_content())  # a finger can hit it
        box = main_heading(page).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, route
    page.set_viewport_size({"width": 1280, "height": 800})
    go(page, "#/characters", heading="Characters")
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
