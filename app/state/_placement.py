"""Where entities appear: which stores show a created, updated or deleted entity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.reactive import batch, get

from ._backend import Kind
from ._hierarchy import Hierarchy
from ._levels import Level
from ._records import field_of, id_of, remove_ids, upsert

__all__ = ["Placement"]

_LIST_STORE: dict[str, str] = {
    "character": "characters",
    "persona": "personas",
    "preset": "presets",
    "module": "modules",
    "plugin": "plugins",
    "series": "series",
    "story": "stories",
    "folder": "folders",
}

_KIND_STORES: dict[str, tuple[str, ...]] = {
    **{kind: (name,) for kind, name in _LIST_STORE.items()},
    "module": ("modules", "character_modules", "chat_modules"),
    "chat": ("chats",),
    "message": ("messages",),
    "lorebook_entry": (
        "global_lorebook",
        "character_lorebooks",
        "chat_lorebooks",
        "module_lorebooks",
        "chat_module_lorebooks",
    ),
    "script": ("global_scripts", "character_scripts", "module_scripts", "chat_module_scripts"),
}
"""Every list store an entity of each kind can appear in."""

_SCOPED: dict[tuple[str, str], str] = {
    ("lorebook_entry", "global"): "global_lorebook",
    ("lorebook_entry", "character"): "character_lorebooks",
    ("lorebook_entry", "chat"): "chat_lorebooks",
    ("script", "global"): "global_scripts",
    ("script", "character"): "character_scripts",
}
_MODULE_ENTRIES: dict[str, str] = {
    "module_lorebooks": "character_modules",
    "chat_module_lorebooks": "chat_modules",
    "module_scripts": "character_modules",
    "chat_module_scripts": "chat_modules",
}
"""Stores of module-owned entries, and the module list that decides what they hold."""


class Placement(Hierarchy):
    """Puts entities into, and takes them out of, the stores of the shown contexts."""

    def _show(self, kind: Kind, entity: Any) -> None:
        """Show a created or updated entity wherever the shown contexts include it,
        and remove it from where they no longer do (it may have moved)."""
        key = id_of(entity)
        with batch():
            for name in _KIND_STORES[kind]:
                self._effect(self._stores.level_of(name), self._placement(kind, entity, name))
            if kind == "character":
                self._effect(
                    Level.CHARACTER, self._single("active_character", Level.CHARACTER, key, entity)
                )
            elif kind == "chat":
                self._effect(Level.CHAT, self._single("active_chat", Level.CHAT, key, entity))

    def _single(self, name: str, level: Level, key: Any, entity: Any) -> Callable[[], None]:
        def effect() -> None:
            if self.context(level) == key:
                self._stores[name].set(entity)

        return effect

    def _placement(self, kind: Kind, entity: Any, name: str) -> Callable[[], None]:
        """The effect that puts ``entity`` into store ``name``, or takes it out."""
        key = id_of(entity)
        if kind == "module" and name != "modules":  # attachment is decided by links

            def replace_if_shown() -> None:
                if any(id_of(item) == key for item in get(self._stores[name])):
                    self._edit(name, lambda items: upsert(items, entity))

            return replace_if_shown
        belongs = self._belongs(kind, entity, name)

        def place() -> None:
            if belongs():
                self._edit(name, lambda items: upsert(items, entity))
            else:
                self._edit(name, lambda items: remove_ids(items, [key]))

        return place

    def _belongs(self, kind: Kind, entity: Any, name: str) -> Callable[[], bool]:
        if kind in _LIST_STORE:
            return lambda: True
        if kind == "chat":
            owner = field_of(entity, "character_id")
            return lambda: owner is not None and self.context(Level.CHARACTER) == owner
        if kind == "message":
            return lambda: self.context(Level.CHAT) == field_of(entity, "chat_id")
        level, scope = field_of(entity, "level"), field_of(entity, "scope_id")
        if name in _MODULE_ENTRIES:
            modules = self._stores[_MODULE_ENTRIES[name]]
            return lambda: level == "module" and any(id_of(m) == scope for m in get(modules))
        if _SCOPED.get((kind, level)) != name:
            return lambda: False
        store_level = self._stores.level_of(name)
        if store_level == Level.LISTS:
            return lambda: True
        return lambda: self.context(store_level) == scope

    def _hide(self, kind: Kind, key: str) -> None:
        """Remove a deleted entity (and what only it owned) from every store."""
        drop = lambda items: remove_ids(items, [key])  # noqa: E731
        with batch():
            for name in _KIND_STORES[kind]:
                self._effect(self._stores.level_of(name), lambda n=name: self._edit(n, drop))
            if kind == "module":
                for name in _MODULE_ENTRIES:
                    self._effect(
                        self._stores.level_of(name),
                        lambda n=name: self._edit(
                            n,
                            lambda items: remove_ids(
                                items, [id_of(e) for e in items if field_of(e, "scope_id") == key]
                            ),
                        ),
                    )
            for gone, level in (("character", Level.CHARACTER), ("chat", Level.CHAT)):
                load = self._loads.get(level)
                shown = self.context(level) == key or (load is not None and load.key == key)
                if kind == gone and shown:
                    self.leave(level)
