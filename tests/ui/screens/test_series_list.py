"""The Stories screen (#/series): series and stories standing alone — create, rename,
reorder with the keyboard, delete (asked first)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from .._tab import Tab, open_tab
from ._writing import button, click, field, links, settle, submit_field

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    async with open_tab(hash="#/series") as t:
        await settle(t)
        yield t


async def test_empty_library_explains_and_titles_the_page(tab):
    assert tab.heading() == "Stories"
    assert tab.title() == "Stories — Lorekeeper"
    (status,) = [p for p in tab.harness.query("p.status") if "No stories" in tab.harness.text(p)]
    assert tab.harness.text(status) == "No stories yet. Create a series, or a story on its own."


async def test_create_series_and_a_story_on_its_own_appear_as_links(tab):
    await submit_field(tab, "New series", "The Long Night")
    await submit_field(tab, "New story", "A Short Tale")
    assert "The Long Night" in links(tab)
    assert "A Short Tale" in links(tab)
    assert [s.name for s in await tab.domain.series.list()] == ["The Long Night"]
    (story,) = await tab.domain.stories.stories.list()
    assert (story.title, story.series_id) == ("A Short Tale", None)
    assert tab.dom.get_prop(field(tab, "New series"), "value") == ""


async def test_a_series_needs_a_name(tab):
    await submit_field(tab, "New series", "   ")
    (alert,) = tab.harness.query("p.error")
    assert tab.harness.text(alert) == "A series needs a name."
    assert await tab.domain.series.list() == []


async def test_reorder_series_with_the_buttons(tab):
    for name in ("One", "Two", "Three"):
        await submit_field(tab, "New series", name)
    await click(tab, button(tab, "Move Three up"))
    names = [s.name for s in await tab.domain.series.siblings(None)]
    assert names == ["One", "Three", "Two"]
    (ul,) = [u for u in tab.harness.query("ul") if tab.harness.attr(u, "aria-label") == "Series"]
    assert [n for n in links(tab, ul)] == ["One", "Three", "Two"]


async def test_rename_and_delete_a_series_keeps_its_stories(tab):
    await submit_field(tab, "New series", "Saga")
    (saga,) = await tab.domain.series.list()
    await tab.domain.stories.stories.create({"title": "Book", "series_id": saga.id})
    await settle(tab)
    assert "1 story" in tab.harness.text(tab.harness.root)
    await click(tab, button(tab, "Rename Saga"))
    await submit_field(tab, "Series name", "Epic")
    assert [s.name for s in await tab.domain.series.list()] == ["Epic"]
    await click(tab, button(tab, "Delete Epic"))
    (dialog,) = tab.harness.query("div[role=alertdialog]")
    assert "Its stories stay" in tab.harness.text(dialog)
    await click(tab, button(tab, "Delete"))
    assert await tab.domain.series.list() == []
    (story,) = await tab.domain.stories.stories.list()
    assert story.series_id is None
    assert "Book" in links(tab)


async def test_another_tabs_new_series_shows_up(tab):
    await tab.domain.series.create({"name": "From elsewhere"})
    await settle(tab)
    assert "From elsewhere" in links(tab)
