"""Code tables and scope metadata shared by the importers and exporters."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from .._entry import LEVELS, LoreEntry
from ._errors import FormatError

__all__ = [
    "LOGIC_FROM_ST",
    "LOGIC_TO_ST",
    "POSITION_FROM_ST",
    "POSITION_TO_ST",
    "bookkeeping",
    "export_extensions",
    "new_entry",
    "restore_scope",
]

#: SillyTavern `selectiveLogic` codes.
LOGIC_FROM_ST = {0: "and_any", 1: "not_all", 2: "not_any", 3: "and_all"}
LOGIC_TO_ST = {v: k for k, v in LOGIC_FROM_ST.items()}
#: SillyTavern `position` codes.
POSITION_FROM_ST = {
    0: "before_char",
    1: "after_char",
    2: "an_top",
    3: "an_bottom",
    4: "at_depth",
    5: "em_top",
    6: "em_bottom",
    7: "outlet",
}
POSITION_TO_ST = {v: k for k, v in POSITION_FROM_ST.items()}


def logic_from_st(value: Any, path: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LOGIC_FROM_ST:
        raise FormatError(f"{path}: selectiveLogic must be 0, 1, 2 or 3, got {value!r}")
    return LOGIC_FROM_ST[value]


def position_from_st(value: Any, path: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value not in POSITION_FROM_ST:
        raise FormatError(f"{path}: position must be a number from 0 to 7, got {value!r}")
    return POSITION_FROM_ST[value]


def new_entry(**fields: Any) -> LoreEntry:
    fields.setdefault("id", str(uuid.uuid4()))
    return LoreEntry(**fields)


def restore_scope(entry: LoreEntry, path: str) -> None:
    """Apply scope metadata we wrote earlier (`extensions.lorekeeper`) to an imported entry."""
    meta = entry.extensions.get("lorekeeper")
    if not isinstance(meta, dict):
        return
    level = meta.get("level")
    if level is not None:
        if level not in LEVELS:
            raise FormatError(f"{path}.extensions.lorekeeper.level: unknown level {level!r}")
        scope_id = meta.get("scope_id")
        if level == "global":
            scope_id = None
        elif not isinstance(scope_id, str) or not scope_id:
            raise FormatError(f"{path}.extensions.lorekeeper.scope_id: required for {level!r}")
        entry.level, entry.scope_id = level, scope_id
    if isinstance(meta.get("id"), str) and meta["id"]:
        entry.id = meta["id"]
    if isinstance(meta.get("category"), str):
        entry.category = meta["category"]
    tags = meta.get("tags")
    if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
        entry.tags = list(tags)


def bookkeeping(entry: LoreEntry) -> dict[str, Any]:
    """Import bookkeeping (unknown fields, original values) stored on the entry."""
    meta = entry.extensions.setdefault("lorekeeper", {})
    if not isinstance(meta, dict):
        meta = entry.extensions["lorekeeper"] = {}
    return meta.setdefault("import", {})


def export_extensions(entry: LoreEntry) -> dict[str, Any]:
    """The entry's extensions for export: verbatim, plus our scope metadata."""
    ext = copy.deepcopy(entry.extensions)
    meta = ext.get("lorekeeper")
    meta = dict(meta) if isinstance(meta, dict) else {}
    meta.pop("import", None)
    meta.update(
        {
            "id": entry.id,
            "level": entry.level,
            "scope_id": entry.scope_id,
            "category": entry.category,
            "tags": list(entry.tags),
        }
    )
    ext["lorekeeper"] = meta
    return ext


def import_info(entry: LoreEntry) -> tuple[dict[str, Any], set[str], dict[str, Any]]:
    """(unknown fields, names of fields present in the source, kept original values)."""
    meta = entry.extensions.get("lorekeeper")
    info = meta.get("import", {}) if isinstance(meta, dict) else {}
    return (
        copy.deepcopy(info.get("fields", {})),
        set(info.get("present", ())),
        info.get("kept", {}),
    )
