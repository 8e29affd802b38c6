"""Export and import: formats, validation before writing, conflicts, round trip."""

import json

import pytest

from app.domain import ImportOptions, InvalidDataError, NotFoundError, open_domain, parse_file
from tests.domain._populate import populate
from tests.domain._support import FakeClock, dump_tables, memory_db

RUN_IN_BROWSER = True


@pytest.fixture
async def empty():
    db = memory_db()
    domain = await open_domain(db, clock=FakeClock())
    yield domain
    await db.delete()


async def test_full_round_trip_reproduces_every_table(domain, db, empty):
    await populate(domain)
    exported = await domain.transfer.export_full(include_secrets=True)
    text = json.dumps(exported)  # a real file: JSON text
    report = await empty.transfer.import_file(text)
    source, target = await dump_tables(db), await dump_tables(empty.store.db)
    assert set(source) == set(target)
    assert all(source[t] for t in source), "every table is populated"
    for table in source:
        assert target[table] == source[table], table
    assert report.written["lorebook_entries"] == 8 and not report.orphaned


async def test_one_bad_record_imports_nothing_and_names_the_record(domain, empty):
    await populate(domain)
    exported = await domain.transfer.export_full()
    bad = exported["lorebook_entries"][3]
    bad["level"], bad["scope_id"] = "series", None
    with pytest.raises(InvalidDataError) as info:
        await empty.transfer.import_file(exported)
    assert str(info.value) == 'lorebook_entries[3].scope_id: required when level is "series"'
    assert all(not rows for rows in (await dump_tables(empty.store.db)).values())


async def test_every_error_is_reported_with_its_path(domain):
    data = {
        "format": "lorekeeper",
        "type": "full",
        "version": 1,
        "characters": [{"name": ""}, {"name": "ok"}, "junk"],
        "messages": [{"chat_id": "c", "role": "robot"}],
        "settings": [{"key": "font_size", "value": 999}, {"key": "nope", "value": 1}],
    }
    with pytest.raises(InvalidDataError) as info:
        parse_file(data)
    paths = [e.path for e in info.value.errors]
    assert paths == [
        "settings[0].value",
        "settings[1].key",
        "characters[0].name",
        "characters[2]",
        "messages[0].role",
    ]


async def test_dangling_references_are_errors_and_nothing_is_written(empty):
    data = {
        "format": "lorekeeper",
        "type": "full",
        "version": 1,
        "characters": [{"id": "c1", "name": "Ada"}],
        "lorebook_entries": [
            {"id": "e1", "level": "character", "scope_id": "c1"},
            {"id": "e2", "level": "story", "scope_id": "ghost-story"},
        ],
    }
    with pytest.raises(
        InvalidDataError, match=r"lorebook_entries\[1\]\.scope_id: no stories record"
    ):
        await empty.transfer.import_file(data)
    assert await empty.characters.count() == 0


@pytest.mark.parametrize(
    ("head", "message"),
    [
        ({"format": "other", "type": "full", "version": 1}, "format:"),
        ({"format": "lorekeeper", "type": "zip", "version": 1}, "type:"),
        (
            {"format": "lorekeeper", "type": "full", "version": 9},
            "version: made by a newer Lorekeeper",
        ),
    ],
)
def test_envelope_is_checked(head, message):
    with pytest.raises(InvalidDataError, match=message):
        parse_file(head)


def test_not_json_and_duplicates():
    with pytest.raises(InvalidDataError, match="not a JSON file"):
        parse_file("{nope")
    with pytest.raises(InvalidDataError, match=r"personas\[1\]\.id: duplicate of personas\[0\]"):
        parse_file(
            {
                "format": "lorekeeper",
                "type": "full",
                "version": 1,
                "personas": [{"id": "p", "name": "a"}, {"id": "p", "name": "b"}],
            }
        )


async def test_selective_import(domain, empty):
    await populate(domain)
    exported = await domain.transfer.export_full()
    options = ImportOptions.only("characters", "lorebooks", "settings")
    report = await empty.transfer.import_file(exported, options)
    assert await empty.characters.count() == 1
    assert await empty.chats.count() == 0 and await empty.providers.api_keys.count() == 0
    assert await empty.settings.get("theme") == "dark"
    # entries whose scope was not imported are left out; global and character ones come in
    levels = sorted(e.level for e in await empty.lorebook.list())
    assert levels == ["character", "global"]
    assert report.skipped_unselected["chats"] == 2
    assert report.skipped_unselected["lorebook_entries"] == 6
    with pytest.raises(ValueError, match="unknown import sections"):
        await empty.transfer.import_file(exported, ImportOptions.only("everything"))


async def test_optional_references_to_missing_records_are_cleared(domain, empty):
    w = await populate(domain)
    exported = await domain.transfer.export_full()
    report = await empty.transfer.import_file(
        exported, ImportOptions.only("provider_configs", "chats")
    )
    config = await empty.providers.configs.require(w.config.id)
    assert config.api_key_id is None
    chat = await empty.chats.require(w.chat.id)
    assert chat.character_id is None and chat.folder_id is None
    assert chat.preview == "Hi" and chat.message_count == 2
    assert any("api_key_id" in o for o in report.orphaned)


async def test_conflicts_skip_overwrite_and_copy(domain):
    w = await populate(domain)
    exported = await domain.transfer.export_chat(w.chat.id)
    await domain.chats.update(w.chat.id, {"title": "renamed"})

    skipped = await domain.transfer.import_file(exported, ImportOptions(on_conflict="skip"))
    assert skipped.skipped_existing == {"chats": 1, "messages": 2, "lorebook_entries": 1}
    assert (await domain.chats.require(w.chat.id)).title == "renamed"

    await domain.transfer.import_file(exported, ImportOptions(on_conflict="overwrite"))
    assert (await domain.chats.require(w.chat.id)).title == ""

    copied = await domain.transfer.import_file(exported, ImportOptions(on_conflict="copy"))
    new_chat_id = copied.id_map[w.chat.id]
    assert new_chat_id != w.chat.id
    copy_messages = await domain.messages.for_chat(new_chat_id)
    assert [m.content for m in copy_messages] == ["Hello", {"text": "Hi"}]
    assert {m.id for m in copy_messages}.isdisjoint({w.m1.id, w.m2.id})
    copy_entries = await domain.lorebook.by_level("chat", new_chat_id)
    assert [e.name for e in copy_entries] == ["chat"]
    new_chat = await domain.chats.require(new_chat_id)
    assert new_chat.last_message_id == copy_messages[-1].id and new_chat.message_count == 2
    assert len(await domain.messages.for_chat(w.chat.id)) == 2  # the original is untouched


async def test_chat_export(domain, empty):
    w = await populate(domain)
    data = await domain.transfer.export_chat(w.chat.id)
    assert data["type"] == "chat" and data["version"] == 1
    assert [m["id"] for m in data["messages"]] == [w.m1.id, w.m2.id]
    assert [e["name"] for e in data["lorebook_entries"]] == ["chat"]
    await empty.transfer.import_file(data)
    assert len(await empty.messages.for_chat(w.chat.id)) == 2
    with pytest.raises(NotFoundError):
        await domain.transfer.export_chat("ghost")


async def test_folder_export_holds_the_tree_and_its_chats(domain, empty):
    w = await populate(domain)
    data = await domain.transfer.export_folder(w.folder.id)
    assert [f["id"] for f in data["folders"]] == [w.folder.id, w.sub.id]
    assert {c["id"] for c in data["chats"]} == {w.chat.id, w.sub_chat.id}
    assert len(data["messages"]) == 3
    assert {e["name"] for e in data["lorebook_entries"]} == {"chat", "sub_chat"}
    await empty.transfer.import_file(data)
    assert (await empty.chats.require(w.sub_chat.id)).folder_id == w.sub.id


async def test_story_export_has_series_metadata_but_no_series_or_global_entries(domain, empty):
    w = await populate(domain)
    data = await domain.transfer.export_story(w.story.id)
    assert data["series"]["id"] == w.saga.id
    assert [e["name"] for e in data["lorebook_entries"]] == ["book"]
    assert [c["id"] for c in data["chapters"]] == [w.chapter.id]
    assert [b["id"] for b in data["scene_beats"]] == [w.beat.id]
    await empty.transfer.import_file(data)
    assert (await empty.stories.stories.require(w.story.id)).series_id == w.saga.id
    assert (await empty.series.require(w.saga.id)).name == "Saga"
    assert [e.name for e in await empty.lorebook.for_story(w.story.id)] == ["book"]

    # the series metadata never overwrites or copies an existing series
    await empty.series.update(w.saga.id, {"name": "Mine"})
    await empty.transfer.import_file(data, ImportOptions(on_conflict="overwrite"))
    assert (await empty.series.require(w.saga.id)).name == "Mine"


async def test_story_file_with_a_foreign_entry_is_rejected(domain):
    w = await populate(domain)
    data = await domain.transfer.export_story(w.story.id)
    data["lorebook_entries"].append(
        {**data["lorebook_entries"][0], "id": "x", "level": "global", "scope_id": None}
    )
    with pytest.raises(InvalidDataError, match=r'lorebook_entries\[1\]\.level: must be "story"'):
        parse_file(data)


async def test_series_export_and_import(domain, empty):
    w = await populate(domain)
    data = await domain.transfer.export_series(w.saga.id)
    assert [e["name"] for e in data["lorebook_entries"]] == ["saga"]
    assert [s["story"]["id"] for s in data["stories"]] == [w.story.id]
    assert "series" not in data["stories"][0]
    await empty.transfer.import_file(json.dumps(data))
    assert [e.name for e in await empty.lorebook.for_story(w.story.id)] == ["saga", "book"]
    assert len(await empty.stories.scene_beats.list()) == 1

    data["stories"][0]["lorebook_entries"][0]["scope_id"] = None
    with pytest.raises(
        InvalidDataError,
        match=r'stories\[0\]\.lorebook_entries\[0\]\.scope_id: required when level is "story"',
    ):
        parse_file(data)


async def test_global_lorebook_export_and_import(domain, empty):
    await populate(domain)
    data = await domain.transfer.export_global_lorebook()
    assert [e["name"] for e in data["lorebook_entries"]] == ["g"]
    await empty.transfer.import_file(data)
    imported = await empty.lorebook.by_level("global")
    assert [e.name for e in imported] == ["g"] and imported[0].extensions == {"st": {"uid": 1}}


async def test_a_full_export_leaves_api_keys_out_unless_asked(domain, empty):
    await populate(domain)
    data = await domain.transfer.export_full()
    assert "api_keys" not in data and "sk-secret" not in json.dumps(data)
    assert data["provider_configs"]  # the configs travel, without their keys
    asked = await domain.transfer.export_full(include_secrets=True)
    assert [k["value"] for k in asked["api_keys"]] == ["sk-secret"]
    await empty.transfer.import_file(asked)
    assert [k.value for k in await empty.providers.api_keys.list()] == ["sk-secret"]


async def test_imported_presets_keep_exactly_one_active(domain, empty):
    await populate(domain)
    await empty.presets.create({"name": "Local"})
    await empty.transfer.import_file(await domain.transfer.export_full())
    assert [p.name for p in await empty.presets.list() if p.is_active] == ["Default"]


async def test_references_resolve_whatever_the_order_of_records_in_the_file(empty):
    data = {
        "format": "lorekeeper",
        "type": "full",
        "version": 1,
        "folders": [  # the child comes before its parent
            {"id": "z-child", "name": "child", "kind": "chat", "parent_id": "a-parent"},
            {"id": "a-parent", "name": "parent", "kind": "chat"},
        ],
        "chats": [{"id": "c", "folder_id": "z-child"}],
    }
    report = await empty.transfer.import_file(data)
    assert not report.orphaned
    assert (await empty.folders.require("z-child")).parent_id == "a-parent"

    copied = await empty.transfer.import_file(data, ImportOptions(on_conflict="copy"))
    child_copy = await empty.folders.require(copied.id_map["z-child"])
    assert child_copy.parent_id == copied.id_map["a-parent"]
    chat_copy = await empty.chats.require(copied.id_map["c"])
    assert chat_copy.folder_id == child_copy.id
    assert (await empty.folders.require("z-child")).parent_id == "a-parent"


async def test_new_records_are_added_the_rest_put(domain):
    """What is in neither the database nor elsewhere in the file is added (nothing to
    read first); an overwritten record, or an id the file holds twice, is put (the last
    one wins, as before)."""
    from app.domain._import_plan import plan_import
    from app.domain.library import ImportChoice, Importer
    from tests.lore._samples import st_entry

    there = await domain.lorebook.create({"name": "There", "content": "old"})

    def entry(uid, name, lk_id=None):
        ext = {"lorekeeper": {"id": lk_id}} if lk_id else {}
        return st_entry(uid, comment=name, content=name, extensions=ext)

    world = {
        "entries": {
            "0": entry(0, "There again", there.id),
            "1": entry(1, "Twice, first", "twice-id"),
            "2": entry(2, "Twice, second", "twice-id"),
            "3": entry(3, "Fresh"),
        }
    }
    importer = Importer(domain)
    incoming = await importer.describe(json.dumps(world).encode(), "w.json")
    async with domain.store.transaction("rw", "lorebook_entries"):
        plan = await plan_import(domain.store, incoming.parsed, ImportOptions("overwrite"))
    names = [r["name"] for r in plan.writes["lorebook_entries"]]
    assert dict(zip(names, plan.new["lorebook_entries"], strict=True)) == {
        "There again": False,
        "Twice, first": False,
        "Twice, second": False,
        "Fresh": True,
    }
    await importer.run(incoming, ImportChoice(on_conflict="overwrite"))
    stored = {e.name: e for e in await domain.lorebook.by_level("global")}
    assert set(stored) == {"There again", "Twice, second", "Fresh"}
    assert stored["There again"].id == there.id
