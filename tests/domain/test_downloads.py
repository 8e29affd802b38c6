"""Exports as files: names, API keys only when asked, no deleted record, lorebook formats."""

from __future__ import annotations

import json

import pytest

from app.domain.downloads import Exports, export_name
from app.domain.library import LoreScope, read_file

RUN_IN_BROWSER = True


@pytest.fixture
def exports(domain):
    return Exports(domain)


async def test_a_backup_is_named_and_holds_api_keys_only_when_asked(domain, exports):
    await domain.providers.api_keys.create({"name": "K", "value": "sk-secret"})
    await domain.characters.create({"name": "Ada"})
    plain = await exports.everything()
    assert plain.filename.startswith("lorekeeper-backup-2026-01-01") and plain.mime == (
        "application/json"
    )
    assert b"sk-secret" not in plain.data
    assert json.loads(plain.data)["characters"][0]["name"] == "Ada"
    with_keys = await exports.everything(include_api_keys=True)
    assert b"sk-secret" in with_keys.data
    assert read_file(with_keys.data, with_keys.filename).kind == "backup"


async def test_deleted_records_never_reach_an_export(domain, exports):
    await domain.characters.create({"name": "Keep"})
    gone = await domain.characters.create({"name": "Gone"})
    await domain.lorebook.create({"level": "character", "scope_id": gone.id, "keys": ["x"]})
    chat = await domain.chats.create({"character_id": gone.id})
    await domain.messages.create({"chat_id": chat.id, "role": "user", "content": "bye"})
    await domain.characters.delete(gone.id)
    data = json.loads((await exports.everything()).data)
    assert [c["name"] for c in data["characters"]] == ["Keep"]
    assert data["lorebook_entries"] == data["chats"] == data["messages"] == []


async def test_story_series_and_chat_exports_are_named_by_their_record(domain, exports):
    series = await domain.series.create({"name": "The Lantern Coast"})
    story = await domain.stories.stories.create({"title": "Salt & Signal!", "series_id": series.id})
    character = await domain.characters.create({"name": "Wren"})
    chat = await domain.chats.create({"character_id": character.id})
    assert (await exports.story(story.id)).filename == (
        "lorekeeper-story-salt-signal-2026-01-01.json"
    )
    assert (await exports.series(series.id)).filename == (
        "lorekeeper-series-the-lantern-coast-2026-01-01.json"
    )
    assert (await exports.chat(chat.id)).filename == "lorekeeper-chat-with-wren-2026-01-01.json"
    for file in [await exports.story(story.id), await exports.chat(chat.id)]:
        assert read_file(file.data, file.filename).kind in ("story", "chat")


async def test_a_lorebook_exports_in_each_format_and_comes_back(domain, exports):
    story = await domain.stories.stories.create({"title": "Book"})
    entry = await domain.lorebook.create(
        {"level": "story", "scope_id": story.id, "name": "Tomas", "keys": ["Tomas"]}
    )
    await domain.lorebook.create({"level": "global", "name": "g", "keys": ["g"]})
    own = await exports.lorebook()
    assert own.filename == "lorekeeper-lorebook-global-2026-01-01.json"
    assert read_file(own.data).kind == "global-lorebook"
    for fmt, suffix, label in (
        ("st", "sillytavern", "SillyTavern world info"),
        ("lorebook_v3", "v3", "Lorebook V3"),
    ):
        file = await exports.lorebook(LoreScope("story", story.id), fmt)
        assert file.filename == f"lorekeeper-lorebook-story-book-2026-01-01-{suffix}.json"
        incoming = read_file(file.data, file.filename)
        assert (incoming.format, incoming.title) == (label, "Book")
        [record] = [i.record for i in incoming.items]
        assert (record["id"], record["name"], record["keys"]) == (entry.id, "Tomas", ["Tomas"])
    with pytest.raises(ValueError, match="holds the global lorebook"):
        await exports.lorebook(LoreScope("story", story.id), "lorekeeper")


def test_export_names_are_safe_everywhere():
    assert export_name("story", "Élodie's / «Tale»", date="2026-12-06") == (
        "lorekeeper-story-elodie-s-tale-2026-12-06.json"
    )
    assert export_name("story", "日本", date="2026-12-06") == "lorekeeper-story-2026-12-06.json"


async def test_the_scopes_a_lorebook_can_go_to_are_named_and_sorted(domain):
    from app.domain.files import Files

    ada = await domain.characters.create({"name": "Ada", "avatar": "data:image/png;base64,AAAA"})
    await domain.characters.create({"name": "bob"})
    await domain.chats.create({"character_id": ada.id})
    await domain.chats.create({"character_id": ada.id, "title": "Evening"})
    saga = await domain.series.create({"name": "Saga"})
    await domain.stories.stories.create({"title": "Book", "series_id": saga.id})
    await domain.modules.modules.create({"name": "Magic"})
    labels = [o.label for o in await Files(domain).scopes()]
    assert labels == [
        "Global",
        "Series: Saga",
        "Story: Book",
        "Character: Ada",
        "Character: bob",
        "Chat: Chat with Ada",
        "Chat: Evening",
        "Module: Magic",
    ]
