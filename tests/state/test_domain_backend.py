"""AppState over the real domain repositories (memory database)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.db import Database
from app.domain import new_id, open_domain
from app.reactive import get
from app.state import AppState, DomainBackend, Level
from tests._wait import eventually

RUN_IN_BROWSER = True


@pytest.fixture
async def domain() -> Any:
    db = Database(f"state-domain-{new_id()}")  # IndexedDB in the browser
    d = await open_domain(db)
    yield d
    await db.delete()


@pytest.fixture
async def state(domain: Any) -> Any:
    s = AppState(DomainBackend(domain))
    yield s
    s.close()


async def seed(domain: Any) -> dict[str, Any]:
    alice = await domain.characters.create({"name": "Alice"})
    bob = await domain.characters.create({"name": "Bob"})
    chat = await domain.chats.create({"character_id": alice.id, "title": "First"})
    other = await domain.chats.create({"character_id": alice.id, "title": "Second"})
    await domain.messages.create({"chat_id": chat.id, "role": "user", "content": "hello"})
    module = await domain.modules.modules.create({"name": "Magic"})
    await domain.modules.links.attach(module.id, "character", alice.id)
    persona = await domain.personas.create({"name": "Me"})
    await domain.settings.set("active_persona_id", persona.id)
    p1 = await domain.presets.create({"name": "Default", "is_active": True})
    p2 = await domain.presets.create({"name": "Creative"})
    entries = {
        "global": await domain.lorebook.create({"level": "global", "name": "World"}),
        "character": await domain.lorebook.create(
            {"level": "character", "scope_id": alice.id, "name": "Alice lore"}
        ),
        "chat": await domain.lorebook.create(
            {"level": "chat", "scope_id": chat.id, "name": "Chat lore"}
        ),
        "module": await domain.lorebook.create(
            {"level": "module", "scope_id": module.id, "name": "Spell"}
        ),
    }
    return {
        "alice": alice,
        "bob": bob,
        "chat": chat,
        "other": other,
        "module": module,
        "persona": persona,
        "presets": (p1, p2),
        "entries": entries,
    }


def names(store: Any, field: str = "name") -> list[Any]:
    return [getattr(item, field) for item in get(store)]


async def test_every_level_loads_from_the_repositories(state: AppState, domain: Any) -> None:
    s = await seed(domain)
    await state.load_global()
    await state.load_lists()
    await state.open_chat(s["chat"].id)
    assert names(state.characters) == ["Alice", "Bob"]
    assert get(state.active_character_id) == s["alice"].id
    assert names(state.chats, "title") == ["First", "Second"]
    assert [m.content for m in get(state.messages)] == ["hello"]
    assert get(state.active_module_ids) == [s["module"].id]
    assert sorted(names(state.all_lorebooks)) == ["Alice lore", "Chat lore", "Spell", "World"]
    assert get(state.active_persona).id == s["persona"].id
    assert get(state.active_preset).name == "Default"


async def test_writes_go_through_the_repositories(state: AppState, domain: Any) -> None:
    s = await seed(domain)
    await state.load_lists()
    await state.open_chat(s["chat"].id)
    message = await state.add_message(s["chat"].id, {"role": "assistant", "content": "hi there"})
    assert (await domain.messages.get(message.id)).content == "hi there"
    assert [m.content for m in get(state.messages)] == ["hello", "hi there"]
    assert get(state.active_chat).preview == "hi there"  # kept in step by the domain
    await state.rename_character(s["alice"].id, "Alicia")
    assert names(state.characters) == ["Alicia", "Bob"]
    assert get(state.active_character).name == "Alicia"
    await state.set_active_preset(s["presets"][1].id)
    assert get(state.active_preset).name == "Creative"
    assert (await domain.presets.active()).name == "Creative"


async def test_deleting_the_active_character_cascades_and_leaves(
    state: AppState, domain: Any
) -> None:
    s = await seed(domain)
    await state.load_lists()
    await state.open_chat(s["chat"].id)
    await state.delete_character(s["alice"].id)
    assert names(state.characters) == ["Bob"]
    assert state.context(Level.CHARACTER) is None and get(state.messages) == []
    assert await domain.chats.get(s["chat"].id) is None


class HeldBackend(DomainBackend):
    """Holds ``create`` after the repository wrote, until ``release`` is set."""

    def __init__(self, domain: Any) -> None:
        super().__init__(domain)
        self.written = asyncio.Event()
        self.release = asyncio.Event()

    async def create(self, kind: Any, data: Any) -> Any:
        entity = await super().create(kind, data)
        self.written.set()
        await self.release.wait()
        return entity


async def test_stale_message_write_reaches_the_database_only(domain: Any) -> None:
    s = await seed(domain)
    backend = HeldBackend(domain)
    state = AppState(backend)
    await state.load_lists()
    await state.open_chat(s["chat"].id)
    write = asyncio.ensure_future(state.add_message(s["chat"].id, {"role": "user", "content": "x"}))
    await backend.written.wait()
    await state.open_chat(s["other"].id)  # the user moved on while the write was in flight
    backend.release.set()
    message = await write
    assert (await domain.messages.get(message.id)).content == "x"
    assert get(state.active_chat_id) == s["other"].id and get(state.messages) == []
    first = next(c for c in get(state.chats) if c.id == s["chat"].id)
    assert first.preview == "x"  # the character level is still shown: its chat list follows
    state.close()


async def test_another_tabs_writes_reload_the_shown_levels(state: AppState, domain: Any) -> None:
    s = await seed(domain)
    await state.load_lists()
    await state.open_character(s["alice"].id)
    await domain.characters.create({"name": "Carol"})  # pretend another tab wrote it
    domain.store.receive_external({"characters": None})
    await eventually(lambda: len(get(state.characters)) == 3, "the reload")
    assert names(state.characters) == ["Alice", "Bob", "Carol"]
    assert get(state.active_character_id) == s["alice"].id


async def test_promoting_a_character_entry_moves_it_to_the_global_lorebook(
    state: AppState, domain: Any
) -> None:
    s = await seed(domain)
    await state.load_lists()
    await state.open_character(s["alice"].id)
    entry = s["entries"]["character"]
    await state.update("lorebook_entry", entry.id, {"level": "global", "scope_id": None})
    assert names(state.character_lorebooks) == []
    assert names(state.global_lorebook) == ["World", "Alice lore"]


async def test_create_attached_module_through_the_domain(state: AppState, domain: Any) -> None:
    s = await seed(domain)
    await state.load_lists()
    await state.open_chat(s["chat"].id)
    module = await state.create_attached_module({"name": "Weather"}, "chat", s["chat"].id)
    assert module.id in [m.id for m in get(state.chat_modules)]
    assert module.id in get(state.active_module_ids)
    await state.delete("module", module.id)
    assert module.id not in [m.id for m in get(state.modules)]
    assert await domain.modules.links.for_target("chat", s["chat"].id) == []


async def test_a_commit_through_another_connection_reloads_the_shown_levels(
    state: AppState, domain: Any
) -> None:
    s = await seed(domain)
    await state.load_lists()
    await state.open_chat(s["chat"].id)
    calls: list[list[str]] = []
    original = state.refresh

    async def spy(tables: Any = None) -> None:
        calls.append(sorted(tables or []))
        await original(tables)

    state.refresh = spy  # type: ignore[method-assign]
    await state.add_message(s["chat"].id, {"role": "user", "content": "mine"})
    other = Database(domain.store.db.name)  # as another tab would
    await other.open()
    record = await other.table("characters").get(s["bob"].id)
    await other.table("characters").put({**record, "name": "Robert"})
    await eventually(lambda: "Robert" in names(state.characters), "the other tab's rename")
    assert names(state.characters) == ["Alice", "Robert"]
    # the foreign commit was reported once; our own message (committed before it) never was
    assert calls == [["characters"]]
    other.close()
