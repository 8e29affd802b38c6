"""The chapter editor: autosaved text with a word count, marks for every mention (keys
and @tags) and the "Mentioned entries" list, scene beats that follow the text."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.ui._autosave import Journal

from .._tab import Tab, open_tab
from ._writing import button, click, field, go, links, settle, submit_field

RUN_IN_BROWSER = True

TEXT = "Mara climbed to the keep.\n\nThe night was cold."


@pytest.fixture
async def tab() -> AsyncIterator[tuple[Tab, Any]]:
    async with open_tab() as t:
        d = t.domain
        saga = await d.series.create({"name": "Saga"})
        story = await d.stories.stories.create({"title": "Dune", "series_id": saga.id})
        chapter = await d.stories.chapters.create(
            {"story_id": story.id, "title": "", "content": TEXT}
        )
        await d.lorebook.create({"level": "global", "name": "Mara", "keys": ["Mara"]})
        await d.lorebook.create(
            {"level": "series", "scope_id": saga.id, "name": "The Keep", "keys": ["keep"]}
        )
        await d.lorebook.create(
            {
                "level": "story",
                "scope_id": story.id,
                "name": "Night",
                "keys": ["night"],
                "tags": ["weather"],
            }
        )
        await d.lorebook.create(
            {
                "level": "story",
                "scope_id": story.id,
                "name": "Off",
                "keys": ["cold"],
                "enabled": False,
            }
        )
        await go(t, f"/stories/{story.id}/chapters/{chapter.id}")
        yield t, {"story": story, "chapter": chapter, "saga": saga}


def marks(t: Tab) -> list[str]:
    return [t.harness.text(m) for m in t.harness.query("mark")]


def mentioned(t: Tab) -> list[str]:
    (ul,) = t.harness.query("ul.mentioned")
    return [t.harness.text(li) for li in t.harness.children(ul)]


async def type_text(t: Tab, text: str) -> None:
    area = field(t, "Chapter text")
    t.harness.type_into(area, text)
    await settle(t)


async def test_heading_title_and_text(tab):
    t, _w = tab
    assert t.heading() == "Chapter 1"
    assert t.title() == "Chapter 1 — Lorekeeper"
    assert t.dom.get_prop(field(t, "Chapter text"), "value") == TEXT
    assert "9 words" in t.harness.text(t.harness.root)
    assert "← Dune" in links(t)  # back to the story


async def test_every_activated_key_is_marked_and_listed_with_its_scope(tab):
    t, w = tab
    assert marks(t) == ["Mara", "keep", "night"]  # "cold" belongs to a disabled entry
    assert mentioned(t) == [
        "Mara Global 1 mention",
        "The Keep Series 1 mention",
        "Night Story 1 mention",
    ]
    (link,) = [a for a in t.harness.query("ul.mentioned a") if t.harness.text(a) == "Night"]
    href = t.harness.attr(link, "href")
    assert href.startswith(f"#/lorebook/story/{w['story'].id}?entry=")


async def test_typing_updates_marks_word_count_and_saves(tab):
    t, w = tab
    await type_text(t, TEXT + "\nMara slept. @weather")
    assert marks(t) == ["Mara", "keep", "night", "Mara", "@weather"]
    assert mentioned(t)[0] == "Mara Global 2 mentions"
    assert mentioned(t)[2] == "Night Story 2 mentions"
    assert "12 words" in t.harness.text(t.harness.root)
    t.harness.fire(field(t, "Chapter text"), "blur")
    await settle(t)
    saved = await t.domain.stories.chapters.require(w["chapter"].id)
    assert saved.content == TEXT + "\nMara slept. @weather"
    (status,) = [p for p in t.harness.query("p") if t.harness.attr(p, "id") == "chapter-saved"]
    assert t.harness.text(status) == "Saved"


async def test_a_new_entry_marks_its_key_at_once(tab):
    t, w = tab
    await t.domain.lorebook.create(
        {"level": "story", "scope_id": w["story"].id, "name": "Climb", "keys": ["climbed"]}
    )
    await settle(t)
    assert "climbed" in marks(t)


async def test_another_tabs_edit_shows_when_not_typing(tab):
    t, w = tab
    await t.domain.stories.save_chapter_text(w["chapter"].id, "Changed elsewhere, Mara.")
    await settle(t)
    assert t.dom.get_prop(field(t, "Chapter text"), "value") == "Changed elsewhere, Mara."
    assert marks(t) == ["Mara"]


async def test_scene_beats_attach_at_the_caret_and_follow_the_text(tab):
    t, w = tab
    area = field(t, "Chapter text")
    t.dom.call(area, "focus")
    t.dom.call(area, "setSelectionRange", TEXT.index("The night"), TEXT.index("The night"))
    await submit_field(t, "New scene beat", "A storm breaks.")
    (beat,) = await t.domain.stories.scene_beats.for_chapter(w["chapter"].id)
    assert (beat.content, beat.position) == ("A storm breaks.", TEXT.index("The night"))
    assert "After “…Mara climbed to the keep.”" in t.harness.text(t.harness.root)
    await type_text(t, "Prologue.\n" + TEXT)
    t.harness.fire(field(t, "Chapter text"), "blur")
    await settle(t)
    (beat,) = await t.domain.stories.scene_beats.for_chapter(w["chapter"].id)
    assert ("Prologue.\n" + TEXT)[beat.position :].startswith("The night")
    end = len("Prologue.\n" + TEXT)
    t.dom.call(field(t, "Chapter text"), "setSelectionRange", end, end)
    await submit_field(t, "New scene beat", "Second.")
    beats = await t.domain.stories.scene_beats.for_chapter(w["chapter"].id)
    assert [b.content for b in beats] == ["A storm breaks.", "Second."]
    await click(t, button(t, "Move Beat 2 up"))
    beats = await t.domain.stories.scene_beats.for_chapter(w["chapter"].id)
    assert [b.content for b in beats] == ["Second.", "A storm breaks."]
    await click(t, button(t, "Delete Beat 1"))
    await click(t, button(t, "Delete"))
    beats = await t.domain.stories.scene_beats.for_chapter(w["chapter"].id)
    assert [b.content for b in beats] == ["A storm breaks."]


async def test_an_empty_beat_is_refused(tab):
    t, _w = tab
    await submit_field(t, "New scene beat", "  ")
    (alert,) = t.harness.query("p.error")
    assert t.harness.text(alert) == "A scene beat needs a few words."


async def test_text_typed_before_a_reload_is_recovered(tab):
    t, w = tab
    journal = Journal(t.dom.storage)
    journal.write(
        f"chapter:{w['chapter'].id}:text", {"text": TEXT + " Unsaved words."}, time.time()
    )
    await go(t, f"/stories/{w['story'].id}")
    await go(t, f"/stories/{w['story'].id}/chapters/{w['chapter'].id}")
    assert t.dom.get_prop(field(t, "Chapter text"), "value") == TEXT + " Unsaved words."
    t.harness.fire(field(t, "Chapter text"), "blur")
    await settle(t)
    assert (await t.domain.stories.chapters.require(w["chapter"].id)).content.endswith(
        "Unsaved words."
    )
    assert journal.read(f"chapter:{w['chapter'].id}:text") is None


async def test_chapter_of_another_story_is_not_found(tab):
    t, w = tab
    other = await t.domain.stories.stories.create({"title": "Other"})
    await go(t, f"/stories/{other.id}/chapters/{w['chapter'].id}")
    assert t.heading() == "Not found"


async def test_neighbour_links(tab):
    t, w = tab
    await t.domain.stories.chapters.create({"story_id": w["story"].id, "title": "Two"})
    await settle(t)
    assert "Next: Two" in links(t)
