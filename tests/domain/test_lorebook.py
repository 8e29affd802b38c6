"""Lorebook scopes: validation, what a story or chat sees, promotion, series and stories."""

import pytest

from app.domain import InvalidDataError, NotFoundError

RUN_IN_BROWSER = True


@pytest.fixture
async def world(domain):
    """Two series, stories in and out of them, a character with chats and a module."""
    d = domain
    saga = await d.series.create({"name": "Saga"})
    other_series = await d.series.create({"name": "Other"})
    book1 = await d.stories.stories.create({"title": "Book 1", "series_id": saga.id})
    book2 = await d.stories.stories.create({"title": "Book 2", "series_id": saga.id})
    loose = await d.stories.stories.create({"title": "Loose"})
    ada = await d.characters.create({"name": "Ada"})
    chat = await d.chats.create({"character_id": ada.id})
    lone_chat = await d.chats.create({})
    module = await d.modules.modules.create({"name": "Magic"})
    off_module = await d.modules.modules.create({"name": "Off", "enabled": False})
    e = {}

    async def entry(name, level, scope=None, **extra):
        e[name] = await d.lorebook.create(
            {"name": name, "level": level, "scope_id": scope, "keys": [name], **extra}
        )

    await entry("g", "global", tags=["hero"], category="character")
    await entry("g_off", "global", enabled=False)
    await entry("saga", "series", saga.id, tags=["hero"], category="location")
    await entry("other_series", "series", other_series.id)
    await entry("book1", "story", book1.id, category="location")
    await entry("book2", "story", book2.id)
    await entry("loose", "story", loose.id, tags=["hero"])
    await entry("ada", "character", ada.id, category="character")
    await entry("chat", "chat", chat.id)
    await entry("lone", "chat", lone_chat.id)
    await entry("magic", "module", module.id)
    await entry("off_module", "module", off_module.id)
    return {
        "saga": saga,
        "other_series": other_series,
        "book1": book1,
        "book2": book2,
        "loose": loose,
        "ada": ada,
        "chat": chat,
        "lone_chat": lone_chat,
        "module": module,
        "off_module": off_module,
        "entries": e,
    }


def names(entries):
    return [e.name for e in entries]


async def test_scope_must_exist_for_its_level(domain, world):
    with pytest.raises(InvalidDataError, match="scope_id: no series with id 'nope'"):
        await domain.lorebook.create({"level": "series", "scope_id": "nope"})
    # a story id is not a series id
    with pytest.raises(InvalidDataError, match="scope_id: no series"):
        await domain.lorebook.create({"level": "series", "scope_id": world["book1"].id})
    with pytest.raises(InvalidDataError, match='scope_id: required when level is "chat"'):
        await domain.lorebook.create({"level": "chat"})


async def test_what_a_story_sees(domain, world):
    assert names(await domain.lorebook.for_story(world["book1"].id)) == ["g", "saga", "book1"]
    assert names(await domain.lorebook.for_story(world["loose"].id)) == ["g", "loose"]
    with pytest.raises(NotFoundError):
        await domain.lorebook.for_story("ghost")


async def test_what_a_chat_sees(domain, world):
    chat = world["chat"]
    assert names(await domain.lorebook.for_chat(chat.id)) == ["g", "ada", "chat"]
    await domain.modules.links.attach(world["module"].id, "character", world["ada"].id)
    await domain.modules.links.attach(world["off_module"].id, "chat", chat.id)
    assert names(await domain.lorebook.for_chat(chat.id)) == ["g", "ada", "chat", "magic"]
    assert names(await domain.lorebook.for_chat(world["lone_chat"].id)) == ["g", "lone"]
    link = (await domain.modules.links.for_target("character", world["ada"].id))[0]
    await domain.modules.links.update(link.id, {"enabled": False})
    assert names(await domain.lorebook.for_chat(chat.id)) == ["g", "ada", "chat"]
    await domain.modules.links.attach(world["module"].id, "chat", chat.id)
    assert [m.name for m in await domain.modules.enabled_for_chat(chat.id)] == ["Magic"]


async def test_disabled_entries_are_not_seen(domain, world):
    book1 = world["book1"]
    await domain.lorebook.update(world["entries"]["saga"].id, {"enabled": False})
    assert names(await domain.lorebook.for_story(book1.id)) == ["g", "book1"]
    assert "g_off" in names(await domain.lorebook.by_level("global"))
    assert "g_off" not in names(await domain.lorebook.by_level("global", include_disabled=False))


async def test_by_level(domain, world):
    assert names(await domain.lorebook.by_level("global", "ignored")) == ["g", "g_off"]
    assert names(await domain.lorebook.by_level("series", world["saga"].id)) == ["saga"]
    assert sorted(names(await domain.lorebook.by_level("series"))) == ["other_series", "saga"]
    assert names(await domain.lorebook.by_level("story", world["book2"].id)) == ["book2"]


async def test_by_tag_and_category_with_level_filtering(domain, world):
    assert names(await domain.lorebook.by_tag("hero")) == ["g", "saga", "loose"]
    assert names(await domain.lorebook.by_tag("hero", level="series")) == ["saga"]
    assert names(
        await domain.lorebook.by_tag("hero", level="story", scope_id=world["loose"].id)
    ) == ["loose"]
    assert names(await domain.lorebook.by_category("location")) == ["saga", "book1"]
    assert names(await domain.lorebook.by_category("character", level="character")) == ["ada"]


async def test_promote_and_demote_keep_the_id_and_validate_the_target(domain, world):
    lore = domain.lorebook
    entry = world["entries"]["book1"]
    promoted = await lore.promote_to_series(entry.id, world["saga"].id)
    assert (promoted.id, promoted.level, promoted.scope_id) == (
        entry.id,
        "series",
        world["saga"].id,
    )
    assert "book1" in names(await lore.for_story(world["book2"].id))
    glob = await lore.promote_to_global(entry.id)
    assert (glob.id, glob.level, glob.scope_id) == (entry.id, "global", None)
    assert "book1" in names(await lore.for_story(world["loose"].id))
    series_again = await lore.demote_to_series(entry.id, world["other_series"].id)
    assert series_again.scope_id == world["other_series"].id
    back = await lore.demote_to_story(entry.id, world["book1"].id)
    assert (back.id, back.level, back.scope_id) == (entry.id, "story", world["book1"].id)
    assert back.content == entry.content and back.keys == entry.keys

    with pytest.raises(InvalidDataError, match="scope_id: no story with id 'ghost'"):
        await lore.demote_to_story(entry.id, "ghost")
    with pytest.raises(InvalidDataError, match='scope_id: required when level is "series"'):
        await lore.move(entry.id, "series")
    assert (await lore.require(entry.id)).level == "story"  # a failed move changes nothing
    chat_entry = await lore.move(entry.id, "chat", world["chat"].id)
    assert chat_entry.level == "chat"


async def test_series_crud_and_story_assignment(domain, world):
    saga = world["saga"]
    renamed = await domain.series.update(saga.id, {"name": "Saga!"})
    assert renamed.name == "Saga!"
    assert [s.title for s in await domain.stories.stories.in_series(saga.id)] == [
        "Book 1",
        "Book 2",
    ]
    moved = await domain.stories.stories.assign_series(world["loose"].id, saga.id)
    assert moved.series_id == saga.id
    assert "saga" in names(await domain.lorebook.for_story(moved.id))
    out = await domain.stories.stories.assign_series(moved.id, None)
    assert out.series_id is None
    with pytest.raises(InvalidDataError, match="series_id: no series"):
        await domain.stories.stories.assign_series(moved.id, "ghost")


async def test_deleting_a_series_orphans_stories_and_deletes_only_series_entries(domain, world):
    saga = world["saga"]
    await domain.series.delete(saga.id)
    for key in ("book1", "book2"):
        story = await domain.stories.stories.require(world[key].id)
        assert story.series_id is None
    remaining = set(names(await domain.lorebook.list()))
    assert "saga" not in remaining
    assert {"g", "g_off", "other_series", "book1", "book2", "loose"} <= remaining
    assert names(await domain.lorebook.for_story(world["book1"].id)) == ["g", "book1"]


async def test_deleting_a_story_deletes_chapters_beats_and_story_entries_only(domain, world):
    stories = domain.stories
    book1, book2 = world["book1"], world["book2"]
    ch = await stories.chapters.create({"story_id": book1.id, "title": "1"})
    await stories.create_scene_beat(ch.id, {"content": "beat"})
    other_ch = await stories.chapters.create({"story_id": book2.id, "title": "1"})
    other_beat = await stories.create_scene_beat(other_ch.id, {"content": "beat"})
    before = set(names(await domain.lorebook.list()))

    await stories.stories.delete(book1.id)

    assert [c.id for c in await stories.chapters.list()] == [other_ch.id]
    assert [b.id for b in await stories.scene_beats.list()] == [other_beat.id]
    assert set(names(await domain.lorebook.list())) == before - {"book1"}
    assert await domain.series.get(world["saga"].id) is not None
    assert await stories.stories.get(book2.id) is not None


async def test_scene_beat_must_belong_to_its_chapters_story(domain, world):
    ch = await domain.stories.chapters.create({"story_id": world["book1"].id})
    with pytest.raises(InvalidDataError, match="chapter_id: belongs to another story"):
        await domain.stories.scene_beats.create(
            {"story_id": world["book2"].id, "chapter_id": ch.id}
        )
