"""The shell: skip link first, brand, main navigation, and <main> holding the page."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.ui import SKIP_LINK

from ._support import same
from ._tab import Tab, open_tab

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(["Ada"]) as t:
        yield t


def test_the_skip_link_comes_first_and_targets_main(tab: Tab) -> None:
    h = tab.harness
    links = h.query("a")
    assert h.text(links[0]) == SKIP_LINK == "Skip to content"
    assert h.attr(links[0], "href") == "#main"
    (main,) = h.query("main")
    assert tab.dom.get_prop(main, "id") == "main"


async def test_the_skip_link_moves_focus_to_main_and_leaves_the_address_alone(tab: Tab) -> None:
    h = tab.harness
    skip = h.query("a")[0]
    before = tab.dom.get_hash()
    assert h.fire(skip, "click"), "following '#main' would leave the router's address"
    (main,) = h.query("main")
    assert same(tab.dom.focused(), main)
    assert tab.dom.get_hash() == before
    assert tab.heading() == "Characters"


def test_landmarks(tab: Tab) -> None:
    h = tab.harness
    assert len(h.query("header")) == 1
    (nav,) = h.query("nav")
    assert h.attr(nav, "aria-label") == "Main"
    assert len(h.query("main")) == 1
    assert len(h.query("main section")) == 1
