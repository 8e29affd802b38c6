"""The lorebook screen's repository side: scope chains, promote/demote targets, who sees
a layer, and bulk operations with undo."""

import pytest

from app.domain import InvalidDataError, NotFoundError
from app.domain.lorebook import Layer

RUN_IN_BROWSER = True


@pytest.fixture
async def world(domain):
    d = domain
    saga = await d.series.create({"name": "Saga"})
    book1 = await d.stories.stories.create({"title": "Book 1", "series_id": saga.id})
    await d.stories.stories.create({"title": "Book 2", "series_id": saga.id})
    loose = await d.stories.stories.create({"title": "Loose"})
    ada = await d.characters.create({"name": "Ada"})
    chat = await d.chats.create({"character_id": ada.id, "title": "Tea"})
    lone = await d.chats.create({})
    module = await d.modules.create_attached({"name": "Magic"}, "character", ada.id)
    e = {}

    async def entry(name, level, scope=None, **extra):
        e[name] = await d.lorebook.create(
            {"name": name, "level": level, "scope_id": scope, "keys": [name], **extra}
        )

    await entry("g", "global")
    await entry("saga", "series", saga.id)
    await entry("book1", "story", book1.id)
    await entry("loose", "story", loose.id)
    await entry("ada", "character", ada.id)
    await entry("chat", "chat", chat.id)
    await entry("lone", "chat", lone.id)
    await entry("magic", "module", module.id)
    return dict(
        saga=saga, book1=book1, loose=loose, ada=ada, chat=chat, lone=lone, module=module, e=e
    )


async def test_chains(domain, world):
    w = world
    lore = domain.lorebook
    assert await lore.chain("global") == [Layer("global", None)]
    assert await lore.chain("series", w["saga"].id) == [("global", None), ("series", w["saga"].id)]
    assert await lore.chain("story", w["book1"].id) == [
        ("global", None),
        ("series", w["saga"].id),
        ("story", w["book1"].id),
    ]
    assert await lore.chain("story", w["loose"].id) == [("global", None), ("story", w["loose"].id)]
    assert await lore.chain("chat", w["chat"].id) == [
        ("global", None),
        ("character", w["ada"].id),
        ("chat", w["chat"].id),
        ("module", w["module"].id),
    ]
    assert await lore.chain("chat", w["lone"].id) == [("global", None), ("chat", w["lone"].id)]
    assert await lore.chain("character", w["ada"].id) == [
        ("global", None),
        ("character", w["ada"].id),
        ("module", w["module"].id),
    ]
    assert await lore.chain("module", w["module"].id) == [("module", w["module"].id)]
    with pytest.raises(NotFoundError):
        await lore.chain("story", "nope")


async def test_seen_by_lists_every_entry_disabled_ones_too(domain, world):
    w = world
    await domain.lorebook.update(w["e"]["g"].id, {"enabled": False})
    seen = await domain.lorebook.seen_by("story", w["book1"].id)
    assert {layer.level: [x.name for x in entries] for layer, entries in seen.items()} == {
        "global": ["g"],
        "series": ["saga"],
        "story": ["book1"],
    }


async def test_promotion_targets(domain, world):
    w, e, lore = world, world["e"], domain.lorebook
    assert await lore.promotion(e["book1"].id) == ("series", w["saga"].id)
    assert await lore.promotion(e["loose"].id) == ("global", None)
    assert await lore.promotion(e["saga"].id) == ("global", None)
    assert await lore.promotion(e["chat"].id) == ("character", w["ada"].id)
    assert await lore.promotion(e["lone"].id) == ("global", None)
    assert await lore.promotion(e["ada"].id) == ("global", None)
    assert await lore.promotion(e["g"].id) is None
    assert await lore.promotion(e["magic"].id) is None


async def test_demotion_targets_go_one_level_toward_the_screens_scope(domain, world):
    w, e, lore = world, world["e"], domain.lorebook
    book1, loose = w["book1"].id, w["loose"].id
    assert await lore.demotion(e["g"].id, "story", book1) == ("series", w["saga"].id)
    assert await lore.demotion(e["saga"].id, "story", book1) == ("story", book1)
    assert await lore.demotion(e["book1"].id, "story", book1) is None  # its own
    assert await lore.demotion(e["g"].id, "story", loose) == ("story", loose)
    assert await lore.demotion(e["saga"].id, "story", loose) is None  # not seen there
    assert await lore.demotion(e["g"].id, "chat", w["chat"].id) == ("character", w["ada"].id)
    assert await lore.demotion(e["ada"].id, "chat", w["chat"].id) == ("chat", w["chat"].id)
    assert await lore.demotion(e["magic"].id, "chat", w["chat"].id) is None
    assert await lore.demotion(e["g"].id, "global", None) is None


async def test_audience_says_who_sees_a_layer(domain, world):
    w, lore = world, domain.lorebook
    assert (await lore.audience(Layer("global", None))).who == "every story and every chat"
    series = await lore.audience(Layer("series", w["saga"].id))
    assert (series.who, series.count) == ("the 2 stories of the series “Saga”", 2)
    assert (await lore.audience(Layer("story", w["loose"].id))).who == "only the story “Loose”"
    assert (await lore.audience(Layer("character", w["ada"].id))).who == "the 1 chat with “Ada”"
    assert (await lore.audience(Layer("chat", w["chat"].id))).who == "only the chat “Tea”"
    assert (await lore.audience(Layer("chat", w["lone"].id))).who == "only this chat"
    module = await lore.audience(Layer("module", w["module"].id))
    assert module.who == "the 1 character or chat using the module “Magic”"


async def test_bulk_disable_and_undo(domain, world):
    e, lore = world["e"], domain.lorebook
    ids = [e["g"].id, e["saga"].id, e["book1"].id]
    change = await lore.set_enabled(ids, False)
    assert (change.what, change.count) == ("Disabled", 3)
    assert [x.enabled for x in await lore.list() if x.id in ids] == [False] * 3
    # an edit made after the bulk operation survives its undo
    await lore.update(e["saga"].id, {"content": "edited"})
    assert await lore.undo(change) == 3
    after = {x.id: x for x in await lore.list()}
    assert all(after[i].enabled for i in ids)
    assert after[e["saga"].id].content == "edited"


async def test_bulk_delete_and_undo_brings_them_back_with_their_ids(domain, world):
    e, lore = world["e"], domain.lorebook
    ids = [e["g"].id, e["book1"].id]
    before = {i: (await lore.require(i)).model_dump(exclude={"updated_at"}) for i in ids}
    change = await lore.delete_many(ids)
    assert change.what == "Deleted"
    assert [await lore.get(i) for i in ids] == [None, None]
    assert await lore.undo(change) == 2
    for i in ids:
        assert (await lore.require(i)).model_dump(exclude={"updated_at"}) == before[i]
    assert await lore.undo(change) == 0  # nothing left to undo


async def test_bulk_move_validates_the_target_once_and_is_atomic(domain, world):
    w, e, lore = world, world["e"], domain.lorebook
    ids = [e["book1"].id, e["loose"].id]
    with pytest.raises(InvalidDataError):
        await lore.move_many(ids, "series", "no-such-series")
    assert [(await lore.require(i)).level for i in ids] == ["story", "story"]
    change = await lore.move_many(ids, "series", w["saga"].id)
    assert {(await lore.require(i)).scope_id for i in ids} == {w["saga"].id}
    await lore.undo(change)
    assert [(await lore.require(i)).scope_id for i in ids] == [w["book1"].id, w["loose"].id]


async def test_a_bulk_operation_on_a_missing_entry_changes_nothing(domain, world):
    e, lore = world["e"], domain.lorebook
    with pytest.raises(NotFoundError):
        await lore.set_enabled([e["g"].id, "gone"], False)
    assert (await lore.require(e["g"].id)).enabled


async def test_undo_that_cannot_go_back_fails_whole(domain, world):
    w, e, lore = world, world["e"], domain.lorebook
    change = await lore.move_many([e["g"].id, e["loose"].id], "series", w["saga"].id)
    await domain.stories.stories.delete(w["loose"].id)
    with pytest.raises(InvalidDataError):
        await lore.undo(change)
    assert (await lore.require(e["g"].id)).level == "series"  # nothing was undone


async def test_undo_of_a_delete_skips_ids_made_again(domain, world):
    e, lore = world["e"], domain.lorebook
    change = await lore.delete_many([e["g"].id])
    await lore.create({"id": e["g"].id, "level": "global", "name": "again"})
    assert await lore.undo(change) == 0
    assert (await lore.require(e["g"].id)).name == "again"
