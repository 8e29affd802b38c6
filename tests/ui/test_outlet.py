"""Pages in the outlet: the screen for each address, the levels it opens, "Not found",
titles and focus — over the app state on a real library (IndexedDB in the browser tier)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping

import pytest

from app.reactive import get
from app.state import Level
from app.ui import Screen
from app.ui.screens import SCREENS
from tests._wait import eventually

from ._support import same
from ._tab import Tab, open_tab, recording_logs

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(["Ines", "Yara"]) as t:
        yield t


async def character_id(t: Tab, name: str) -> str:
    return next(c.id for c in await t.domain.characters.list() if c.name == name)


def texts(t: Tab, selector: str) -> list[str]:
    return [t.harness.text(n) for n in t.harness.query(selector)]


async def test_an_unknown_address_shows_not_found_naming_it(tab: Tab) -> None:
    await tab.go("/nowhere/at/all")
    assert tab.heading() == "Not found"
    assert texts(tab, "main p code") == ["#/nowhere/at/all"]
    (back,) = tab.harness.query("main a")
    assert tab.harness.text(back) == "Go to Characters"
    assert tab.harness.attr(back, "href") == "#/characters"
    assert tab.title() == "Not found — Lorekeeper"


async def test_going_from_one_unknown_address_to_another_updates_the_page(tab: Tab) -> None:
    await tab.go("/lost")
    assert texts(tab, "main p code") == ["#/lost"]
    await tab.go("/lost/again")
    assert texts(tab, "main p code") == ["#/lost/again"]
    tab.harness.back()
    await eventually(lambda: texts(tab, "main p code") == ["#/lost"], "back to #/lost")


@pytest.mark.parametrize(
    ("path", "noun"), [("/characters/{id}", "character"), ("/chats/{id}", "chat")]
)
async def test_a_missing_record_shows_not_found_and_logs_no_traceback(
    tab: Tab, path: str, noun: str
) -> None:
    address = path.format(id="no-such-id")
    with recording_logs() as logs:
        await tab.go(address)
    assert tab.heading() == "Not found"
    (what,) = [p for p in texts(tab, "main p") if "#" in p]
    assert what == f"There is no {noun} at #{address}. It may have been deleted."
    (back,) = tab.harness.query("main a")
    assert tab.harness.text(back) == "Back to Characters"
    assert tab.title() == "Not found — Lorekeeper"
    assert logs.tracebacks == [], [r.getMessage() for r in logs.tracebacks]
    assert logs.errors == [], [r.getMessage() for r in logs.errors]
    assert get(tab.state.active_character_id) is None
    await tab.go("/characters")  # the app keeps going
    assert tab.heading() == "Characters"


async def test_a_character_page_opens_the_character_level(tab: Tab) -> None:
    ines = await character_id(tab, "Ines")
    await tab.go(f"/characters/{ines}")
    assert get(tab.state.active_character_id) == ines
    assert tab.heading() == "Ines"
    assert tab.title() == "Ines — Lorekeeper"
    await tab.go("/settings")
    assert get(tab.state.active_character_id) is None
    assert tab.title() == "Settings — Lorekeeper"
    await tab.go(f"/characters/{ines}")
    await tab.go(f"/characters/{ines}?tab=chats")  # the same page: nothing reloads
    assert tab.backend.opened == [("character", ines), ("character", ines)]


async def test_a_chat_page_opens_the_chat_and_its_character(tab: Tab) -> None:
    ines = await character_id(tab, "Ines")
    chat = await tab.state.create_chat(ines, {"title": "Tea at noon"})
    await tab.go(f"/chats/{chat.id}")
    assert get(tab.state.active_chat_id) == chat.id
    assert get(tab.state.active_character_id) == ines
    assert tab.heading() == "Tea at noon"
    assert tab.title() == "Tea at noon — Lorekeeper"
    untitled = await tab.state.create_chat(ines, {})
    await tab.go(f"/chats/{untitled.id}")
    assert tab.title() == "Chat with Ines — Lorekeeper"
    await tab.go(f"/characters/{ines}")  # back to the character: the chat closes
    assert get(tab.state.active_chat_id) is None
    assert get(tab.state.active_character_id) == ines


async def test_a_lorebook_page_opens_its_scope(tab: Tab) -> None:
    yara = await character_id(tab, "Yara")
    await tab.go(f"/lorebook/character/{yara}")
    assert get(tab.state.active_character_id) == yara
    await tab.state.writing.settle()  # the page names its scope once it has read it
    assert tab.heading() == "Lorebook: Yara"
    await tab.go("/lorebook/story/some-story")
    assert get(tab.state.active_character_id) is None
    await tab.go("/lorebook/character/nobody")
    assert tab.heading() == "Not found"


async def test_the_title_follows_a_rename_of_the_open_character(tab: Tab) -> None:
    ines = await character_id(tab, "Ines")
    await tab.go(f"/characters/{ines}")
    await tab.state.rename_character(ines, "Inès")
    assert tab.heading() == "Inès"
    assert tab.title() == "Inès — Lorekeeper"


async def test_a_character_deleted_while_shown_turns_into_not_found(tab: Tab) -> None:
    yara = await character_id(tab, "Yara")
    await tab.go(f"/characters/{yara}")
    await tab.state.delete_character(yara)
    assert tab.heading() == "Not found"
    assert tab.title() == "Not found — Lorekeeper"


async def test_a_later_navigation_overtakes_an_opening_one(tab: Tab) -> None:
    ines, yara = await character_id(tab, "Ines"), await character_id(tab, "Yara")
    tab.app.router.navigate(f"/characters/{ines}")
    tab.app.router.navigate(f"/characters/{yara}")  # before Ines has opened
    await tab.app.settle()
    assert get(tab.state.active_character_id) == yara
    assert tab.heading() == "Yara"
    assert tab.title() == "Yara — Lorekeeper"


async def test_a_failure_while_opening_is_shown_and_logged(tab: Tab) -> None:
    ines = await character_id(tab, "Ines")

    real_load = tab.backend.load

    async def broken(level: Level, key: object) -> Mapping[str, object]:
        if level == Level.CHARACTER:
            raise RuntimeError("the disk caught fire")
        return await real_load(level, key)

    tab.backend.load = broken  # type: ignore[method-assign]
    with recording_logs() as logs:
        await tab.go(f"/characters/{ines}")
    assert tab.heading() == "This page could not open"
    (alert,) = tab.harness.query("main p[role=alert]")
    assert tab.harness.text(alert) == "Opening this character failed. Reload the page to try again."
    assert [r.getMessage() for r in logs.tracebacks] == [f"opening the character {ines!r} failed"]


async def test_focus_moves_to_the_new_heading_after_navigation_only(tab: Tab) -> None:
    (first,) = tab.harness.query("main h1")
    assert not same(tab.dom.focused(), first), "the first paint leaves focus alone"
    await tab.go("/settings")
    (h1,) = tab.harness.query("main h1")
    assert same(tab.dom.focused(), h1)
    ines = await character_id(tab, "Ines")
    await tab.go(f"/characters/{ines}")
    (h1,) = tab.harness.query("main h1")
    assert tab.harness.text(h1) == "Ines"
    assert same(tab.dom.focused(), h1)
    await tab.go("/characters/missing")
    (h1,) = tab.harness.query("main h1")
    assert same(tab.dom.focused(), h1)


async def test_a_screen_can_show_the_not_found_page_itself() -> None:
    """For records without a state level (a story): the same page, from the view."""
    line = Screen("/stories/{id}", "story", "Story", module="tests.ui.screens._missing_story")
    screens = tuple(line if s.name == "story" else s for s in SCREENS)
    async with open_tab(screens=screens) as t:
        await t.go("/stories/gone")
        assert t.heading() == "Not found"
        (what,) = [p for p in texts(t, "main p") if "#" in p]
        assert what == "There is no story at #/stories/gone. It may have been deleted."
        assert texts(t, "main a") == ["Back to Stories"]
