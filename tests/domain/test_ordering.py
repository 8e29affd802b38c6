"""Ordering: series, stories in a series, chapters and scene beats keep the order chosen."""

import pytest

from app.domain import InvalidDataError
from app.domain._ordering import moved, renumbered

RUN_IN_BROWSER = True


def test_moved_and_renumbered():
    assert moved(["a", "b", "c"], "c", 0) == ["c", "a", "b"]
    assert moved(["a", "b", "c"], "a", 99) == ["b", "c", "a"]
    assert moved(["a", "b", "c"], "b", -5) == ["b", "a", "c"]
    with pytest.raises(ValueError):
        moved(["a"], "z", 0)
    assert renumbered({"a": 0, "b": 1, "c": 2}, ["a", "c", "b"]) == {"c": 1, "b": 2}


def titles(items):
    return [getattr(i, "title", None) or getattr(i, "name", None) for i in items]


async def test_new_chapters_go_last_and_move_up_and_down(domain):
    chapters = domain.stories.chapters
    story = await domain.stories.stories.create({"title": "Dune"})
    for title in ("One", "Two", "Three"):
        await chapters.create({"story_id": story.id, "title": title})
    listed = await chapters.for_story(story.id)
    assert titles(listed) == ["One", "Two", "Three"]
    assert [c.order for c in listed] == [0, 1, 2]

    await chapters.move_by(listed[1].id, -1)
    assert titles(await chapters.for_story(story.id)) == ["Two", "One", "Three"]
    await chapters.move_by(listed[1].id, -1)  # already first: stays
    assert titles(await chapters.for_story(story.id)) == ["Two", "One", "Three"]
    await chapters.move(listed[1].id, 2)
    assert titles(await chapters.for_story(story.id)) == ["One", "Three", "Two"]
    await chapters.reorder(story.id, [listed[2].id, listed[1].id, listed[0].id])
    assert titles(await chapters.for_story(story.id)) == ["Three", "Two", "One"]


async def test_a_move_writes_only_the_records_whose_place_changed(domain):
    chapters = domain.stories.chapters
    story = await domain.stories.stories.create({"title": "Dune"})
    made = [await chapters.create({"story_id": story.id, "title": t}) for t in "ABCD"]
    seen = []
    domain.store.on("chapters:changed", lambda changes: seen.extend(c.key for c in changes))
    await chapters.move_by(made[2].id, -1)  # A C B D
    assert sorted(seen) == sorted([made[1].id, made[2].id])


async def test_reorder_must_name_every_sibling_once(domain):
    chapters = domain.stories.chapters
    story = await domain.stories.stories.create({"title": "Dune"})
    a = await chapters.create({"story_id": story.id, "title": "A"})
    b = await chapters.create({"story_id": story.id, "title": "B"})
    for ids in ([a.id], [a.id, a.id], [a.id, b.id, "nope"]):
        with pytest.raises(InvalidDataError):
            await chapters.reorder(story.id, ids)
    assert titles(await chapters.for_story(story.id)) == ["A", "B"]


async def test_an_explicit_order_is_kept(domain):
    chapters = domain.stories.chapters
    story = await domain.stories.stories.create({"title": "Dune"})
    await chapters.create({"story_id": story.id, "title": "A"})
    made = await chapters.create({"story_id": story.id, "title": "Z", "order": -1})
    assert made.order == -1
    assert titles(await chapters.for_story(story.id)) == ["Z", "A"]


async def test_orders_are_per_story(domain):
    chapters = domain.stories.chapters
    one = await domain.stories.stories.create({"title": "One"})
    two = await domain.stories.stories.create({"title": "Two"})
    await chapters.create({"story_id": one.id, "title": "1a"})
    first_of_two = await chapters.create({"story_id": two.id, "title": "2a"})
    assert first_of_two.order == 0


async def test_series_are_ordered(domain):
    made = [await domain.series.create({"name": n}) for n in ("A", "B", "C")]
    assert titles(await domain.series.siblings(None)) == ["A", "B", "C"]
    await domain.series.move_by(made[2].id, -2)
    assert titles(await domain.series.siblings(None)) == ["C", "A", "B"]


async def test_stories_are_ordered_within_their_series_and_move_between_them(domain):
    stories = domain.stories.stories
    saga = await domain.series.create({"name": "Saga"})
    other = await domain.series.create({"name": "Other"})
    b1 = await stories.create({"title": "B1", "series_id": saga.id})
    b2 = await stories.create({"title": "B2", "series_id": saga.id})
    b3 = await stories.create({"title": "B3", "series_id": saga.id})
    o1 = await stories.create({"title": "O1", "series_id": other.id})
    alone = await stories.create({"title": "Alone"})
    assert (b1.order, b2.order, b3.order, o1.order, alone.order) == (0, 1, 2, 0, 0)

    await stories.move_by(b3.id, -1)
    assert titles(await stories.in_series(saga.id)) == ["B1", "B3", "B2"]

    moved_story = await stories.assign_series(b1.id, other.id)
    assert moved_story.series_id == other.id
    assert titles(await stories.in_series(other.id)) == ["O1", "B1"]
    saga_now = await stories.in_series(saga.id)
    assert titles(saga_now) == ["B3", "B2"]
    assert [s.order for s in saga_now] == [0, 1]  # ranks closed

    await stories.assign_series(b2.id, None)
    assert titles(await stories.standing_alone()) == ["Alone", "B2"]
    await stories.assign_series(b2.id, other.id, index=0)
    assert titles(await stories.in_series(other.id)) == ["B2", "O1", "B1"]
    with pytest.raises(InvalidDataError):
        await stories.assign_series(b2.id, "no-such-series")
    assert titles(await stories.in_series(other.id)) == ["B2", "O1", "B1"]


async def test_deleting_a_series_puts_its_stories_last_among_those_standing_alone(domain):
    stories = domain.stories.stories
    saga = await domain.series.create({"name": "Saga"})
    await stories.create({"title": "Alone"})
    await stories.create({"title": "S1", "series_id": saga.id})
    await stories.create({"title": "S2", "series_id": saga.id})
    await domain.series.delete(saga.id)
    alone = await stories.standing_alone()
    assert titles(alone) == ["Alone", "S1", "S2"]
    assert [s.order for s in alone] == [0, 1, 2]
