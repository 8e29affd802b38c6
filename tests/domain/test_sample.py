"""The sample library: one click adds it, it holds something at every level, it leaves."""

from __future__ import annotations

from app.domain.sample import SampleLibrary
from tests.domain._support import dump_tables

RUN_IN_BROWSER = True


async def test_the_sample_holds_something_for_every_screen(domain):
    sample = SampleLibrary(domain)
    assert not await sample.present()
    await sample.add()
    assert await sample.present()

    [character] = await domain.characters.list()
    assert character.name and character.first_message and character.alternate_greetings
    assert len(await domain.lorebook.by_level("character", character.id)) >= 2
    [chat] = await domain.chats.find({"character_id": character.id})
    assert chat.message_count >= 3 and chat.preview, "the chat's preview is kept in step"
    assert await domain.lorebook.by_level("chat", chat.id)
    [series] = await domain.series.list()
    [story] = await domain.stories.stories.find({"series_id": series.id})
    chapters = await domain.stories.chapters.find({"story_id": story.id})
    assert len(chapters) >= 3
    assert await domain.stories.scene_beats.find({"story_id": story.id})
    seen = await domain.lorebook.for_story(story.id)
    assert {e.level for e in seen} == {"global", "series", "story"}


async def test_adding_it_twice_changes_nothing(domain):
    sample = SampleLibrary(domain)
    await sample.add()
    [character] = await domain.characters.list()
    await domain.characters.update(character.id, {"name": "My Wren"})
    before = await dump_tables(domain.store.db)
    report = await sample.add()
    assert not report.written
    assert await dump_tables(domain.store.db) == before


async def test_removing_it_takes_what_hangs_off_it_and_keeps_the_rest(domain):
    sample = SampleLibrary(domain)
    await sample.add()
    [character] = await domain.characters.list()
    [chat] = await domain.chats.find({"character_id": character.id})
    await domain.messages.create({"chat_id": chat.id, "role": "user", "content": "mine"})
    [series] = await domain.series.list()
    [story] = await domain.stories.stories.find({"series_id": series.id})
    await domain.stories.chapters.create({"story_id": story.id, "title": "My chapter"})
    own_story = await domain.stories.stories.create({"title": "Mine", "series_id": series.id})
    own_character = await domain.characters.create({"name": "Mine"})
    own_entry = await domain.lorebook.create({"level": "global", "name": "mine", "keys": ["m"]})

    await sample.remove()
    assert not await sample.present()
    assert [c.id for c in await domain.characters.list()] == [own_character.id]
    assert [s.id for s in await domain.stories.stories.list()] == [own_story.id]
    assert (await domain.stories.stories.get(own_story.id)).series_id is None
    assert await domain.messages.list() == []
    assert await domain.stories.chapters.list() == []
    assert [e.id for e in await domain.lorebook.list()] == [own_entry.id]
