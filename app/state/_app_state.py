"""``AppState``: the app's state hierarchy and every write the UI can make.

Writes always go to the database and are never undone by navigation. What they
do to the stores is applied only where the context they belong to is the one
shown: a new message goes into ``messages`` only if its chat is still the active
chat when the write returns. If a load is in flight, the effect is replayed once
that load lands, so a write racing a load is not lost. Effects are idempotent
(replace or remove by id), so applying one twice is harmless. Writes to one
record are ordered: the effect of a write that returns after a later write (or
delete) of the same record returned is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app._gc import gc_paused

from ._backend import Backend
from ._levels import Level
from ._placement import Shows
from ._records import field_of, id_of, with_fields

if TYPE_CHECKING:
    from app.domain import ImportReport
    from app.domain.files import Files
    from app.domain.library import CancelToken, ImportChoice, Incoming, Progress

    from ._writing import Writing

__all__ = ["AppState"]

_GONE = 1 << 62


class AppState(Shows):
    """The app's state hierarchy over a storage ``Backend``.

    The UI reads stores through ``state.views`` (also reachable as attributes of
    the state: ``state.characters``, ``state.messages``, ``state.active_chat_id``
    ...) and changes anything only through the methods.
    """

    #: The library's sync (``app.sync``'s handle, started on first use); set by the boot,
    #: ``None`` where nothing syncs.
    sync: Any = None

    def __init__(self, backend: Backend, *, lore_cache: Any = None) -> None:
        super().__init__(backend)
        self._newest: dict[Any, int] = {}
        #: The app-wide ``app.lore.LayerCache`` (kept in step with lorebook edits by the
        #: boot), so building a prompt does not re-index unchanged lore; None: no cache.
        self.lore_cache = lore_cache
        self._writing: Writing | None = None

    @property
    def writing(self) -> Writing:
        """Series, stories, chapters, scene beats and every scope's lorebook: live stores
        of what the writing pages show, and their operations (see ``Writing``)."""
        if self._writing is None:
            from ._writing import Writing

            self._writing = Writing(self, self._backend.domain)
        return self._writing

    def _newest_write(self, record: Any, number: int) -> bool:
        """True if no write to ``record`` that started after write ``number`` has returned."""
        if self._newest.get(record, -1) > number:
            return False
        self._newest[record] = number
        return True

    async def create(self, kind: str, data: Mapping[str, Any]) -> Any:
        """Create an entity; it appears in the stores that show its context."""
        number = next(self._order)
        entity = await self._backend.create(kind, data)
        if self._newest_write((kind, id_of(entity)), number):
            with self._effects_of(number):
                self._show(kind, entity)
        await self._after_message(kind, entity)
        return entity

    async def update(self, kind: str, id: str, changes: Mapping[str, Any]) -> Any:
        """Update an entity; every store showing it follows (it may move between them)."""
        number = next(self._order)
        entity = await self._backend.update(kind, id, changes)
        if self._newest_write((kind, id), number):
            with self._effects_of(number):
                self._show(kind, entity)
        await self._after_message(kind, entity)
        return entity

    async def delete(self, kind: str, id: str) -> None:
        """Delete an entity and what it owns; if it was active, its level is left."""
        number = next(self._order)
        before = await self._backend.get(kind, id) if kind == "message" else None
        await self._backend.delete(kind, id)
        self._newest[(kind, id)] = _GONE  # no older write may show it again
        with self._effects_of(number):
            self._hide(kind, id)
        if kind == "folder":  # its items moved to the parent folder
            await self.refresh()
        await self._after_message(kind, before)

    async def _after_message(self, kind: str, message: Any) -> None:
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

    # -- chats, prompts and providers (the chat workspace) ----------------------------------
    async def _shown_write(self, kind: str, write: Any) -> Any:
        """Run ``write`` (a backend call returning one ``kind`` entity) and show it."""
        number = next(self._order)
        entity = await write
        if self._newest_write((kind, id_of(entity)), number):
            with self._effects_of(number):
                self._show(kind, entity)
        return entity

    async def start_chat(self, character_id: str, data: Mapping[str, Any] | None = None) -> Any:
        """A new chat with the character, opening with its greeting (and alternatives)."""
        return await self._shown_write("chat", self._backend.start_chat(character_id, data or {}))

    async def branch_chat(self, chat_id: str, message_id: str) -> Any:
        """A new chat holding ``chat_id``'s conversation up to ``message_id``."""
        return await self._shown_write("chat", self._backend.branch_chat(chat_id, message_id))

    async def save_provider(
        self,
        data: Mapping[str, Any],
        *,
        config_id: str | None = None,
        api_key: str | None = None,
    ) -> Any:
        """Create or update a provider config and its API key in one write (``api_key``:
        None keeps the key, "" removes it, else replaces it)."""
        config = await self._shown_write(
            "provider_config",
            self._backend.save_provider(data, config_id=config_id, api_key=api_key),
        )
        if api_key is not None:
            await self.refresh(["api_keys"])
        return config

    async def record_prompt(
        self, message_id: str, chat_id: str, alternative: int, report: Mapping[str, Any]
    ) -> Any:
        """Keep what the prompt inspector shows for version ``alternative`` of a reply."""
        return await self._backend.record_prompt(message_id, chat_id, alternative, report)

    async def prompt_report(self, message_id: str, alternative: int) -> Any:
        """The report kept for that version of a reply (None if none was kept)."""
        return await self._backend.prompt_report(message_id, alternative)

    # -- files in and out (the library) -------------------------------------------------------
    @property
    def files(self) -> Files:
        """Reading files, exports and the sample library (``app.domain.files.Files``);
        the writes below go through it and then show what they wrote."""
        return self._backend.files

    async def import_file(
        self,
        incoming: Incoming,
        choice: ImportChoice | None = None,
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportReport:
        """Import a file read by ``files.importer.describe`` (one transaction, or nothing);
        the levels showing what it wrote reload."""
        number = next(self._order)
        report = await self.files.importer.run(incoming, choice, progress=progress, cancel=cancel)
        await self._show_imported(number, report)
        return report

    async def add_sample_library(self) -> ImportReport:
        number = next(self._order)
        report = await self.files.sample.add()
        await self._show_imported(number, report)
        return report

    async def _show_imported(self, number: int, report: ImportReport) -> None:
        """Show what import ``number`` wrote: the records it reports are put where they
        belong (5,000 lorebook entries are not read back); tables whose records links
        or other stores decide about reload their levels."""
        layout = self._layout
        tables = list(report.written)
        if not all(layout.placeable(t) and t in report.records for t in tables):
            await self.refresh(tables)
            return
        kinds = {p.table: p.kind for p in layout.placements}
        with gc_paused(), self._effects_of(number):
            for table in tables:
                kind = kinds.get(table)
                if kind is None:
                    continue
                given = report.entities.get(table, [])
                if len(given) == len(report.records[table]) and None not in given:
                    self._show_many(kind, given)  # validated when the file was read
                else:
                    self._show_many(kind, self._backend.entities(kind, report.records[table]))

    async def remove_sample_library(self) -> None:
        await self.files.sample.remove()
        await self.refresh()
