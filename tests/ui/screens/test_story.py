"""A story page (#/stories/{id}): chapters in order (keyboard), series choice, synopsis,
word counts, delete asked first, "Not found" for a missing story."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from .._tab import Tab, open_tab
from ._writing import button, click, field, go, links, settle, submit_field

RUN_IN_BROWSER = True


@pytest.fixture
async def tab() -> AsyncIterator[tuple[Tab, Any]]:
    async with open_tab() as t:
        story = await t.domain.stories.stories.create({"title": "Dune"})
        await go(t, f"/stories/{story.id}")
        yield t, story


def chapter_links(t: Tab) -> list[str]:
    (ul,) = [u for u in t.harness.query("ul") if t.harness.attr(u, "aria-label") == "Chapters"]
    return links(t, ul)


async def test_heading_title_and_links(tab):
    t, _story = tab
    assert t.heading() == "Dune"
    assert t.title() == "Dune — Lorekeeper"
    assert "Story lorebook" in links(t)
    assert "No chapters yet" in t.harness.text(t.harness.root)


async def test_add_chapters_named_by_title_or_position_and_reorder(tab):
    t, story = tab
    await submit_field(t, "New chapter", "")
    await submit_field(t, "New chapter", "The Storm")
    await submit_field(t, "New chapter", "")
    assert chapter_links(t) == ["Chapter 1", "The Storm", "Chapter 3"]
    await click(t, button(t, "Move Chapter 3 up"))
    assert chapter_links(t) == ["Chapter 1", "Chapter 2", "The Storm"]
    chapters = await t.domain.stories.chapters.for_story(story.id)
    assert [c.title for c in chapters] == ["", "", "The Storm"]
    (first,) = [a for a in t.harness.query("a") if t.harness.text(a) == "Chapter 1"]
    assert t.harness.attr(first, "href") == f"#/stories/{story.id}/chapters/{chapters[0].id}"


async def test_word_counts(tab):
    t, story = tab
    await t.domain.stories.chapters.create({"story_id": story.id, "content": "One two three."})
    await t.domain.stories.chapters.create({"story_id": story.id, "content": "Four five"})
    await settle(t)
    text = t.harness.text(t.harness.root)
    assert "3 words" in text and "2 words" in text
    assert "2 chapters, 5 words" in text


async def test_rename_and_delete_a_chapter(tab):
    t, story = tab
    await submit_field(t, "New chapter", "Draft")
    await click(t, button(t, "Rename Draft"))
    await submit_field(t, "Chapter title", "Final")
    assert chapter_links(t) == ["Final"]
    await click(t, button(t, "Delete Final"))
    await click(t, button(t, "Delete"))
    assert await t.domain.stories.chapters.for_story(story.id) == []
    assert chapter_links(t) == []


async def test_move_the_story_into_a_series_and_out(tab):
    t, story = tab
    saga = await t.domain.series.create({"name": "Saga"})
    await settle(t)
    select = field(t, "Series")
    t.dom.set_prop(select, "value", saga.id)
    t.harness.fire(select, "change")
    await settle(t)
    assert (await t.domain.stories.stories.require(story.id)).series_id == saga.id
    assert "Part of the series “Saga”." in t.harness.text(t.harness.root)
    (back,) = [a for a in t.harness.query("p.back a")]
    assert t.harness.attr(back, "href") == f"#/series/{saga.id}"
    t.dom.set_prop(select, "value", "")
    t.harness.fire(select, "change")
    await settle(t)
    assert (await t.domain.stories.stories.require(story.id)).series_id is None


async def test_delete_story_asks_first(tab):
    t, _story = tab
    await click(t, button(t, "Delete story"))
    (dialog,) = t.harness.query("div[role=alertdialog]")
    assert "Delete the story “Dune”" in t.harness.text(dialog)
    await click(t, button(t, "Delete"))
    assert await t.domain.stories.stories.list() == []
    assert t.dom.get_hash() == "#/series"


async def test_missing_story(tab):
    t, _ = tab
    await go(t, "/stories/nope")
    assert t.heading() == "Not found"
    assert "There is no story at" in t.harness.text(t.harness.root)
