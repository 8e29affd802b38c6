"""Export and import: versioned JSON files, validated completely before anything is written.

File types (`"type"` in the envelope, with `"format": "lorekeeper"`, `"version": 1`):
- `full`: every table, each as a top-level list (`"characters": [...]`, ...);
- `chat`: `chat`, its `messages` and chat `lorebook_entries`;
- `folder`: the `folders` of a tree, their `chats`, `messages` and chat entries;
- `story`: `story`, `chapters`, `scene_beats`, story `lorebook_entries` and the
  `series` metadata (not series or global entries);
- `series`: `series`, its `lorebook_entries` and `stories` (each a story payload);
- `global-lorebook`: the global `lorebook_entries`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as _PydanticValidationError

from ._db_errors import translate_db_errors
from ._errors import FieldError, InvalidDataError, NotFoundError, field_errors_from_pydantic
from ._formats import (
    FORMAT,
    FORMAT_VERSION,
    IMPORT_ORDER,
    TABLE_MODELS,
    Envelope,
    ExportType,
    ImportOptions,
    ImportReport,
    references_of,
)
from ._ids import format_utc, new_id
from ._module import declare
from ._store import Store
from .messages import refresh_chat_summary
from .settings import _validate as validate_setting

__all__ = ["MAX_REPORTED_ERRORS", "ParsedFile", "Transfer", "parse_file", "register"]

MAX_REPORTED_ERRORS = 50

#: For each file type: top-level key -> table; `None` marks a single record.
_SINGLE = {"chat": "chats", "story": "stories", "series": "series"}


@dataclass
class _Item:
    path: str
    table: str
    record: dict[str, Any]
    #: Never overwritten or copied: created when missing, else left alone.
    reference_only: bool = False


@dataclass
class ParsedFile:
    """A validated file: its envelope and every record with its path in the file."""

    type: ExportType
    version: int
    items: list[_Item]

    def records(self, table: str) -> list[dict[str, Any]]:
        return [i.record for i in self.items if i.table == table]


# ---------------------------------------------------------------------------- parsing


class _Collector:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        shown = self.errors[:MAX_REPORTED_ERRORS]
        hidden = len(self.errors) - len(shown)
        if hidden:
            shown.append(FieldError("", f"... and {hidden} more errors"))
        raise InvalidDataError(shown)


def _validate_record(table: str, raw: Any, path: str, out: _Collector) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping):
        out.add(path, "must be an object")
        return None
    model: type[BaseModel] = TABLE_MODELS[table]
    try:
        record = model.model_validate(dict(raw)).model_dump(mode="json")
    except _PydanticValidationError as exc:
        for err in field_errors_from_pydantic(exc):
            out.add(f"{path}.{err.path}" if err.path else path, err.message)
        return None
    if table == "settings":
        try:
            record["value"] = validate_setting(record["key"], record["value"])
        except InvalidDataError as exc:
            message = exc.errors[0].message
            out.add(f"{path}.key" if message == "unknown setting" else f"{path}.value", message)
            return None
    return record


def _list_items(
    data: Mapping[str, Any], key: str, table: str, prefix: str, out: _Collector
) -> list[_Item]:
    raw = data.get(key, [])
    path = f"{prefix}{key}"
    if raw is None:
        return []
    if not isinstance(raw, list):
        out.add(path, "must be a list")
        return []
    items = []
    for index, value in enumerate(raw):
        record = _validate_record(table, value, f"{path}[{index}]", out)
        if record is not None:
            items.append(_Item(f"{path}[{index}]", table, record))
    return items


def _single_item(
    data: Mapping[str, Any], key: str, table: str, prefix: str, out: _Collector, *, required: bool
) -> _Item | None:
    raw = data.get(key)
    path = f"{prefix}{key}"
    if raw is None:
        if required:
            out.add(path, "required")
        return None
    record = _validate_record(table, raw, path, out)
    return None if record is None else _Item(path, table, record)


def _expect_scope(
    items: Iterable[_Item], level: str, scope_id: str | None, out: _Collector
) -> None:
    for item in items:
        if item.table != "lorebook_entries":
            continue
        if item.record["level"] != level:
            out.add(f"{item.path}.level", f'must be "{level}" in this file')
        elif scope_id is not None and item.record["scope_id"] != scope_id:
            out.add(f"{item.path}.scope_id", f"must be {scope_id!r} (the exported {level})")


def _story_items(data: Mapping[str, Any], prefix: str, out: _Collector) -> list[_Item]:
    story = _single_item(data, "story", "stories", prefix, out, required=True)
    items = [story] if story else []
    chapters = _list_items(data, "chapters", "chapters", prefix, out)
    beats = _list_items(data, "scene_beats", "scene_beats", prefix, out)
    entries = _list_items(data, "lorebook_entries", "lorebook_entries", prefix, out)
    story_id = story.record["id"] if story else None
    _expect_scope(entries, "story", story_id, out)
    for item in [*chapters, *beats]:
        if story_id is not None and item.record["story_id"] != story_id:
            out.add(f"{item.path}.story_id", f"must be {story_id!r} (the exported story)")
    return items + chapters + beats + entries


def parse_file(data: Mapping[str, Any] | str | bytes) -> ParsedFile:
    """Validate a whole export file without touching the database.

    Raises `InvalidDataError` listing every bad record by its path in the file, for
    example `lorebook_entries[3].scope_id: required when level is "series"`.
    """
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise InvalidDataError([FieldError("", f"not a JSON file ({exc})")]) from None
    if not isinstance(data, Mapping):
        raise InvalidDataError([FieldError("", "not a Lorekeeper export (expected an object)")])
    try:
        envelope = Envelope.model_validate(
            {k: data.get(k) for k in ("format", "type", "version", "exported_at") if k in data}
        )
    except _PydanticValidationError as exc:
        errors = field_errors_from_pydantic(exc)
        for err in errors:
            if err.path == "version" and isinstance(data.get("version"), int):
                if data["version"] > FORMAT_VERSION:
                    raise InvalidDataError(
                        [
                            FieldError(
                                "version",
                                f"made by a newer Lorekeeper (format {data['version']}); "
                                "update the app to import it",
                            )
                        ]
                    ) from None
        raise InvalidDataError(errors) from None

    out = _Collector()
    items: list[_Item] = []
    kind = envelope.type
    if kind == "full":
        for table in IMPORT_ORDER:
            items += _list_items(data, table, table, "", out)
    elif kind == "chat":
        chat = _single_item(data, "chat", "chats", "", out, required=True)
        messages = _list_items(data, "messages", "messages", "", out)
        entries = _list_items(data, "lorebook_entries", "lorebook_entries", "", out)
        chat_id = chat.record["id"] if chat else None
        _expect_scope(entries, "chat", chat_id, out)
        for m in messages:
            if chat_id is not None and m.record["chat_id"] != chat_id:
                out.add(f"{m.path}.chat_id", f"must be {chat_id!r} (the exported chat)")
        items += ([chat] if chat else []) + messages + entries
    elif kind == "folder":
        folders = _list_items(data, "folders", "folders", "", out)
        if not folders:
            out.add("folders", "must hold the exported folder")
        chats = _list_items(data, "chats", "chats", "", out)
        messages = _list_items(data, "messages", "messages", "", out)
        entries = _list_items(data, "lorebook_entries", "lorebook_entries", "", out)
        _expect_scope(entries, "chat", None, out)
        items += folders + chats + messages + entries
    elif kind == "story":
        series = _single_item(data, "series", "series", "", out, required=False)
        if series is not None:
            series.reference_only = True
            items.append(series)
        items += _story_items(data, "", out)
    elif kind == "series":
        series = _single_item(data, "series", "series", "", out, required=True)
        entries = _list_items(data, "lorebook_entries", "lorebook_entries", "", out)
        _expect_scope(entries, "series", series.record["id"] if series else None, out)
        items += ([series] if series else []) + entries
        stories = data.get("stories", [])
        if not isinstance(stories, list):
            out.add("stories", "must be a list")
            stories = []
        for index, story in enumerate(stories):
            if not isinstance(story, Mapping):
                out.add(f"stories[{index}]", "must be an object")
                continue
            story_items = _story_items(story, f"stories[{index}].", out)
            for item in story_items:
                if (
                    item.table == "stories"
                    and series
                    and item.record["series_id"] != series.record["id"]
                ):
                    out.add(f"{item.path}.series_id", "must be the exported series")
            items += story_items
    elif kind == "global-lorebook":
        entries = _list_items(data, "lorebook_entries", "lorebook_entries", "", out)
        _expect_scope(entries, "global", None, out)
        items += entries

    seen: dict[tuple[str, str], str] = {}
    for item in items:
        key = (item.table, str(item.record.get("id", item.record.get("key"))))
        if key in seen:
            out.add(f"{item.path}.id", f"duplicate of {seen[key]}")
        else:
            seen[key] = item.path
    out.raise_if_any()
    return ParsedFile(kind, envelope.version, items)


# ---------------------------------------------------------------------------- transfer


def _pk(table: str) -> str:
    return "key" if table == "settings" else "id"


class Transfer:
    """Exports and imports for one store (see the module docstring for file types)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- export --------------------------------------------------------------------------
    def _envelope(self, kind: ExportType) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "type": kind,
            "version": FORMAT_VERSION,
            "exported_at": format_utc(self.store.clock()),
        }

    def _tables(self) -> list[str]:
        return [t for t in IMPORT_ORDER if self.store.has_table(t)]

    async def _all(self, table: str) -> list[dict[str, Any]]:
        records = await self.store.table(table).to_array()
        return [_normalise(table, r) for r in records]

    async def _where(self, table: str, index: str, value: Any) -> list[dict[str, Any]]:
        records = await self.store.table(table).where(index).equals(value).to_array()
        return sorted((_normalise(table, r) for r in records), key=lambda r: r["id"])

    async def _get(self, table: str, key: str, kind: str) -> dict[str, Any]:
        record = await self.store.table(table).get(key)
        if record is None:
            raise NotFoundError(kind, key)
        return _normalise(table, record)

    async def export_full(self, *, include_api_keys: bool = True) -> dict[str, Any]:
        """Every table (API keys too unless `include_api_keys=False`)."""
        out = self._envelope("full")
        tables = self._tables()
        async with translate_db_errors(), self.store.transaction("r", *tables):
            for table in tables:
                if table == "api_keys" and not include_api_keys:
                    continue
                out[table] = await self._all(table)
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

    # -- import --------------------------------------------------------------------------
    async def import_file(
        self,
        data: Mapping[str, Any] | str | bytes | ParsedFile,
        options: ImportOptions | None = None,
    ) -> ImportReport:
        """Validate everything, then write in one transaction (or raise, writing nothing)."""
        parsed = data if isinstance(data, ParsedFile) else parse_file(data)
        options = options or ImportOptions()
        tables = self._tables()
        async with translate_db_errors(), self.store.transaction("rw", *tables):
            plan = await _plan(self.store, parsed, options)
            await _write(self.store, plan)
        return plan.report


# ---------------------------------------------------------------------------- planning


@dataclass
class _Plan:
    report: ImportReport
    writes: dict[str, list[dict[str, Any]]]
    chats_to_refresh: set[str]
    active_preset: str | None


async def _exists(store: Store, table: str, key: Any, cache: dict[tuple[str, Any], bool]) -> bool:
    if (table, key) not in cache:
        cache[(table, key)] = (
            store.has_table(table) and (await store.table(table).get(key)) is not None
        )
    return cache[(table, key)]


async def _prefetch_existing(
    store: Store, by_table: dict[str, list[_Item]], cache: dict[tuple[str, Any], bool]
) -> None:
    """One `bulk_get` per table tells which of the file's ids already exist."""
    for table, items in by_table.items():
        if not store.has_table(table):
            continue
        keys = [item.record[_pk(table)] for item in items]
        found = await store.table(table).bulk_get(keys)
        for key, record in zip(keys, found, strict=True):
            cache[(table, key)] = record is not None


async def _plan(store: Store, parsed: ParsedFile, options: ImportOptions) -> _Plan:
    """Decide every record's fate, then resolve references; raise before any write.

    Pass 1 decides, for each record, skip (unselected or existing with "skip"),
    write, or copy (existing with "copy": a new id). Pass 2, in reference order,
    rewrites references to copied records, drops records whose required parent is
    not imported, clears optional references that resolve nowhere, and collects an
    error for each required reference that resolves nowhere.
    """
    report = ImportReport()
    chosen = options.tables()
    out = _Collector()
    exists_cache: dict[tuple[str, Any], bool] = {}
    id_map: dict[tuple[str, str], str] = {}
    #: original ids (per table) present after the import: written, copied or kept.
    available: set[tuple[str, str]] = set()
    #: original ids in the file that will not be present (unselected or cascaded).
    dropped: set[tuple[str, str]] = set()

    by_table: dict[str, list[_Item]] = {}
    for item in parsed.items:
        by_table.setdefault(item.table, []).append(item)
    await _prefetch_existing(store, by_table, exists_cache)

    pending: list[tuple[_Item, dict[str, Any]]] = []
    for table in IMPORT_ORDER:
        for item in by_table.get(table, []):
            original = str(item.record[_pk(table)])
            if table not in chosen or not store.has_table(table):
                report.count(report.skipped_unselected, table)
                dropped.add((table, original))
                continue
            exists = exists_cache.get((table, original), False)
            policy = "skip" if item.reference_only else options.on_conflict
            if exists and table == "settings" and policy == "copy":
                policy = "overwrite"  # a setting cannot be duplicated
            available.add((table, original))
            if exists and policy == "skip":
                report.count(report.skipped_existing, table)
                continue
            record = dict(item.record)
            if exists and policy == "copy":
                fresh = new_id()
                id_map[(table, original)] = fresh
                report.id_map[original] = fresh
                record["id"] = fresh
                report.count(report.copied, table)
            pending.append((item, record))

    writes: dict[str, list[dict[str, Any]]] = {}
    chats_to_refresh: set[str] = set()
    active_preset: str | None = None
    for item, record in pending:
        table = item.table
        original = str(item.record[_pk(table)])
        keep = True
        for ref in references_of(table, record):
            target = record.get(ref.field)
            if target is None:
                continue
            key = (ref.table, target)
            if key in available:
                record[ref.field] = id_map.get(key, target)
                continue
            if await _exists(store, ref.table, target, exists_cache):
                continue  # not imported (or unselected), but the database has it
            if ref.required and key in dropped:
                keep = False
                break
            if ref.required:
                out.add(
                    f"{item.path}.{ref.field}",
                    f"no {ref.table} record with id {target!r} in the file or the database",
                )
            else:
                record[ref.field] = None
                report.orphaned.append(f"{item.path}.{ref.field}: {target!r} not found, cleared")
        if not keep:
            report.count(report.skipped_unselected, table)
            available.discard((table, original))
            dropped.add((table, original))
            continue
        writes.setdefault(table, []).append(record)
        report.count(report.written, table)
        if table == "messages":
            chats_to_refresh.add(record["chat_id"])
        elif table == "chats":
            chats_to_refresh.add(record["id"])
        elif table == "prompt_presets" and record.get("is_active"):
            active_preset = record["id"]
    out.raise_if_any()
    return _Plan(report, writes, chats_to_refresh, active_preset)


async def _write(store: Store, plan: _Plan) -> None:
    for table in IMPORT_ORDER:
        records = plan.writes.get(table)
        if records:
            await store.table(table).bulk_put(records)
    for chat_id in sorted(plan.chats_to_refresh):
        await refresh_chat_summary(store, chat_id)
    if store.has_table("prompt_presets") and plan.writes.get("prompt_presets"):
        await _one_active_preset(store, plan.active_preset)


async def _one_active_preset(store: Store, preferred: str | None) -> None:
    table = store.table("prompt_presets")
    presets = await table.to_array()
    if not presets:
        return
    active = [p for p in presets if p.get("is_active")]
    keep = preferred or (active[0]["id"] if active else None)
    if keep is None:
        keep = max(presets, key=lambda p: (p["updated_at"], p["id"]))["id"]
    now = format_utc(store.clock())
    for preset in presets:
        should = preset["id"] == keep
        if bool(preset.get("is_active")) != should:
            await table.put({**preset, "is_active": should, "updated_at": now})


def _normalise(table: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """A stored record in its complete JSON form (fields the store dropped filled in)."""
    model = TABLE_MODELS[table]
    return model.model_validate(dict(record)).model_dump(mode="json")


def register(store: Store) -> Transfer:
    """Export/import needs no tables of its own; returns the `Transfer` API."""
    return declare(store, "transfer", {}, Transfer(store))
