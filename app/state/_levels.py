"""The state hierarchy: which stores live at which level."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

__all__ = ["LEVEL_STORES", "Level", "default_for"]


class Level(IntEnum):
    """Levels of the state hierarchy; leaving a level clears every level below it."""

    GLOBAL = 0  # settings
    LISTS = 1  # everything the app lists
    CHARACTER = 2  # the active character and what it owns
    CHAT = 3  # the active chat and what it owns


LEVEL_STORES: dict[Level, tuple[str, ...]] = {
    Level.GLOBAL: ("settings",),
    Level.LISTS: (
        "characters",
        "personas",
        "presets",
        "modules",
        "plugins",
        "series",
        "stories",
        "folders",
        "global_lorebook",
        "global_scripts",
    ),
    Level.CHARACTER: (
        "active_character",
        "chats",
        "character_lorebooks",
        "character_scripts",
        "character_modules",
        "module_lorebooks",
        "module_scripts",
    ),
    Level.CHAT: (
        "active_chat",
        "messages",
        "chat_lorebooks",
        "chat_modules",
        "chat_module_lorebooks",
        "chat_module_scripts",
    ),
}
"""Every writable store, by level. Loaders return a mapping over (some of) these names."""

_SINGLE = {"settings", "active_character", "active_chat"}


def default_for(name: str) -> Any:
    """A store's value when its level is not loaded: None for single values, else []."""
    return None if name in _SINGLE else []
