"""Fixtures: an ``AppState`` over a seeded memory database."""

from __future__ import annotations

from typing import Any

import pytest

from app.state import AppState
from tests.state._memory_backend import MemoryBackend


async def seed(backend: MemoryBackend) -> None:
    t = backend.t
    await t("settings").bulk_put(
        [{"key": "theme", "value": "dark"}, {"key": "active_persona_id", "value": "p1"}]
    )
    await t("personas").bulk_put([{"id": "p1", "name": "Me"}, {"id": "p2", "name": "Alt"}])
    await t("prompt_presets").bulk_put(
        [
            {"id": "pr1", "name": "Default", "is_active": True},
            {"id": "pr2", "name": "Creative", "is_active": False},
        ]
    )
    await t("folders").bulk_put([{"id": "f1", "name": "Heroes", "parent_id": None}])
    await t("characters").bulk_put(
        [
            {"id": "alice", "name": "Alice", "folder_id": "f1"},
            {"id": "bob", "name": "Bob", "folder_id": None},
        ]
    )
    await t("modules").bulk_put(
        [
            {"id": "m1", "name": "Magic", "enabled": True},
            {"id": "m2", "name": "Off", "enabled": False},
            {"id": "m3", "name": "Chat module", "enabled": True},
        ]
    )
    await t("module_links").bulk_put(
        [
            {"id": "l1", "module_id": "m1", "target_level": "character", "target_id": "alice",
             "enabled": True},
            {"id": "l2", "module_id": "m2", "target_level": "character", "target_id": "alice",
             "enabled": True},
            {"id": "l3", "module_id": "m3", "target_level": "chat", "target_id": "a1",
             "enabled": True},
        ]
    )
    await t("chats").bulk_put(
        [
            {"id": "a1", "character_id": "alice", "title": "A1", "preview": ""},
            {"id": "a2", "character_id": "alice", "title": "A2", "preview": "", "persona_id": "p2"},
            {"id": "b1", "character_id": "bob", "title": "B1", "preview": ""},
            {"id": "solo", "character_id": None, "title": "Solo", "preview": ""},
        ]
    )
    for chat_id, texts in {"a1": ["hi", "hello"], "a2": ["x"], "b1": ["yo"]}.items():
        for text in texts:
            await backend.create("message", {"chat_id": chat_id, "role": "user", "content": text})
    entries = [
        ("g1", "global", None, True),
        ("g2", "global", None, False),  # disabled
        ("c1", "character", "alice", True),
        ("c2", "character", "bob", True),
        ("h1", "chat", "a1", True),
        ("h2", "chat", "a2", True),
        ("mod1", "module", "m1", True),
        ("mod2", "module", "m2", True),  # its module is disabled
        ("mod3", "module", "m3", True),
    ]
    await t("lorebook_entries").bulk_put(
        [
            {"id": i, "level": lv, "scope_id": s, "enabled": on, "name": i}
            for i, lv, s, on in entries
        ]
    )
    await t("scripts").bulk_put(
        [
            {"id": "s-g", "level": "global", "scope_id": None, "order": 3, "enabled": True},
            {"id": "s-c", "level": "character", "scope_id": "alice", "order": 1, "enabled": True},
            {"id": "s-m", "level": "module", "scope_id": "m1", "order": 2, "enabled": True},
            {"id": "s-off", "level": "global", "scope_id": None, "order": 0, "enabled": False},
        ]
    )
    backend.calls.clear()


@pytest.fixture
async def backend() -> Any:
    b = await MemoryBackend.open()
    await seed(b)
    yield b
    b.db.close()


@pytest.fixture
async def state(backend: MemoryBackend) -> Any:
    s = AppState(backend)
    yield s
    s.close()
