"""A state ``Backend`` over the app.db memory backend, with gates to hold calls mid-flight."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from app.db import Database
from app.domain import default_registry
from app.state import Layout, Level, Placement, load_level

TABLES = {
    "settings": "key",
    "characters": "id, name, folder_id",
    "personas": "id",
    "api_keys": "id",
    "provider_configs": "id",
    "prompt_presets": "id",
    "modules": "id, folder_id",
    "module_links": "id, module_id, target_id, [target_level+target_id]",
    "plugins": "id",
    "series": "id",
    "stories": "id, folder_id",
    "folders": "id, parent_id",
    "chats": "id, character_id, folder_id, persona_id",
    "messages": "id, chat_id, [chat_id+seq]",
    "lorebook_entries": "id, level, [level+scope_id]",
    "scripts": "id, level, [level+scope_id]",
}
KIND_TABLE = {
    "character": "characters",
    "persona": "personas",
    "api_key": "api_keys",
    "provider_config": "provider_configs",
    "preset": "prompt_presets",
    "module": "modules",
    "plugin": "plugins",
    "series": "series",
    "story": "stories",
    "folder": "folders",
    "chat": "chats",
    "message": "messages",
    "lorebook_entry": "lorebook_entries",
    "script": "scripts",
    "module_link": "module_links",
}
_names = itertools.count()


class MemoryBackend:
    """Reads and writes plain dicts. ``hold(name)`` pauses the next call of ``name``
    after it has done its database work, until the returned event is set."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._gates: dict[str, list[asyncio.Event]] = {}
        self._arrivals: dict[str, asyncio.Event] = {}
        self._seq = itertools.count()
        self._watchers: list[Callable[[list[str]], Any]] = []
        self.calls: list[str] = []
        self.fail_attach = False

    @classmethod
    async def open(cls) -> MemoryBackend:
        db = Database(f"state-{next(_names)}-{uuid.uuid4().hex[:8]}", backend="memory")
        db.version(1).stores(TABLES)
        await db.open()
        return cls(db)

    # -- test controls ------------------------------------------------------------------------
    def hold(self, name: str) -> asyncio.Event:
        self._arrival(name).clear()  # ``arrived(name)`` now waits for the held call
        gate = asyncio.Event()
        self._gates.setdefault(name, []).append(gate)
        return gate

    async def _gate(self, name: str) -> None:
        self.calls.append(name)
        self._arrival(name).set()
        gates = self._gates.get(name)
        if gates:
            await gates.pop(0).wait()

    def _arrival(self, name: str) -> asyncio.Event:
        return self._arrivals.setdefault(name, asyncio.Event())

    async def arrived(self, name: str) -> None:
        """Wait until a call of ``name`` has done its database work (since the last
        ``hold(name)``, if any)."""
        await self._arrival(name).wait()

    def watch_external(self, fn: Callable[[list[str]], Any]) -> Callable[[], None]:
        self._watchers.append(fn)
        return lambda: self._watchers.remove(fn)

    def simulate_other_tab(self, tables: list[str]) -> list[Any]:
        return [fn(tables) for fn in list(self._watchers)]

    def t(self, name: str) -> Any:
        return self.db.table(name)

    # -- loaders ------------------------------------------------------------------------------
    @property
    def layout(self) -> Layout:
        return _LAYOUT

    async def load_settings(self) -> dict[str, Any]:
        rows = await self.t("settings").to_array()
        await self._gate("load_settings")
        return {row["key"]: row["value"] for row in rows}

    async def load(self, level: Level, key: Any, *, partial: bool = False) -> dict[str, Any]:
        values = await load_level(self.layout, level, key, self, partial=partial)
        await self._gate(f"load_{level.name.lower()}")
        return values

    async def find_latest(
        self, kind: str, where: Mapping[str, Any], placement: Placement
    ) -> list[dict[str, Any]]:
        found = await self.find(kind, where, placement)
        n = placement.shown.latest[1] if placement.shown.latest else len(found)
        return found[-n:]

    async def find(
        self, kind: str, where: Mapping[str, Any], placement: Placement | None
    ) -> list[dict[str, Any]]:
        def matches(record: dict[str, Any]) -> bool:
            for name, wanted in where.items():
                value = record.get(name)
                if isinstance(wanted, frozenset):
                    if value not in wanted:
                        return False
                elif value != wanted:
                    return False
            return True

        records = [r for r in await self.t(KIND_TABLE[kind]).to_array() if matches(r)]
        if kind == "message":
            records.sort(key=lambda m: m["seq"])
        return records

    # -- writers ------------------------------------------------------------------------------
    async def get(self, kind: str, id: str) -> Any:
        return await self.t(KIND_TABLE[kind]).get(id)

    def entities(self, kind: str, records: list[dict[str, Any]]) -> list[Any]:
        return [dict(record) for record in records]

    async def create(self, kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
        record = {"id": uuid.uuid4().hex, **data}
        if kind == "message":
            record["seq"] = next(self._seq)
        await self.t(KIND_TABLE[kind]).add(record)
        if kind == "message":
            await self._sync_chat(record["chat_id"])
        await self._gate("create")
        return record

    async def update(self, kind: str, id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        table = self.t(KIND_TABLE[kind])
        record = {**(await table.get(id)), **changes}
        await table.put(record)
        if kind == "message":
            await self._sync_chat(record["chat_id"])
        await self._gate("update")
        return record

    async def delete(self, kind: str, id: str) -> None:
        table = self.t(KIND_TABLE[kind])
        record = await table.get(id)
        if kind == "character":
            for chat_id in await self.t("chats").where("character_id").equals(id).primary_keys():
                await self._delete_chat(chat_id)
            for name in ("lorebook_entries", "scripts"):
                await self.t(name).where("[level+scope_id]").equals(["character", id]).delete()
        elif kind == "chat":
            await self._delete_chat(id)
        elif kind == "module":
            await self.t("module_links").where("module_id").equals(id).delete()
            for name in ("lorebook_entries", "scripts"):
                await self.t(name).where("[level+scope_id]").equals(["module", id]).delete()
        elif kind == "folder" and record is not None:
            parent = record.get("parent_id")
            for name in ("characters", "chats", "modules", "stories"):
                await self.t(name).where("folder_id").equals(id).modify({"folder_id": parent})
        await table.delete(id)
        if kind == "message" and record is not None:
            await self._sync_chat(record["chat_id"])
        await self._gate("delete")

    async def _delete_chat(self, chat_id: str) -> None:
        await self.t("messages").where("chat_id").equals(chat_id).delete()
        await (
            self.t("lorebook_entries").where("[level+scope_id]").equals(["chat", chat_id]).delete()
        )
        await self.t("chats").delete(chat_id)

    async def _sync_chat(self, chat_id: str) -> None:
        messages = await self.t("messages").where("chat_id").equals(chat_id).to_array()
        last = max(messages, key=lambda m: m["seq"], default=None)
        await self.t("chats").update(
            chat_id,
            {
                "preview": "" if last is None else str(last.get("content", "")),
                "message_count": len(messages),
            },
        )

    async def set_setting(self, key: str, value: Any) -> Any:
        await self.t("settings").put({"key": key, "value": value})
        await self._gate("set_setting")
        return value

    async def set_active_preset(self, id: str) -> dict[str, Any]:
        presets = self.t("prompt_presets")
        for preset in await presets.to_array():
            await presets.update(preset["id"], {"is_active": preset["id"] == id})
        await self._gate("set_active_preset")
        return await presets.get(id)

    async def attach_module(self, module_id: str, level: str, target_id: str) -> dict[str, Any]:
        link = {
            "id": uuid.uuid4().hex,
            "module_id": module_id,
            "target_level": level,
            "target_id": target_id,
            "enabled": True,
        }
        await self.t("module_links").add(link)
        return link

    async def detach_module(self, module_id: str, level: str, target_id: str) -> int:
        links = (
            await self.t("module_links")
            .where("[target_level+target_id]")
            .equals([level, target_id])
            .to_array()
        )
        doomed = [link["id"] for link in links if link["module_id"] == module_id]
        await self.t("module_links").bulk_delete(doomed)
        return len(doomed)

    async def create_attached_module(
        self, data: Mapping[str, Any], level: str, target_id: str
    ) -> dict[str, Any]:
        module = await self.create("module", data)
        try:
            if self.fail_attach:
                raise RuntimeError("attach failed")
            await self.attach_module(module["id"], level, target_id)
        except Exception:
            await self.delete("module", module["id"])  # compensation
            raise
        return module


_LAYOUT = Layout.of(default_registry())
