"""``DomainBackend``: the state layer's ``Backend`` over the domain repositories."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ._backend import Kind

__all__ = ["DomainBackend"]


class DomainBackend:
    """Loads levels and writes entities through ``app.domain``'s repositories.

    ``domain`` is what ``app.domain.open_domain(db)`` returns. Entities are the
    domain's pydantic models. Another tab's writes (the store's
    ``"external-change"`` event) are reported to ``AppState``, which reloads the
    levels they can affect.
    """

    def __init__(self, domain: Any) -> None:
        self.domain = domain

    def _repo(self, kind: Kind) -> Any:
        d = self.domain
        return {
            "character": d.characters,
            "persona": d.personas,
            "preset": d.presets,
            "module": d.modules.modules,
            "plugin": d.plugins,
            "series": d.series,
            "story": d.stories.stories,
            "folder": d.folders,
            "chat": d.chats,
            "message": d.messages,
            "lorebook_entry": d.lorebook,
            "script": d.scripts,
        }[kind]

    # -- loaders ----------------------------------------------------------------------------
    async def load_settings(self) -> Any:
        return await self.domain.settings.all()

    async def load_lists(self) -> dict[str, Any]:
        d = self.domain
        return {
            "characters": await d.characters.list(),
            "personas": await d.personas.list(),
            "presets": await d.presets.list(),
            "modules": await d.modules.modules.list(),
            "plugins": await d.plugins.list(),
            "series": await d.series.list(),
            "stories": await d.stories.stories.list(),
            "folders": await d.folders.list(),
            "global_lorebook": await d.lorebook.by_level("global"),
            "global_scripts": await d.scripts.for_scope("global"),
        }

    async def _attached_modules(self, level: str, target_id: str) -> list[Any]:
        modules = self.domain.modules
        links = await modules.links.for_target(level, target_id)
        ids = list(dict.fromkeys(link.module_id for link in links if link.enabled))
        found = [await modules.modules.get(module_id) for module_id in ids]
        return [module for module in found if module is not None]

    async def _module_entries(self, modules: Iterable[Any]) -> tuple[list[Any], list[Any]]:
        entries: list[Any] = []
        scripts: list[Any] = []
        for module in modules:
            entries += await self.domain.lorebook.by_level("module", module.id)
            scripts += await self.domain.scripts.for_scope("module", module.id)
        return entries, scripts

    async def load_character(self, character_id: str) -> dict[str, Any]:
        d = self.domain
        character = await d.characters.require(character_id)
        modules = await self._attached_modules("character", character_id)
        module_entries, module_scripts = await self._module_entries(modules)
        return {
            "active_character": character,
            "chats": await d.chats.for_character(character_id),
            "character_lorebooks": await d.lorebook.by_level("character", character_id),
            "character_scripts": await d.scripts.for_scope("character", character_id),
            "character_modules": modules,
            "module_lorebooks": module_entries,
            "module_scripts": module_scripts,
        }

    async def load_chat(self, chat_id: str) -> dict[str, Any]:
        d = self.domain
        chat = await d.chats.require(chat_id)
        modules = await self._attached_modules("chat", chat_id)
        module_entries, module_scripts = await self._module_entries(modules)
        return {
            "active_chat": chat,
            "messages": await d.messages.for_chat(chat_id),
            "chat_lorebooks": await d.lorebook.by_level("chat", chat_id),
            "chat_modules": modules,
            "chat_module_lorebooks": module_entries,
            "chat_module_scripts": module_scripts,
        }

    # -- writers ----------------------------------------------------------------------------
    async def get(self, kind: Kind, id: str) -> Any:
        return await self._repo(kind).get(id)

    async def create(self, kind: Kind, data: Mapping[str, Any]) -> Any:
        return await self._repo(kind).create(data)

    async def update(self, kind: Kind, id: str, changes: Mapping[str, Any]) -> Any:
        return await self._repo(kind).update(id, changes)

    async def delete(self, kind: Kind, id: str) -> None:
        if kind == "module":  # unlink, then delete; the links come back if the delete fails
            await self.domain.modules.delete_detached(id)
        else:
            await self._repo(kind).delete(id)

    async def set_setting(self, key: str, value: Any) -> Any:
        return await self.domain.settings.set(key, value)

    async def set_active_preset(self, id: str) -> Any:
        return await self.domain.presets.set_active(id)

    async def attach_module(self, module_id: str, level: str, target_id: str) -> Any:
        return await self.domain.modules.links.attach(module_id, level, target_id)

    async def detach_module(self, module_id: str, level: str, target_id: str) -> Any:
        return await self.domain.modules.links.detach(module_id, level, target_id)

    async def create_attached_module(
        self, data: Mapping[str, Any], level: str, target_id: str
    ) -> Any:
        return await self.domain.modules.create_attached(data, level, target_id)

    def watch_external(self, fn: Callable[[list[str]], Any]) -> Callable[[], None]:
        """Call ``fn(table_names)`` after another tab (or another connection) commits.

        Two sources: the store's ``"external-change"`` event, and one live query
        per table (``app.db`` re-runs it after any commit that touched the table,
        in any tab). A re-run with no commit of this store in between comes from
        elsewhere. (A commit here and one elsewhere that land in the same re-run
        count as ours; the next change from elsewhere catches up.)
        """
        from app.db import live_query

        store = self.domain.store
        stops = [
            store.on("external-change", lambda changes: fn(sorted({c.table for c in changes})))
        ]
        ours: dict[str, int] = {}

        def count_ours(changes: list[Any]) -> None:
            for table in {c.table for c in changes if not c.external}:
                ours[table] = ours.get(table, 0) + 1

        stops.append(store.on("changes", count_ours))
        for table in _WATCHED_TABLES:
            if not store.has_table(table):
                continue
            stops.append(
                live_query(lambda t=table: store.table(t).count()).subscribe(
                    _ReRuns(table, ours, fn), _ignore
                )
            )

        def stop() -> None:
            for unsubscribe in stops:
                unsubscribe()

        return stop


_WATCHED_TABLES = (
    "settings",
    "characters",
    "personas",
    "prompt_presets",
    "modules",
    "module_links",
    "plugins",
    "series",
    "stories",
    "folders",
    "lorebook_entries",
    "scripts",
    "chats",
    "messages",
)


class _ReRuns:
    """Live-query listener: reports ``table`` when a re-run follows no commit of ours."""

    def __init__(self, table: str, ours: dict[str, int], fn: Callable[[list[str]], Any]) -> None:
        self.table = table
        self.ours = ours
        self.fn = fn
        self.seen: int | None = None

    def __call__(self, _count: Any) -> None:
        current = self.ours.get(self.table, 0)
        previous, self.seen = self.seen, current
        if previous is not None and previous == current:  # not the first run, not our commit
            self.fn([self.table])


def _ignore(_error: Any) -> None:
    return None
