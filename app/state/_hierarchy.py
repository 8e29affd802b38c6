"""The hierarchy of levels and navigation between them.

Navigation: ``load_global`` → ``load_lists`` → ``open_character`` → ``open_chat``.
Switching a level to another context (another character, another chat) or
leaving it (``close_character``, ``close_chat``, ``leave``) clears that level and
every level below it in one batch, so no subscriber ever sees the new chat with
the old chat's messages. Loading the context already shown reloads it in place.

Loads and writes are numbered in the order they start. A write's effect on the
stores is applied where the data shown was read before the write started, and
replayed after a load in flight lands if that load started before the write; a
load that started later saw the write already (transactions run in the order
they start).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from app.reactive import Readable, batch, get

from ._backend import Backend
from ._layout import Layout
from ._levels import Level
from ._loader import is_partial
from ._records import field_of
from ._stores import Stores
from ._views import Views

__all__ = ["LOADED", "Hierarchy"]

_log = logging.getLogger(__name__)

LOADED = "loaded"
"""The context key of the GLOBAL and LISTS levels once loaded."""

class _Load:
    """A load in flight: its context key and the effects to replay when it lands."""

    __slots__ = ("effects", "key", "number", "outdated")

    def __init__(self, key: Any, number: int) -> None:
        self.key = key
        self.number = number  # loads and writes are numbered in the order they start
        self.effects: list[Callable[[], None]] = []
        self.outdated = False  # another tab wrote meanwhile: reload once it lands


class Hierarchy:
    """Levels, their contexts and loads, and the numbering that orders loads and writes."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._layout = backend.layout
        self._stores = Stores(backend.layout)
        self.views = Views(self._stores)
        self._generation: dict[Level, int] = dict.fromkeys(Level, 0)
        self._context: dict[Level, Any] = {}
        self._loads: dict[Level, _Load] = {}
        self._order = itertools.count()
        self._shown_at: dict[Level, int] = {}  # number of the load that filled each level
        self._write_number = 0  # the write whose effects are being applied
        self._unwatch: Callable[[], Any] | None = None
        self._refreshing: set[asyncio.Future[None]] = set()
        self._completing: set[asyncio.Future[None]] = set()
        self._unwatch = backend.watch_external(self._on_external)

    def __getattr__(self, name: str) -> Readable[Any]:
        views = self.__dict__.get("views")
        if views is None or name.startswith("_"):
            raise AttributeError(name)
        return getattr(views, name)  # type: ignore[no-any-return]

    @property
    def layout(self) -> Layout:
        """Which stores exist, at which level, and what each shows."""
        return self._layout

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
        return await self._load(Level.LISTS, LOADED, self._loader(Level.LISTS, LOADED))

    async def open_character(self, character_id: str) -> bool:
        """Make ``character_id`` the active character (another one's chat is cleared)."""
        return await self._load(
            Level.CHARACTER, character_id, self._loader(Level.CHARACTER, character_id)
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
        partial = is_partial(self._layout, Level.CHAT)
        if not await self._load(Level.CHAT, chat_id, self._loader(Level.CHAT, chat_id, partial)):
            return False
        if partial and self._cut_short(Level.CHAT):  # the newest messages show; the rest follows
            self._complete(Level.CHAT, chat_id)
        return True

    def _cut_short(self, level: Level) -> bool:
        """Whether a store of ``level`` may hold only part of its records (it got as many
        as its ``latest`` declaration asks for)."""
        for placement in self._layout.placements_at(level):
            latest = placement.shown.latest
            if latest is not None and len(get(self._stores[placement.store])) >= latest[1]:
                return True
        return False

    def _complete(self, level: Level, key: Any) -> None:
        task = asyncio.ensure_future(self._reload(level, key))
        self._completing.add(task)
        task.add_done_callback(self._completed)

    def _completed(self, task: asyncio.Future[None]) -> None:
        self._completing.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.warning("loading the rest of a level failed", exc_info=task.exception())

    async def loaded(self) -> None:
        """Wait until every level shows all its records (a chat opens on its newest
        messages and reads the rest right after)."""
        while self._completing:
            await asyncio.gather(*list(self._completing), return_exceptions=True)

    def close_chat(self) -> None:
        self.leave(Level.CHAT)

    async def refresh(self, tables: Iterable[str] | None = None) -> None:
        """Reload what is shown, in place (only levels ``tables`` can affect, if given)."""
        levels = set(Level)
        if tables is not None:
            levels = {level for t in tables for level in self._layout.levels_of_table(t)}
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
            kind = self._layout.single_kind(level)
            if kind is None or await self._backend.get(kind, key) is not None:
                raise
            if self._context.get(level) == key:
                self.leave(level)  # deleted (by another tab, or a write still on its way)

    def _loader(
        self, level: Level, key: Any, partial: bool = False
    ) -> Callable[[], Awaitable[Any]]:
        backend = self._backend
        if level == Level.GLOBAL:
            return backend.load_settings
        if partial:
            return lambda: backend.load(level, key, partial=True)
        return lambda: backend.load(level, key)

    def _on_external(self, tables: Iterable[str]) -> asyncio.Future[None]:
        task = asyncio.ensure_future(self.refresh(list(tables)))
        self._refreshing.add(task)
        task.add_done_callback(self._refreshed)
        return task

    def _refreshed(self, task: asyncio.Future[None]) -> None:
        self._refreshing.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.warning("reloading after another tab's change failed", exc_info=task.exception())
