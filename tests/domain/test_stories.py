"""Chapters' text and scene beats: beats stay attached to their point as the text changes."""

import pytest

from app.domain import StorageFullError

RUN_IN_BROWSER = True

TEXT = "The door creaked. Mara stepped in.\n\nThe hall was dark and cold."


@pytest.fixture
async def chapter(domain):
    story = await domain.stories.stories.create({"title": "Dune"})
    return await domain.stories.chapters.create(
        {"story_id": story.id, "title": "One", "content": TEXT}
    )


def point_text(content, beat, size=4):
    return content[beat.position : beat.position + size]


async def test_a_beat_is_attached_at_a_point_or_at_the_end(domain, chapter):
    s = domain.stories
    at_mara = await s.create_scene_beat(
        chapter.id, {"content": "She sees the ghost", "position": TEXT.index("Mara")}
    )
    at_end = await s.create_scene_beat(chapter.id, {"content": "Cliffhanger"})
    assert at_mara.story_id == chapter.story_id
    assert point_text(TEXT, at_mara) == "Mara"
    assert at_mara.context_before == "The door creaked. "
    assert at_end.position == len(TEXT)
    assert [b.content for b in await s.scene_beats.for_chapter(chapter.id)] == [
        "She sees the ghost",
        "Cliffhanger",
    ]


async def test_beats_are_in_text_order_whatever_order_they_were_made_in(domain, chapter):
    s = domain.stories
    await s.create_scene_beat(chapter.id, {"content": "late", "position": TEXT.index("hall")})
    await s.create_scene_beat(chapter.id, {"content": "early", "position": 0})
    assert [b.content for b in await s.scene_beats.for_chapter(chapter.id)] == ["early", "late"]


async def test_saving_text_moves_the_beats_with_it(domain, chapter):
    s = domain.stories
    beat = await s.create_scene_beat(
        chapter.id, {"content": "x", "position": TEXT.index("The hall")}
    )
    new = "Night fell.\n\n" + TEXT.replace("dark", "pitch dark")
    saved = await s.save_chapter_text(chapter.id, new)
    assert saved.content == new
    (after,) = await s.scene_beats.for_chapter(chapter.id)
    assert new[after.position :].startswith("The hall")
    assert after.id == beat.id


async def test_saving_the_same_text_writes_nothing(domain, chapter):
    seen = []
    domain.store.on("changes", seen.append)
    await domain.stories.save_chapter_text(chapter.id, TEXT)
    assert seen == []


async def test_text_and_beats_are_saved_together_or_not_at_all(faulty):
    from app.db.errors import QuotaExceededError

    domain, injector = faulty
    s = domain.stories
    story = await s.stories.create({"title": "Dune"})
    chapter = await s.chapters.create({"story_id": story.id, "content": TEXT})
    beat = await s.create_scene_beat(chapter.id, {"content": "x", "position": TEXT.index("Mara")})
    injector.fail_writes("scene_beats", QuotaExceededError("quota"))
    with pytest.raises(StorageFullError):
        await s.save_chapter_text(chapter.id, "Prologue. " + TEXT)
    injector.heal()
    assert (await s.chapters.require(chapter.id)).content == TEXT
    assert (await s.scene_beats.require(beat.id)).position == beat.position


async def test_moving_a_beat_past_a_neighbour_takes_its_point(domain, chapter):
    s = domain.stories
    first = await s.create_scene_beat(chapter.id, {"content": "first", "position": 0})
    second = await s.create_scene_beat(
        chapter.id, {"content": "second", "position": TEXT.index("Mara")}
    )
    third = await s.create_scene_beat(chapter.id, {"content": "third"})
    await s.scene_beats.move_by(third.id, -1)
    beats = await s.scene_beats.for_chapter(chapter.id)
    assert [b.content for b in beats] == ["first", "third", "second"]
    assert beats[1].position == second.position
    await s.scene_beats.move_by(first.id, 1)
    beats = await s.scene_beats.for_chapter(chapter.id)
    assert [b.content for b in beats] == ["third", "first", "second"]
    assert {b.position for b in beats} == {second.position}


async def test_attach_a_beat_elsewhere(domain, chapter):
    s = domain.stories
    beat = await s.create_scene_beat(chapter.id, {"content": "x", "position": 0})
    other = await s.create_scene_beat(
        chapter.id, {"content": "y", "position": TEXT.index("The hall")}
    )
    moved = await s.attach_beat(beat.id, TEXT.index("The hall"))
    assert moved.position == other.position
    assert [b.content for b in await s.scene_beats.for_chapter(chapter.id)] == ["y", "x"]
