"""Writing export files: a full backup, or one chat, folder, story, series or the global
lorebook, each in the envelope of `_formats.py`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._db_errors import translate_db_errors
from ._errors import NotFoundError
from ._formats import FORMAT, FORMAT_VERSION, ExportType
from ._ids import format_utc
from ._store import Store

__all__ = ["Exporter"]


class Exporter:
    """The exports of one store (records in their complete JSON form)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.registry = store.registry

    def _envelope(self, kind: ExportType) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "type": kind,
            "version": FORMAT_VERSION,
            "exported_at": format_utc(self.store.clock()),
        }

    def _tables(self) -> list[str]:
        return list(self.registry.import_order)

    def _normalise(self, table: str, record: Mapping[str, Any]) -> dict[str, Any]:
        """A stored record in its complete JSON form (fields the store dropped filled in)."""
        model = self.registry.for_table(table).model
        normal: dict[str, Any] = model.model_validate(dict(record)).model_dump(mode="json")
        return normal

    async def _all(self, table: str) -> list[dict[str, Any]]:
        records = await self.store.table(table).to_array()
        return [self._normalise(table, r) for r in records]

    async def _where(self, table: str, index: str, value: Any) -> list[dict[str, Any]]:
        records = await self.store.table(table).where(index).equals(value).to_array()
        return sorted((self._normalise(table, r) for r in records), key=lambda r: r["id"])

    async def _get(self, table: str, key: str, kind: str) -> dict[str, Any]:
        record = await self.store.table(table).get(key)
        if record is None:
            raise NotFoundError(kind, key)
        return self._normalise(table, record)

    async def export_full(self, *, include_secrets: bool = False) -> dict[str, Any]:
        """Every table. Fields that never leave the device (API keys) are left out unless
        `include_secrets=True` (the user ticked that box); a record that is nothing
        without them (an API key) is left out whole."""
        out = self._envelope("full")
        tables = self._tables()
        async with translate_db_errors(), self.store.transaction("r", *tables):
            for table in tables:
                entity = self.registry.for_table(table)
                if include_secrets or not entity.device_only:
                    out[table] = await self._all(table)
                elif entity.exportable_without_secrets:
                    secret = entity.device_only
                    records = await self._all(table)
                    out[table] = [{k: v for k, v in r.items() if k not in secret} for r in records]
        return out

    async def _chat_payload(self, chat_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        messages: list[dict[str, Any]] = []
        entries: list[dict[str, Any]] = []
        for chat_id in chat_ids:
            found = await self._where("messages", "chat_id", chat_id)
            messages += sorted(found, key=lambda m: (m["created_at"], m["id"]))
            entries += await self._where("lorebook_entries", "[level+scope_id]", ["chat", chat_id])
        return {"messages": messages, "lorebook_entries": entries}

    async def export_chat(self, chat_id: str) -> dict[str, Any]:
        """One chat with its messages and chat lorebook entries."""
        async with translate_db_errors(), self.store.transaction("r", *self._tables()):
            chat = await self._get("chats", chat_id, "chat")
            return {**self._envelope("chat"), "chat": chat, **await self._chat_payload([chat_id])}

    async def export_folder(self, folder_id: str) -> dict[str, Any]:
        """A folder, its sub-folders, and the chats in them (with messages and entries)."""
        async with translate_db_errors(), self.store.transaction("r", *self._tables()):
            root = await self._get("folders", folder_id, "folder")
            folders = [root]
            queue = [folder_id]
            while queue:
                children = await self._where("folders", "parent_id", queue.pop(0))
                folders += children
                queue += [c["id"] for c in children]
            chats: list[dict[str, Any]] = []
            for folder in folders:
                chats += await self._where("chats", "folder_id", folder["id"])
            payload = await self._chat_payload([c["id"] for c in chats])
            return {**self._envelope("folder"), "folders": folders, "chats": chats, **payload}

    async def _story_payload(self, story_id: str) -> dict[str, Any]:
        story = await self._get("stories", story_id, "story")
        chapters = await self._where("chapters", "story_id", story_id)
        beats = await self._where("scene_beats", "story_id", story_id)
        entries = await self._where("lorebook_entries", "[level+scope_id]", ["story", story_id])
        return {
            "story": story,
            "chapters": sorted(chapters, key=lambda c: (c["order"], c["id"])),
            "scene_beats": sorted(beats, key=lambda b: (b["chapter_id"], b["order"], b["id"])),
            "lorebook_entries": entries,
        }

    async def export_story(self, story_id: str) -> dict[str, Any]:
        """A story with chapters, scene beats, story entries and its series metadata."""
        async with translate_db_errors(), self.store.transaction("r", *self._tables()):
            payload = await self._story_payload(story_id)
            series_id = payload["story"].get("series_id")
            series = await self._get("series", series_id, "series") if series_id else None
            return {**self._envelope("story"), "series": series, **payload}

    async def export_series(self, series_id: str) -> dict[str, Any]:
        """A series with its entries and its stories (each as a story payload)."""
        async with translate_db_errors(), self.store.transaction("r", *self._tables()):
            series = await self._get("series", series_id, "series")
            entries = await self._where(
                "lorebook_entries", "[level+scope_id]", ["series", series_id]
            )
            story_ids = [s["id"] for s in await self._where("stories", "series_id", series_id)]
            stories = [await self._story_payload(i) for i in story_ids]
            return {
                **self._envelope("series"),
                "series": series,
                "lorebook_entries": entries,
                "stories": stories,
            }

    async def export_global_lorebook(self) -> dict[str, Any]:
        """Every global lorebook entry."""
        async with translate_db_errors(), self.store.transaction("r", "lorebook_entries"):
            entries = await self._where("lorebook_entries", "level", "global")
        return {**self._envelope("global-lorebook"), "lorebook_entries": entries}
