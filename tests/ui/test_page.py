"""Page: what a screen receives — params, query, links, navigation and its title."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.reactive import get, readable
from app.ui import Match, Page, Screen

from ._tab import Tab, open_tab

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(["Ada"]) as t:
        yield t


def _page(t: Tab, screen: Screen, match: Match) -> Page:
    return Page(screen, match, t.state, t.app.router)


async def test_params_query_and_links(tab: Tab) -> None:
    screen = Screen("/stories/{id}", "story", "Story")
    page = _page(tab, screen, Match("story", {"id": "s1"}, "/stories/s1", {"tab": "lore"}))
    assert dict(page.params) == {"id": "s1"}
    assert dict(page.query) == {"tab": "lore"}
    assert page.href("chapter", id="s 1", chapter_id="c1") == "#/stories/s%201/chapters/c1"
    assert get(page.title()) == "Story"


async def test_navigate_goes_to_a_named_page(tab: Tab) -> None:
    page = _page(tab, Screen("/x", "x", "X"), Match("x"))
    page.navigate("settings")
    await tab.app.settle()
    assert tab.dom.get_hash() == "#/settings"
    assert tab.heading() == "Settings"


async def test_a_title_function_gets_the_page(tab: Tab) -> None:
    screen = Screen("/x/{id}", "x", lambda p: readable(f"Thing {p.params['id']}"))
    assert get(_page(tab, screen, Match("x", {"id": "7"})).title()) == "Thing 7"
