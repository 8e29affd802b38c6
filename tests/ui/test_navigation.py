"""The main navigation is derived from the screen table; aria-current marks the section."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.ui import Match, Screen
from app.ui._navigation import current_marker
from app.ui.screens import SCREENS

from ._tab import Tab, open_tab

RUN_IN_BROWSER = True

LINKS = [
    ("Characters", "#/characters"),
    ("Personas", "#/personas"),
    ("Stories", "#/series"),
    ("Lorebook", "#/lorebook/global"),
    ("Presets", "#/presets"),
    ("Library", "#/library"),
    ("Settings", "#/settings"),
]


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(["Ada"]) as t:
        yield t


def nav_links(t: Tab) -> list[tuple[str, str, str | None]]:
    h = t.harness
    out = []
    for a in h.query("nav a"):
        out.append((h.text(a), h.attr(a, "href") or "", h.attr(a, "aria-current")))
    return out


def current(t: Tab) -> list[tuple[str, str | None]]:
    return [(label, mark) for label, _href, mark in nav_links(t) if mark]


async def test_links_follow_the_table_in_order(tab: Tab) -> None:
    assert [(label, href) for label, href, _ in nav_links(tab)] == LINKS
    assert current(tab) == [("Characters", "page")]


async def test_the_section_of_every_page_is_marked(tab: Tab) -> None:
    (ada,) = [c.id for c in await tab.domain.characters.list()]
    cases = [
        (f"/characters/{ada}", [("Characters", "true")]),
        ("/series", [("Stories", "page")]),
        ("/stories/s1/chapters/c1", [("Stories", "true")]),
        ("/lorebook/global", [("Lorebook", "page")]),
        ("/lorebook/story/s1", [("Lorebook", "true")]),
        ("/settings/sync", [("Settings", "true")]),
        ("/library", [("Library", "page")]),
        ("/nowhere", []),
    ]
    for path, expected in cases:
        await tab.go(path)
        assert current(tab) == expected, path


def test_current_marker() -> None:
    screens = (
        Screen("/a", "a", "A", nav="A"),
        Screen("/a/{id}", "a_item", "A item", section="a"),
        Screen("/b", "b", "B", nav="B"),
    )
    a, _item, b = screens
    assert current_marker(screens, a, Match("a")) == "page"
    assert current_marker(screens, a, Match("a_item", {"id": "1"})) == "true"
    assert current_marker(screens, b, Match("a_item", {"id": "1"})) is None
    assert current_marker(screens, a, Match("not_found")) is None


def test_navigation_screens_take_no_params() -> None:
    for screen in SCREENS:
        if screen.nav is not None:
            assert screen.route.params == (), screen.name
