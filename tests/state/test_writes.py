"""Writes: they always reach the database; stale store updates are skipped."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.reactive import get
from app.state import AppState, Level
from tests.state._memory_backend import MemoryBackend

RUN_IN_BROWSER = True


def ids(store: Any) -> list[str]:
    return [item["id"] for item in get(store)]


def contents(state: AppState) -> list[str]:
    return [m["content"] for m in get(state.messages)]


async def open_all(state: AppState, chat: str = "a1") -> None:
    await state.load_global()
    await state.load_lists()
    assert await state.open_chat(chat)


async def started(backend: MemoryBackend, name: str) -> None:
    await backend.arrived(name)


async def test_add_message_updates_messages_and_the_chat_preview(state: AppState) -> None:
    await open_all(state)
    message = await state.add_message("a1", {"role": "user", "content": "new"})
    assert contents(state) == ["hi", "hello", "new"]
    assert get(state.messages)[-1]["id"] == message["id"]
    assert get(state.active_chat)["preview"] == "new"
    assert next(c for c in get(state.chats) if c["id"] == "a1")["message_count"] == 3


async def test_message_written_after_the_user_switched_chats_is_not_shown(
    state: AppState, backend: MemoryBackend
) -> None:
    await open_all(state)
    gate = backend.hold("create")
    write = asyncio.ensure_future(state.add_message("a1", {"role": "user", "content": "late"}))
    await started(backend, "create")
    await state.open_chat("a2")  # same character, other chat
    gate.set()
    message = await write
    assert await backend.t("messages").get(message["id"]) is not None  # reached the database
    assert contents(state) == ["x"]  # the stale update was skipped
    a1 = next(c for c in get(state.chats) if c["id"] == "a1")
    assert a1["preview"] == "late"  # the chat list is still this character's: kept in step


async def test_write_for_a_character_no_longer_shown_touches_no_store(
    state: AppState, backend: MemoryBackend
) -> None:
    await open_all(state)
    gate = backend.hold("create")
    write = asyncio.ensure_future(state.create_chat("alice", {"title": "Late chat"}))
    await started(backend, "create")
    await state.open_character("bob")
    gate.set()
    chat = await write
    assert await backend.t("chats").get(chat["id"]) is not None
    assert ids(state.chats) == ["b1"]


async def test_write_racing_the_load_of_its_own_context_is_not_lost(
    state: AppState, backend: MemoryBackend
) -> None:
    await state.load_lists()
    await state.open_chat("a2")
    backend.calls.clear()
    load_gate = backend.hold("load_chat")
    opening = asyncio.ensure_future(state.open_chat("a1"))
    await started(backend, "load_chat")  # the load has read the messages already
    await state.add_message("a1", {"role": "user", "content": "raced"})
    assert get(state.messages) == []  # a1 is not shown yet
    load_gate.set()
    assert await opening
    assert contents(state) == ["hi", "hello", "raced"]


async def test_switching_back_while_a_write_was_in_flight_shows_it_once(
    state: AppState, backend: MemoryBackend
) -> None:
    await open_all(state)
    gate = backend.hold("create")
    write = asyncio.ensure_future(state.add_message("a1", {"role": "user", "content": "twice?"}))
    await started(backend, "create")
    await state.open_chat("a2")
    await state.open_chat("a1")  # reloads a1, which already contains the message
    gate.set()
    await write
    assert contents(state) == ["hi", "hello", "twice?"]


async def test_writes_reach_the_database_when_nothing_is_loaded(
    state: AppState, backend: MemoryBackend
) -> None:
    character = await state.create_character({"name": "Dana"})
    assert (await backend.t("characters").get(character["id"]))["name"] == "Dana"
    assert get(state.characters) == []


async def test_rename_keeps_position_and_updates_the_active_character(state: AppState) -> None:
    await open_all(state)
    await state.rename_character("alice", "Alicia")
    assert [c["name"] for c in get(state.characters)] == ["Alicia", "Bob"]
    assert get(state.active_character)["name"] == "Alicia"
    assert get(state.active_chat_id) == "a1"  # renaming is not leaving


async def test_deleting_the_active_character_leaves_its_levels(
    state: AppState, backend: MemoryBackend
) -> None:
    await open_all(state)
    await state.delete_character("alice")
    assert ids(state.characters) == ["bob"]
    assert state.context(Level.CHARACTER) is None and get(state.messages) == []
    assert await backend.t("chats").where("character_id").equals("alice").count() == 0


async def test_deleting_another_character_keeps_the_active_one(state: AppState) -> None:
    await open_all(state)
    await state.delete_character("bob")
    assert ids(state.characters) == ["alice"]
    assert get(state.active_chat_id) == "a1"


async def test_deleting_the_active_chat_leaves_the_chat_level(state: AppState) -> None:
    await open_all(state)
    await state.delete_chat("a1")
    assert ids(state.chats) == ["a2"]
    assert get(state.active_chat) is None and get(state.messages) == []
    assert get(state.active_character_id) == "alice"


async def test_deleting_a_message_updates_messages_and_preview(state: AppState) -> None:
    await open_all(state)
    last = get(state.messages)[-1]
    await state.delete_message(last["id"])
    assert contents(state) == ["hi"]
    assert get(state.active_chat)["preview"] == "hi"


async def test_editing_a_message_replaces_it_in_place(state: AppState) -> None:
    await open_all(state)
    first = get(state.messages)[0]
    await state.edit_message(first["id"], {"content": "hey"})
    assert contents(state) == ["hey", "hello"]


async def test_moving_a_chat_to_another_character_removes_it_from_the_list(
    state: AppState,
) -> None:
    await open_all(state, "a2")
    await state.update("chat", "a1", {"character_id": "bob"})
    assert ids(state.chats) == ["a2"]


async def test_promoting_an_entry_moves_it_between_stores(state: AppState) -> None:
    await open_all(state)
    await state.update("lorebook_entry", "c1", {"level": "global", "scope_id": None})
    assert ids(state.character_lorebooks) == []
    assert ids(state.global_lorebook) == ["g1", "g2", "c1"]
    assert [e["id"] for e in get(state.all_lorebooks)].count("c1") == 1


async def test_new_entries_appear_at_their_level(state: AppState) -> None:
    await open_all(state)
    chat_entry = await state.create("lorebook_entry", {"level": "chat", "scope_id": "a1"})
    other_chat = await state.create("lorebook_entry", {"level": "chat", "scope_id": "a2"})
    module_entry = await state.create("lorebook_entry", {"level": "module", "scope_id": "m1"})
    assert chat_entry["id"] in ids(state.chat_lorebooks)
    assert other_chat["id"] not in ids(state.chat_lorebooks)
    assert module_entry["id"] in ids(state.module_lorebooks)
    assert module_entry["id"] in [e["id"] for e in get(state.all_lorebooks)]


async def test_settings_and_active_persona(state: AppState) -> None:
    await open_all(state)
    assert get(state.active_persona)["id"] == "p1"
    await state.set_active_persona("p2")
    assert get(state.settings)["active_persona_id"] == "p2"
    assert get(state.active_persona)["id"] == "p2"
    await state.open_chat("a2")  # this chat names its own persona
    await state.set_active_persona("p1")
    assert get(state.active_persona)["id"] == "p2"


async def test_set_active_preset_deactivates_the_previous_one(
    state: AppState, backend: MemoryBackend
) -> None:
    await open_all(state)
    assert get(state.active_preset)["id"] == "pr1"
    await state.set_active_preset("pr2")
    assert [p["is_active"] for p in get(state.presets)] == [False, True]
    assert get(state.active_preset)["id"] == "pr2"
    assert (await backend.t("prompt_presets").get("pr1"))["is_active"] is False


async def test_deleting_a_module_removes_it_and_its_entries(state: AppState) -> None:
    await open_all(state)
    await state.delete("module", "m1")
    assert "m1" not in ids(state.modules) and "m1" not in ids(state.character_modules)
    assert ids(state.module_lorebooks) == ["mod2"]
    assert "mod1" not in [e["id"] for e in get(state.all_lorebooks)]


async def test_attaching_a_module_reloads_the_shown_levels(state: AppState) -> None:
    await open_all(state)
    await state.attach_module("m3", "character", "alice")
    assert "m3" in ids(state.character_modules)
    await state.detach_module("m3", "chat", "a1")
    assert ids(state.chat_modules) == []
    assert get(state.active_chat_id) == "a1"


async def test_deleting_a_folder_moves_its_items_to_the_parent(state: AppState) -> None:
    await open_all(state)
    await state.delete("folder", "f1")
    assert get(state.folders) == []
    assert next(c for c in get(state.characters) if c["id"] == "alice")["folder_id"] is None


async def test_unchanged_stores_do_not_notify(state: AppState) -> None:
    await open_all(state)
    seen: list[Any] = []
    unsubscribe = state.global_lorebook.subscribe(seen.append)
    await state.add_message("a1", {"role": "user", "content": "quiet"})
    await state.rename_character("bob", "Robert")
    unsubscribe()
    assert len(seen) == 1


async def test_create_attached_module_shows_it_where_it_is_attached(state: AppState) -> None:
    await open_all(state)
    module = await state.create_attached_module({"name": "New", "enabled": True}, "chat", "a1")
    assert module["id"] in ids(state.modules)
    assert module["id"] in ids(state.chat_modules)
    assert module["id"] in get(state.active_module_ids)


async def test_create_attached_module_that_fails_to_attach_shows_nothing(
    state: AppState, backend: MemoryBackend
) -> None:
    await open_all(state)
    backend.fail_attach = True
    before = ids(state.modules)
    with pytest.raises(RuntimeError, match="attach failed"):
        await state.create_attached_module({"name": "Broken"}, "chat", "a1")
    assert ids(state.modules) == before
    assert await backend.t("modules").count() == len(before)


async def test_deleting_a_character_while_it_loads_drops_the_load(
    state: AppState, backend: MemoryBackend
) -> None:
    await state.load_lists()
    gate = backend.hold("load_character")
    opening = asyncio.ensure_future(state.open_character("alice"))
    await started(backend, "load_character")
    await state.delete_character("alice")
    gate.set()
    assert await opening is False
    assert get(state.active_character) is None
    assert ids(state.characters) == ["bob"]


async def test_message_for_a_chat_that_is_not_shown_stays_out_of_messages(
    state: AppState, backend: MemoryBackend
) -> None:
    await open_all(state)
    message = await state.add_message("b1", {"role": "assistant", "content": "elsewhere"})
    assert contents(state) == ["hi", "hello"]
    assert (await backend.t("messages").get(message["id"]))["content"] == "elsewhere"


async def test_update_returning_after_a_reload_that_saw_it_is_not_reapplied(
    state: AppState, backend: MemoryBackend
) -> None:
    await open_all(state)
    gate = backend.hold("update")
    write = asyncio.ensure_future(state.update("chat", "a1", {"title": "Mine"}))
    await started(backend, "update")
    await backend.t("chats").update("a1", {"title": "Theirs"})  # another tab, later
    for task in backend.simulate_other_tab(["chats"]):
        await task
    gate.set()
    await write
    assert get(state.active_chat)["title"] == "Theirs"  # what the database holds
