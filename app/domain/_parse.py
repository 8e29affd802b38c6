"""Reading an export file: validate everything, resolve nothing, write nothing."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as _PydanticValidationError

from ._errors import FieldError, InvalidDataError, field_errors_from_pydantic
from ._formats import FORMAT_VERSION, Envelope, ExportType
from ._registry import Registry

__all__ = ["MAX_REPORTED_ERRORS", "ErrorCollector", "Item", "ParsedFile", "parse_file"]

MAX_REPORTED_ERRORS = 50


@dataclass
class Item:
    path: str
    table: str
    record: dict[str, Any]
    #: Never overwritten or copied: created when missing, else left alone.
    reference_only: bool = False
    #: The validated entity ``record`` is the record of, when the reader has it (what
    #: loading the record gives; the import passes it on rather than validate again).
    entity: Any = None


@dataclass
class ParsedFile:
    """A validated file: its envelope and every record with its path in the file."""

    type: ExportType
    version: int
    items: list[Item]

    def records(self, table: str) -> list[dict[str, Any]]:
        return [i.record for i in self.items if i.table == table]


# ---------------------------------------------------------------------------- parsing


class ErrorCollector:
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


def _validate_record(
    registry: Registry, table: str, raw: Any, path: str, out: ErrorCollector
) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping):
        out.add(path, "must be an object")
        return None
    model = registry.for_table(table).model
    try:
        record: dict[str, Any] = model.model_validate(dict(raw)).model_dump(mode="json")
    except _PydanticValidationError as exc:
        for err in field_errors_from_pydantic(exc):
            out.add(f"{path}.{err.path}" if err.path else path, err.message)
        return None
    return record


def _list_items(
    registry: Registry, data: Mapping[str, Any], key: str, table: str, prefix: str, out: ErrorCollector
) -> list[Item]:
    raw = data.get(key, [])
    path = f"{prefix}{key}"
    if raw is None:
        return []
    if not isinstance(raw, list):
        out.add(path, "must be a list")
        return []
    items = []
    for index, value in enumerate(raw):
        record = _validate_record(registry, table, value, f"{path}[{index}]", out)
        if record is not None:
            items.append(Item(f"{path}[{index}]", table, record))
    return items


def _single_item(
    registry: Registry,
    data: Mapping[str, Any],
    key: str,
    table: str,
    prefix: str,
    out: ErrorCollector,
    *,
    required: bool,
) -> Item | None:
    raw = data.get(key)
    path = f"{prefix}{key}"
    if raw is None:
        if required:
            out.add(path, "required")
        return None
    record = _validate_record(registry, table, raw, path, out)
    return None if record is None else Item(path, table, record)


def _expect_scope(
    items: Iterable[Item], level: str, scope_id: str | None, out: ErrorCollector
) -> None:
    for item in items:
        if item.table != "lorebook_entries":
            continue
        if item.record["level"] != level:
            out.add(f"{item.path}.level", f'must be "{level}" in this file')
        elif scope_id is not None and item.record["scope_id"] != scope_id:
            out.add(f"{item.path}.scope_id", f"must be {scope_id!r} (the exported {level})")


def _story_items(
    registry: Registry, data: Mapping[str, Any], prefix: str, out: ErrorCollector
) -> list[Item]:
    story = _single_item(registry, data, "story", "stories", prefix, out, required=True)
    items = [story] if story else []
    chapters = _list_items(registry, data, "chapters", "chapters", prefix, out)
    beats = _list_items(registry, data, "scene_beats", "scene_beats", prefix, out)
    entries = _list_items(registry, data, "lorebook_entries", "lorebook_entries", prefix, out)
    story_id = story.record["id"] if story else None
    _expect_scope(entries, "story", story_id, out)
    for item in [*chapters, *beats]:
        if story_id is not None and item.record["story_id"] != story_id:
            out.add(f"{item.path}.story_id", f"must be {story_id!r} (the exported story)")
    return items + chapters + beats + entries


def parse_file(
    data: Mapping[str, Any] | str | bytes, registry: Registry | None = None
) -> ParsedFile:
    """Validate a whole export file without touching the database.

    Raises `InvalidDataError` listing every bad record by its path in the file, for
    example `lorebook_entries[3].scope_id: required when level is "series"`.
    `registry` says which tables a full backup may hold (default: the app's).
    """
    if registry is None:
        from ._features import default_registry

        registry = default_registry()
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

    out = ErrorCollector()
    items: list[Item] = []
    kind = envelope.type
    if kind == "full":
        for table in registry.import_order:
            items += _list_items(registry, data, table, table, "", out)
    elif kind == "chat":
        chat = _single_item(registry, data, "chat", "chats", "", out, required=True)
        messages = _list_items(registry, data, "messages", "messages", "", out)
        entries = _list_items(registry, data, "lorebook_entries", "lorebook_entries", "", out)
        chat_id = chat.record["id"] if chat else None
        _expect_scope(entries, "chat", chat_id, out)
        for m in messages:
            if chat_id is not None and m.record["chat_id"] != chat_id:
                out.add(f"{m.path}.chat_id", f"must be {chat_id!r} (the exported chat)")
        items += ([chat] if chat else []) + messages + entries
    elif kind == "folder":
        folders = _list_items(registry, data, "folders", "folders", "", out)
        if not folders:
            out.add("folders", "must hold the exported folder")
        chats = _list_items(registry, data, "chats", "chats", "", out)
        messages = _list_items(registry, data, "messages", "messages", "", out)
        entries = _list_items(registry, data, "lorebook_entries", "lorebook_entries", "", out)
        _expect_scope(entries, "chat", None, out)
        items += folders + chats + messages + entries
    elif kind == "story":
        series = _single_item(registry, data, "series", "series", "", out, required=False)
        if series is not None:
            series.reference_only = True
            items.append(series)
        items += _story_items(registry, data, "", out)
    elif kind == "series":
        series = _single_item(registry, data, "series", "series", "", out, required=True)
        entries = _list_items(registry, data, "lorebook_entries", "lorebook_entries", "", out)
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
            story_items = _story_items(registry, story, f"stories[{index}].", out)
            for item in story_items:
                if (
                    item.table == "stories"
                    and series
                    and item.record["series_id"] != series.record["id"]
                ):
                    out.add(f"{item.path}.series_id", "must be the exported series")
            items += story_items
    elif kind == "global-lorebook":
        entries = _list_items(registry, data, "lorebook_entries", "lorebook_entries", "", out)
        _expect_scope(entries, "global", None, out)
        items += entries

    seen: dict[tuple[str, str], str] = {}
    for item in items:
        key = (item.table, str(item.record[registry.for_table(item.table).key]))
        if key in seen:
            out.add(f"{item.path}.id", f"duplicate of {seen[key]}")
        else:
            seen[key] = item.path
    out.raise_if_any()
    return ParsedFile(kind, envelope.version, items)
