"""Derived state: active ids, active modules, merged lorebooks and scripts."""

from __future__ import annotations

from typing import Any

from app.reactive import get
from app.state import AppState

RUN_IN_BROWSER = True


def ids(store: Any) -> list[str]:
    return [item["id"] for item in get(store)]


async def test_active_ids_follow_navigation(state: AppState) -> None:
    assert get(state.active_character_id) is None and get(state.active_chat_id) is None
    await state.open_chat("a1")
    assert (get(state.active_character_id), get(state.active_chat_id)) == ("alice", "a1")
    state.close_character()
    assert (get(state.active_character_id), get(state.active_chat_id)) == (None, None)


async def test_active_module_ids_are_enabled_character_and_chat_modules(state: AppState) -> None:
    await state.open_character("alice")
    assert get(state.active_module_ids) == ["m1"]  # m2 is disabled
    await state.open_chat("a1")
    assert get(state.active_module_ids) == ["m1", "m3"]
    await state.open_chat("a2")
    assert get(state.active_module_ids) == ["m1"]


async def test_merged_lorebooks_are_what_the_chat_sees(state: AppState) -> None:
    await state.load_lists()
    await state.open_chat("a1")
    assert ids(state.all_lorebooks) == ["g1", "c1", "h1", "mod1", "mod3"]
    state.close_chat()
    assert ids(state.all_lorebooks) == ["g1", "c1", "mod1"]
    state.close_character()
    assert ids(state.all_lorebooks) == ["g1"]


async def test_merged_scripts_are_ordered_and_enabled_only(state: AppState) -> None:
    await state.load_lists()
    await state.open_character("alice")
    assert ids(state.all_scripts) == ["s-c", "s-m", "s-g"]
    await state.open_character("bob")
    assert ids(state.all_scripts) == ["s-g"]


async def test_merged_lorebooks_recompute_once_per_chat_switch(state: AppState) -> None:
    await state.load_lists()
    await state.open_chat("a1")
    seen: list[list[str]] = []
    unsubscribe = state.all_lorebooks.subscribe(lambda v: seen.append([e["id"] for e in v]))
    await state.open_chat("b1")
    unsubscribe()
    # One value for the old chat, then the new chat's, and at most one empty state between.
    assert seen[0] == ["g1", "c1", "h1", "mod1", "mod3"]
    assert seen[-1] == ["g1", "c2"]
    assert len(seen) <= 3
