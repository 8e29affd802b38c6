"""NovelAI lorebooks (`lorebookVersion`): import only."""

from __future__ import annotations

import copy
from typing import Any

from .._entry import LoreEntry
from ._book import LoreBook
from ._errors import FormatError
from ._fields import Reader
from ._mapping import bookkeeping, new_entry, restore_scope

__all__ = ["novelai_from_json"]

MODELLED = frozenset({"text", "displayName", "keys", "enabled", "forceActivation", "category"})


def _entry(obj: Any, path: str, categories: dict[str, str]) -> LoreEntry:
    r = Reader(obj, path)
    ctx = Reader(r.dict_("contextConfig"), f"{path}.contextConfig")
    category_id = r.str_("category", None)
    entry = new_entry(
        name=r.str_("displayName"),
        content=r.str_("text"),
        keys=r.list_str("keys"),
        enabled=r.bool_("enabled", True),
        constant=r.bool_("forceActivation", False),
        # NovelAI keys are case-insensitive and bounded by word edges unless they are regexes.
        case_sensitive=False,
        match_whole_words=True,
        priority=ctx.int_("budgetPriority", 0),
        insertion_order=-ctx.int_("insertionPosition", -1),
        category=categories.get(category_id, category_id) if category_id else None,
        extensions={},
    )
    restore_scope(entry, path)
    # Everything else (searchRange, keyRelative, contextConfig, loreBiasGroups, ...) is kept
    # verbatim so a NovelAI round trip loses nothing (SillyTavern drops forceActivation and
    # searchRange).
    bookkeeping(entry).update(
        {"format": "novelai", "fields": r.unknown(MODELLED), "present": [], "kept": {}}
    )
    return entry


def novelai_from_json(obj: dict[str, Any]) -> LoreBook:
    r = Reader(obj, "$")
    version = r.int_("lorebookVersion", required=True)
    if version < 1:
        raise FormatError(f"$.lorebookVersion: unsupported version {version}")
    categories: dict[str, str] = {}
    for i, cat in enumerate(r.list_("categories")):
        cr = Reader(cat, f"$.categories[{i}]")
        cid = cr.str_("id", None)
        if cid:
            categories[cid] = cr.str_("name") or cid
    entries = [_entry(e, f"$.entries[{i}]", categories) for i, e in enumerate(r.list_("entries"))]
    return LoreBook(
        name=r.str_("name") if isinstance(obj.get("name"), str) else "",
        entries=entries,
        format="novelai",
        extra={"fields": copy.deepcopy(r.unknown({"entries"})), "present": []},
    )
