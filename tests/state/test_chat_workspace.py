"""AppState's chat workspace operations over the real domain: starting and branching
chats, provider configs with their keys, prompt reports."""

from __future__ import annotations

from typing import Any

import pytest

from app.db import Database
from app.domain import new_id, open_domain
from app.reactive import get
from app.state import AppState, DomainBackend

RUN_IN_BROWSER = True


@pytest.fixture
async def domain() -> Any:
    db = Database(f"state-chat-{new_id()}")  # IndexedDB in the browser
    d = await open_domain(db)
    yield d
    await db.delete()


@pytest.fixture
async def state(domain: Any) -> Any:
    s = AppState(DomainBackend(domain), lore_cache="the cache")
    await s.load_global()
    await s.load_lists()
    yield s
    s.close()


async def test_the_lore_cache_is_handed_through(state: AppState) -> None:
    assert state.lore_cache == "the cache"


async def test_start_chat_shows_the_new_chat_in_the_characters_chats(
    state: AppState, domain: Any
) -> None:
    aria = await domain.characters.create({"name": "Aria", "first_message": "Hi!"})
    await state.open_character(aria.id)
    chat = await state.start_chat(aria.id)
    assert [c.id for c in get(state.chats)] == [chat.id]
    assert get(state.chats)[0].preview == "Hi!"
    await state.open_chat(chat.id)
    assert [m.content for m in get(state.messages)] == ["Hi!"]


async def test_branch_chat_shows_the_branch(state: AppState, domain: Any) -> None:
    aria = await domain.characters.create({"name": "Aria", "first_message": "Hi!"})
    chat = await domain.chats.start(aria.id)
    [greeting] = await domain.messages.for_chat(chat.id)
    await state.open_chat(chat.id)
    branch = await state.branch_chat(chat.id, greeting.id)
    assert {c.id for c in get(state.chats)} == {chat.id, branch.id}
    await state.open_chat(branch.id)
    assert [m.content for m in get(state.messages)] == ["Hi!"]


async def test_save_provider_shows_the_config_and_its_key(state: AppState, domain: Any) -> None:
    config = await state.save_provider(
        {"name": "Local", "type": "openai", "base_url": "http://127.0.0.1:1/v1"}, api_key="sk-1"
    )
    assert [c.id for c in get(state.provider_configs)] == [config.id]
    assert [k.value for k in get(state.api_keys)] == ["sk-1"]
    renamed = await state.save_provider({"name": "Mine"}, config_id=config.id)
    assert [c.name for c in get(state.provider_configs)] == ["Mine"]
    assert renamed.api_key_id == config.api_key_id
    await state.save_provider({}, config_id=config.id, api_key="")
    assert get(state.api_keys) == []
    assert get(state.provider_configs)[0].api_key_id is None


async def test_prompt_reports_round_trip(state: AppState, domain: Any) -> None:
    aria = await domain.characters.create({"name": "Aria", "first_message": "Hi!"})
    chat = await domain.chats.start(aria.id)
    [greeting] = await domain.messages.for_chat(chat.id)
    assert await state.prompt_report(greeting.id, 0) is None
    await state.record_prompt(greeting.id, chat.id, 0, {"prompt": {"total_tokens": 4}})
    assert await state.prompt_report(greeting.id, 0) == {"prompt": {"total_tokens": 4}}


async def _long_chat(domain: Any, n: int) -> Any:
    from datetime import UTC, datetime, timedelta

    from app.domain import Message
    from app.domain.messages import refresh_chat_summary

    aria = await domain.characters.create({"name": "Aria"})
    chat = await domain.chats.create({"character_id": aria.id})
    start = datetime(2026, 1, 1, tzinfo=UTC)
    records = [
        Message(
            chat_id=chat.id,
            role="user",
            content=f"m{i}",
            created_at=start + timedelta(seconds=i),
            updated_at=start + timedelta(seconds=i),
        ).to_record()
        for i in range(n)
    ]
    await domain.store.table("messages").bulk_add(records)
    await refresh_chat_summary(domain.store, chat.id)
    return chat


async def test_a_long_chat_opens_on_its_newest_messages_then_shows_all(
    state: AppState, domain: Any
) -> None:
    from app.domain import OPENING_MESSAGES

    n = OPENING_MESSAGES + 80
    chat = await _long_chat(domain, n)
    assert await state.open_chat(chat.id)
    first = [m.content for m in get(state.messages)]
    assert first == [f"m{i}" for i in range(n - OPENING_MESSAGES, n)]  # newest, oldest first
    added = await state.add_message(chat.id, {"role": "assistant", "content": "while loading"})
    await state.loaded()
    shown = [m.content for m in get(state.messages)]
    assert shown == [*(f"m{i}" for i in range(n)), "while loading"]
    assert get(state.messages)[-1].id == added.id


async def test_a_short_chat_opens_whole(state: AppState, domain: Any) -> None:
    chat = await _long_chat(domain, 5)
    assert await state.open_chat(chat.id)
    assert [m.content for m in get(state.messages)] == [f"m{i}" for i in range(5)]
    await state.loaded()  # nothing left to read
