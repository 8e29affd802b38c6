"""Loading and leaving levels of the state hierarchy."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.reactive import derived, get
from app.state import AppState, Level
from tests.state._memory_backend import MemoryBackend

RUN_IN_BROWSER = True


def ids(store: Any) -> list[str]:
    return [item["id"] for item in get(store)]


async def open_all(state: AppState, chat: str = "a1") -> None:
    await state.load_global()
    await state.load_lists()
    assert await state.open_chat(chat)


async def test_levels_load_top_down(state: AppState) -> None:
    assert await state.load_global()
    assert get(state.settings) == {"theme": "dark", "active_persona_id": "p1"}
    assert await state.load_lists()
    assert ids(state.characters) == ["alice", "bob"]
    assert ids(state.global_lorebook) == ["g1", "g2"]
    assert await state.open_character("alice")
    assert get(state.active_character_id) == "alice"
    assert ids(state.chats) == ["a1", "a2"]
    assert ids(state.character_lorebooks) == ["c1"]
    assert ids(state.character_modules) == ["m1", "m2"]
    assert await state.open_chat("a1")
    assert get(state.active_chat_id) == "a1"
    assert [m["content"] for m in get(state.messages)] == ["hi", "hello"]
    assert ids(state.chat_lorebooks) == ["h1"]
    assert state.context(Level.CHAT) == "a1"


async def test_views_are_readonly(state: AppState) -> None:
    for name in state.layout.stores:
        view = getattr(state, name)
        assert not hasattr(view, "set") and not hasattr(view, "update")


async def test_open_chat_opens_its_character_first(state: AppState) -> None:
    await state.open_chat("b1")
    assert get(state.active_character_id) == "bob"
    assert ids(state.chats) == ["b1"]
    assert get(state.active_chat_id) == "b1"


async def test_open_chat_without_character_leaves_the_character_level(state: AppState) -> None:
    await state.open_chat("a1")
    await state.open_chat("solo")
    assert get(state.active_character) is None and get(state.chats) == []
    assert get(state.active_chat_id) == "solo"


async def test_closing_the_character_clears_it_and_the_chat(state: AppState) -> None:
    await open_all(state)
    state.close_character()
    layout = state.layout
    for name in layout.stores_at(Level.CHARACTER) + layout.stores_at(Level.CHAT):
        assert get(getattr(state, name)) in (None, []), name
    assert ids(state.characters) == ["alice", "bob"]  # the level above stays
    assert state.context(Level.CHARACTER) is None and state.context(Level.CHAT) is None


async def test_closing_the_chat_keeps_the_character(state: AppState) -> None:
    await open_all(state)
    state.close_chat()
    assert get(state.messages) == [] and get(state.active_chat_id) is None
    assert ids(state.chats) == ["a1", "a2"]


async def test_leaving_lists_clears_everything_below_but_not_settings(state: AppState) -> None:
    await open_all(state)
    state.leave(Level.LISTS)
    assert get(state.characters) == [] and get(state.active_character) is None
    assert get(state.messages) == []
    assert get(state.settings)["theme"] == "dark"


async def test_switching_character_clears_the_chat_level(state: AppState) -> None:
    await open_all(state)
    await state.open_character("bob")
    assert get(state.active_chat) is None and get(state.messages) == []
    assert ids(state.chats) == ["b1"]


async def test_reopening_the_same_character_reloads_in_place(state: AppState) -> None:
    await open_all(state)
    await state.open_character("alice")
    assert get(state.active_chat_id) == "a1"  # same context: nothing below is cleared


async def test_switching_chat_is_atomic_for_subscribers(state: AppState) -> None:
    await open_all(state)
    seen: list[tuple[Any, ...]] = []
    pair = derived(
        [state.active_chat_id, state.messages],
        lambda v: (v[0], tuple(sorted({m["chat_id"] for m in v[1]}))),
    )
    unsubscribe = pair.subscribe(seen.append)
    await state.open_chat("a2")
    await state.open_chat("b1")
    state.close_chat()
    unsubscribe()
    for chat_id, message_chats in seen:
        assert message_chats in ((), (chat_id,)), seen
    assert seen[-1] == (None, ())


async def test_a_load_overtaken_by_another_navigation_is_dropped(
    state: AppState, backend: MemoryBackend
) -> None:
    await open_all(state)
    gate = backend.hold("load_chat")
    slow = asyncio.ensure_future(state.open_chat("a2"))
    await backend.arrived("load_chat")
    assert await state.open_chat("b1")
    gate.set()
    assert await slow is False
    assert get(state.active_chat_id) == "b1"
    assert [m["content"] for m in get(state.messages)] == ["yo"]


async def test_leaving_while_a_load_is_in_flight_drops_it(
    state: AppState, backend: MemoryBackend
) -> None:
    await state.load_lists()
    gate = backend.hold("load_character")
    slow = asyncio.ensure_future(state.open_character("alice"))
    await backend.arrived("load_character")
    state.close_character()
    gate.set()
    assert await slow is False
    assert get(state.active_character) is None and get(state.chats) == []


async def test_a_failing_load_leaves_the_level_empty_and_can_be_retried(
    state: AppState,
) -> None:
    await open_all(state)
    with pytest.raises(LookupError):
        await state.open_character("nobody")
    assert get(state.active_character) is None and get(state.messages) == []
    assert await state.open_character("bob")
    assert get(state.active_character_id) == "bob"


async def test_refresh_after_another_tab_wrote(state: AppState, backend: MemoryBackend) -> None:
    await open_all(state)
    await backend.t("characters").put({"id": "carol", "name": "Carol"})  # "another tab"
    await backend.t("messages").put({"id": "ext", "chat_id": "a1", "seq": 99, "content": "new"})
    for task in backend.simulate_other_tab(["characters", "messages"]):
        await task
    assert ids(state.characters) == ["alice", "bob", "carol"]
    assert [m["content"] for m in get(state.messages)] == ["hi", "hello", "new"]
    assert get(state.active_chat_id) == "a1"


async def test_refresh_skips_levels_that_are_not_shown(
    state: AppState, backend: MemoryBackend
) -> None:
    await state.load_lists()
    backend.calls.clear()
    await state.refresh(["messages", "chats"])
    assert backend.calls == []
    await state.refresh()
    assert backend.calls == ["load_lists"]


async def test_loading_an_upper_level_late_does_not_clear_lower_levels(state: AppState) -> None:
    await state.load_lists()
    await state.open_chat("a1")
    await state.load_global()
    await state.load_lists()  # reload in place
    assert get(state.active_chat_id) == "a1" and get(state.settings)["theme"] == "dark"
