"""``AppState``: the hierarchy of levels, navigation between them, and writes.

Navigation: ``load_global`` → ``load_lists`` → ``open_character`` → ``open_chat``.
Switching a level to another context (another character, another chat) or
leaving it (``close_character``, ``close_chat``, ``leave``) clears that level and
every level below it in one batch, so no subscriber ever sees the new chat with
the old chat's messages. Loading the context already shown reloads it in place.

Writes always go to the database and are never undone by navigation. What they
do to the stores is applied only where the context they belong to is the one
shown: a new message goes into ``messages`` only if its chat is still the active
chat when the write returns. If a load is in flight, the effect is replayed once
that load lands, so a write racing a load is not lost. Effects are idempotent
(replace or remove by id), so applying one twice is harmless.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from app.reactive import Readable, batch, get

from ._backend import Backend, Kind
from ._levels import Level
from ._records import field_of, id_of, remove_ids, upsert, with_fields
from ._stores import Stores
from ._views import Views

__all__ = ["AppState"]

_GONE = 1 << 62

LOADED = "loaded"
"""The context key of the GLOBAL and LISTS levels once loaded."""

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

_TABLE_LEVELS: dict[str, tuple[Level, ...]] = {
    "settings": (Level.GLOBAL,),
    "characters": (Level.LISTS, Level.CHARACTER),
    "personas": (Level.LISTS,),
    "prompt_presets": (Level.LISTS,),
    "modules": (Level.LISTS, Level.CHARACTER, Level.CHAT),
    "module_links": (Level.CHARACTER, Level.CHAT),
    "plugins": (Level.LISTS,),
    "series": (Level.LISTS,),
    "stories": (Level.LISTS,),
    "folders": (Level.LISTS,),
    "lorebook_entries": (Level.LISTS, Level.CHARACTER, Level.CHAT),
    "scripts": (Level.LISTS, Level.CHARACTER, Level.CHAT),
    "chats": (Level.CHARACTER, Level.CHAT),
    "messages": (Level.CHAT,),
}
"""Which levels a table's changes can affect (reloaded after another tab writes)."""


class _Load:
    """A load in flight: its context key and the effects to replay when it lands."""

    __slots__ = ("effects", "key", "number", "outdated")

    def __init__(self, key: Any, number: int) -> None:
        self.key = key
        self.number = number  # loads and writes are numbered in the order they start
        self.effects: list[Callable[[], None]] = []
        self.outdated = False  # another tab wrote meanwhile: reload once it lands


class AppState:
    """The app's state hierarchy over a storage ``Backend``.

    The UI reads stores through ``state.views`` (also reachable as attributes of
    the state: ``state.characters``, ``state.messages``, ``state.active_chat_id``
    ...) and changes anything only through the methods.
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._stores = Stores()
        self.views = Views(self._stores)
        self._generation: dict[Level, int] = dict.fromkeys(Level, 0)
        self._context: dict[Level, Any] = {}
        self._loads: dict[Level, _Load] = {}
        self._order = itertools.count()
        self._newest: dict[Any, int] = {}
        self._shown_at: dict[Level, int] = {}  # number of the load that filled each level
        self._write_number = 0  # the write whose effects are being applied
        self._unwatch: Callable[[], Any] | None = None
        watch = getattr(backend, "watch_external", None)
        if callable(watch):
            self._unwatch = watch(self._on_external)

    def __getattr__(self, name: str) -> Readable[Any]:
        views = self.__dict__.get("views")
        if views is None or name.startswith("_"):
            raise AttributeError(name)
        return getattr(views, name)  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop listening to other tabs' changes."""
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None

    # -- levels ---------------------------------------------------------------------------
    def context(self, level: Level) -> Any:
        """What ``level`` shows: an id, ``"loaded"``, or None when it is empty."""
        return self._context.get(level)

    def leave(self, level: Level) -> None:
        """Clear ``level`` and every level below it; loads in flight there are dropped."""
        with batch():
            for each in Level:
                if each >= level:
                    self._generation[each] += 1
                    self._context.pop(each, None)
                    self._loads.pop(each, None)
            self._stores.clear(level)

    async def _load(
        self,
        level: Level,
        key: Any,
        loader: Callable[[], Awaitable[Any]],
        *,
        only_if_current: bool = False,
    ) -> bool:
        """Load ``level`` for context ``key``; True if it landed, False if overtaken."""
        if self._context.get(level) != key:
            if only_if_current:
                return False
            if key != LOADED:  # another character or chat: what is below belongs to the old one
                self.leave(level)
        self._generation[level] += 1
        generation = self._generation[level]
        load = self._loads[level] = _Load(key, next(self._order))
        try:
            values = await loader()
        finally:
            if self._loads.get(level) is load:
                del self._loads[level]
        if self._generation[level] != generation:
            return False
        with batch():
            self._stores.fill(level, {"settings": values} if level == Level.GLOBAL else values)
            self._context[level] = key
            self._shown_at[level] = load.number
            for effect in load.effects:
                effect()
        if load.outdated:
            await self._reload(level, key)
        return True

    def _effect(self, level: Level, effect: Callable[[], None]) -> None:
        """Apply the current write's ``effect`` to ``level`` where the data shown (now,
        or when the load in flight lands) was read before that write started.

        A load that started after the write saw it already (transactions run in
        the order they start). Effects read ``self.context(level)`` to decide what
        to do, so a replay does the right thing for whatever context the load brings.
        """
        number = self._write_number
        load = self._loads.get(level)
        if load is not None and load.number < number:
            load.effects.append(effect)
        if level in self._context and self._shown_at.get(level, -1) < number:
            effect()

    @contextmanager
    def _effects_of(self, number: int) -> Iterator[None]:
        """Mark the effects applied inside the block as those of write ``number``."""
        outer, self._write_number = self._write_number, number
        try:
            with batch():
                yield
        finally:
            self._write_number = outer

    def _edit(self, name: str, fn: Callable[[Any], Any]) -> None:
        """Replace store ``name``'s value by ``fn(value)``, unless ``fn`` returned it as is."""
        store = self._stores[name]
        old = get(store)
        new = fn(old)
        if new is not old:
            store.set(new)

    # -- navigation -------------------------------------------------------------------------
    async def load_global(self) -> bool:
        """Load the settings (level GLOBAL)."""
        return await self._load(Level.GLOBAL, LOADED, self._backend.load_settings)

    async def load_lists(self) -> bool:
        """Load every list (level LISTS)."""
        return await self._load(Level.LISTS, LOADED, self._backend.load_lists)

    async def open_character(self, character_id: str) -> bool:
        """Make ``character_id`` the active character (another one's chat is cleared)."""
        return await self._load(
            Level.CHARACTER, character_id, lambda: self._backend.load_character(character_id)
        )

    def close_character(self) -> None:
        self.leave(Level.CHARACTER)

    async def open_chat(self, chat_id: str) -> bool:
        """Make ``chat_id`` the active chat, after making its character the active one."""
        chat = await self._backend.get("chat", chat_id)
        character_id = field_of(chat, "character_id")
        if character_id is None:
            if self.context(Level.CHARACTER) is not None:
                self.leave(Level.CHARACTER)
        elif self.context(Level.CHARACTER) != character_id:
            if not await self.open_character(character_id):
                return False
        return await self._load(Level.CHAT, chat_id, lambda: self._backend.load_chat(chat_id))

    def close_chat(self) -> None:
        self.leave(Level.CHAT)

    async def refresh(self, tables: Iterable[str] | None = None) -> None:
        """Reload what is shown, in place (only levels ``tables`` can affect, if given)."""
        levels = set(Level)
        if tables is not None:
            levels = {lvl for t in tables for lvl in _TABLE_LEVELS.get(t, tuple(Level))}
        for level in sorted(levels):
            load = self._loads.get(level)
            if load is not None and self._context.get(level) != load.key:
                load.outdated = True  # it may have read before the change: it reloads on landing
                continue
            key = self._context.get(level)
            if key is not None:
                await self._reload(level, key)

    async def _reload(self, level: Level, key: Any) -> None:
        """Reload ``level`` in place if it still shows ``key``; leave it if ``key`` is gone."""
        try:
            await self._load(level, key, self._loader(level, key), only_if_current=True)
        except Exception:
            kind: Kind | None = {Level.CHARACTER: "character", Level.CHAT: "chat"}.get(level)
            if kind is None or await self._backend.get(kind, key) is not None:
                raise
            if self._context.get(level) == key:
                self.leave(level)  # deleted (by another tab, or a write still on its way)

    def _loader(self, level: Level, key: Any) -> Callable[[], Awaitable[Any]]:
        backend = self._backend
        if level == Level.GLOBAL:
            return backend.load_settings
        if level == Level.LISTS:
            return backend.load_lists
        if level == Level.CHARACTER:
            return lambda: backend.load_character(key)
        return lambda: backend.load_chat(key)

    def _on_external(self, tables: Iterable[str]) -> asyncio.Future[None]:
        return asyncio.ensure_future(self.refresh(list(tables)))

    # -- where entities appear ----------------------------------------------------------------
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

    # -- writes -------------------------------------------------------------------------------
    def _newest_write(self, record: Any, number: int) -> bool:
        """True if no write to ``record`` that started after write ``number`` has returned."""
        if self._newest.get(record, -1) > number:
            return False
        self._newest[record] = number
        return True

    async def create(self, kind: Kind, data: Mapping[str, Any]) -> Any:
        """Create an entity; it appears in the stores that show its context."""
        number = next(self._order)
        entity = await self._backend.create(kind, data)
        if self._newest_write((kind, id_of(entity)), number):
            with self._effects_of(number):
                self._show(kind, entity)
        await self._after_message(kind, entity)
        return entity

    async def update(self, kind: Kind, id: str, changes: Mapping[str, Any]) -> Any:
        """Update an entity; every store showing it follows (it may move between them)."""
        number = next(self._order)
        entity = await self._backend.update(kind, id, changes)
        if self._newest_write((kind, id), number):
            with self._effects_of(number):
                self._show(kind, entity)
        await self._after_message(kind, entity)
        return entity

    async def delete(self, kind: Kind, id: str) -> None:
        """Delete an entity and what it owns; if it was active, its level is left."""
        number = next(self._order)
        before = await self._backend.get(kind, id) if kind == "message" else None
        await self._backend.delete(kind, id)
        self._newest[(kind, id)] = _GONE  # no older write may show it again
        with self._effects_of(number):
            self._hide(kind, id)
        if kind == "folder":  # its items moved to the parent folder
            await self.refresh(["folders", "characters", "chats", "modules", "series", "stories"])
        await self._after_message(kind, before)

    async def _after_message(self, kind: Kind, message: Any) -> None:
        """A message write changed its chat's preview: show the chat as stored now."""
        if kind != "message" or message is None:
            return
        number = next(self._order)
        chat = await self._backend.get("chat", field_of(message, "chat_id"))
        if chat is not None and self._newest_write(("chat", id_of(chat)), number):
            with self._effects_of(number):
                self._show("chat", chat)

    async def set_setting(self, key: str, value: Any) -> Any:
        """Store one setting; returns the value as stored."""
        number = next(self._order)
        stored = await self._backend.set_setting(key, value)
        if self._newest_write(("setting", key), number):
            with self._effects_of(number):
                self._effect(
                    Level.GLOBAL,
                    lambda: self._edit("settings", lambda s: with_fields(s, {key: stored})),
                )
        return stored

    async def set_active_persona(self, persona_id: str | None) -> Any:
        return await self.set_setting("active_persona_id", persona_id)

    async def set_active_preset(self, preset_id: str) -> Any:
        """Make one preset the active one (the previous one stops being active)."""
        number = next(self._order)
        preset = await self._backend.set_active_preset(preset_id)
        if not self._newest_write(("active preset",), number):
            return preset

        def mark(items: list[Any]) -> list[Any]:
            return [
                p
                if bool(field_of(p, "is_active")) == (id_of(p) == preset_id)
                else with_fields(p, {"is_active": id_of(p) == preset_id})
                for p in items
            ]

        with self._effects_of(number):
            self._effect(Level.LISTS, lambda: self._edit("presets", mark))
        return preset

    async def attach_module(self, module_id: str, level: str, target_id: str) -> Any:
        """Attach a module to a character or chat; shown levels reload in place."""
        link = await self._backend.attach_module(module_id, level, target_id)
        await self.refresh(["module_links"])
        return link

    async def create_attached_module(
        self, data: Mapping[str, Any], level: str, target_id: str
    ) -> Any:
        """Create a module and attach it to a character or chat (compensated by the
        backend: if attaching fails the module is removed again and nothing shows)."""
        number = next(self._order)
        module = await self._backend.create_attached_module(data, level, target_id)
        with self._effects_of(number):
            self._show("module", module)
        await self.refresh(["module_links"])
        return module

    async def detach_module(self, module_id: str, level: str, target_id: str) -> Any:
        result = await self._backend.detach_module(module_id, level, target_id)
        await self.refresh(["module_links"])
        return result

    # -- the operations screens name ------------------------------------------------------------
    async def create_character(self, data: Mapping[str, Any]) -> Any:
        return await self.create("character", data)

    async def rename_character(self, character_id: str, name: str) -> Any:
        return await self.update("character", character_id, {"name": name})

    async def delete_character(self, character_id: str) -> None:
        await self.delete("character", character_id)

    async def create_chat(self, character_id: str | None, data: Mapping[str, Any]) -> Any:
        return await self.create("chat", {**data, "character_id": character_id})

    async def delete_chat(self, chat_id: str) -> None:
        await self.delete("chat", chat_id)

    async def add_message(self, chat_id: str, data: Mapping[str, Any]) -> Any:
        return await self.create("message", {**data, "chat_id": chat_id})

    async def edit_message(self, message_id: str, changes: Mapping[str, Any]) -> Any:
        return await self.update("message", message_id, changes)

    async def delete_message(self, message_id: str) -> None:
        await self.delete("message", message_id)
