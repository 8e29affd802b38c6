"""AppState.writing: live stores of the writing pages, and writes that keep the app
state's own lists (series, stories, the global lorebook) in step."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain import open_domain
from app.domain.lorebook import Layer
from app.reactive import get
from app.state import AppState, DomainBackend, Lookup
from tests.domain._support import memory_db

RUN_IN_BROWSER = True


@pytest.fixture
async def state():
    db = memory_db()
    domain = await open_domain(db)
    s = AppState(DomainBackend(domain))
    await s.load_global()
    await s.load_lists()
    yield s
    s.close()
    domain.store.close()
    await db.delete()


class Watch:
    """Keeps a store subscribed (live stores load only while watched)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.stop = store.subscribe(lambda v: None)

    @property
    def value(self) -> Any:
        return get(self.store)


def names(items: Any) -> list[str]:
    return [getattr(i, "name", None) or getattr(i, "title", "") for i in items or []]


async def test_series_written_here_show_in_the_state_and_the_live_list(state):
    w = state.writing
    listed = Watch(w.series_list)
    await w.settle()
    a = await w.create_series({"name": "A"})
    b = await w.create_series({"name": "B"})
    assert names(listed.value) == ["A", "B"]
    assert names(get(state.series)) == ["A", "B"]
    await w.move_series(b.id, -1)
    assert names(listed.value) == ["B", "A"]
    assert [s.order for s in sorted(get(state.series), key=lambda s: s.name)] == [1, 0]
    await w.update_series(a.id, {"name": "A2"})
    assert sorted(names(get(state.series))) == ["A2", "B"]


async def test_deleting_a_series_reaches_the_states_story_list(state):
    w = state.writing
    saga = await w.create_series({"name": "Saga"})
    story = await w.create_story({"title": "Book", "series_id": saga.id})
    alone = Watch(w.stories_in(None))
    await w.settle()
    assert alone.value == []
    await w.delete_series(saga.id)
    assert names(alone.value) == ["Book"]
    (shown,) = get(state.stories)
    assert (shown.id, shown.series_id) == (story.id, None)
    assert get(state.series) == []


async def test_a_record_lookup_says_loading_found_and_gone(state):
    w = state.writing
    story = await w.create_story({"title": "Book"})
    one = Watch(w.story(story.id))
    assert one.value == Lookup(False)
    await w.settle()
    assert one.value.loaded and one.value.record.title == "Book"
    await w.update_story(story.id, {"title": "Book 2"})
    assert one.value.record.title == "Book 2"
    await w.delete_story(story.id)
    assert one.value == Lookup(True, None)
    missing = Watch(w.story("nope"))
    await w.settle()
    assert missing.value == Lookup(True, None)


async def test_bulk_lore_operations_reach_the_global_lorebook_of_the_state(state):
    w = state.writing
    made = [await w.create_entry(Layer("global", None), {"name": n}) for n in "abc"]
    assert names(get(state.global_lorebook)) == ["a", "b", "c"]
    live = Watch(w.lore_of(Layer("global", None)).items)
    await w.settle()
    change = await w.set_enabled([made[0].id, made[1].id], False)
    assert [e.enabled for e in get(state.global_lorebook)] == [False, False, True]
    assert [e.enabled for e in live.value] == [False, False, True]
    await w.undo(change)
    assert all(e.enabled for e in get(state.global_lorebook))
    deleted = await w.delete_entries([made[2].id])
    assert names(get(state.global_lorebook)) == ["a", "b"]
    assert names(live.value) == ["a", "b"]
    await w.undo(deleted)
    assert names(live.value) == ["a", "b", "c"]


async def test_promoting_moves_an_entry_between_the_live_layers(state):
    w = state.writing
    saga = await w.create_series({"name": "Saga"})
    story = await w.create_story({"title": "Book", "series_id": saga.id})
    entry = await w.create_entry(Layer("story", story.id), {"name": "Dragon"})
    in_story = Watch(w.lore_of(Layer("story", story.id)).items)
    in_series = Watch(w.lore_of(Layer("series", saga.id)).items)
    await w.settle()
    target = await w.promotion(entry.id)
    assert target == Layer("series", saga.id)
    await w.move_entry(entry.id, target)
    assert (names(in_story.value), names(in_series.value)) == ([], ["Dragon"])
    assert await w.demotion(entry.id, "story", story.id) == Layer("story", story.id)


async def test_the_layers_a_story_sees_follow_it_into_another_series(state):
    w = state.writing
    saga = await w.create_series({"name": "Saga"})
    story = await w.create_story({"title": "Book"})
    layers = Watch(w.layers("story", story.id))
    from tests._wait import eventually

    await eventually(lambda: layers.value == [("global", None), ("story", story.id)], "layers")
    await w.assign_series(story.id, saga.id)
    await eventually(
        lambda: layers.value == [("global", None), ("series", saga.id), ("story", story.id)],
        "the series layer",
    )
    gone = Watch(w.layers("story", "nope"))
    await eventually(lambda: gone.value == [], "no layers for a missing story")


async def test_chapters_and_beats(state):
    w = state.writing
    story = await w.create_story({"title": "Book"})
    chapters = Watch(w.chapters_of(story.id))
    one = await w.create_chapter(story.id, {"title": "One"})
    await w.create_chapter(story.id, {"title": "Two"})
    await w.settle()
    assert names(chapters.value) == ["One", "Two"]
    await w.move_chapter(one.id, 1)
    assert names(chapters.value) == ["Two", "One"]
    beats = Watch(w.beats_of(one.id))
    await w.settle()
    await w.save_chapter_text(one.id, "Hello world.")
    beat = await w.create_beat(one.id, "Wave", 6)
    assert [b.content for b in beats.value] == ["Wave"]
    await w.save_chapter_text(one.id, "Oh. Hello world.")
    assert beats.value[0].position == 10
    await w.update_beat(beat.id, {"content": "Wave back"})
    await w.delete_beat(beat.id)
    assert beats.value == []
    await w.delete_chapter(one.id)
    assert names(chapters.value) == ["Two"]
