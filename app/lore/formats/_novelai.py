"""NovelAI lorebooks (`lorebookVersion`): import only.

`contextConfig.budgetPriority` (higher: kept first when the budget is tight) becomes
`insertion_order`, as SillyTavern's own conversion does (`convertNovelLorebook`), so a
NovelAI book exported to SillyTavern keeps its priorities as `order`; it is also the
entry's `priority` (the V2 card field with that meaning).
"""

from __future__ import annotations

import copy
from typing import Any

from .._entry import LoreEntry
from ._book import LoreBook
from ._errors import FormatError
from ._fields import Reader, entry_path
from ._mapping import build_entry

__all__ = ["novelai_from_json"]

MODELLED = frozenset({"text", "displayName", "keys", "enabled", "forceActivation", "category"})
#: NovelAI's default budget priority.
DEFAULT_BUDGET_PRIORITY = 400


def _entry(obj: Any, path: str, categories: dict[str, str]) -> LoreEntry:
    path = entry_path(path, obj, "displayName")
    r = Reader(obj, path)
    ctx = Reader(r.dict_("contextConfig"), f"{path}.contextConfig")
    category_id = r.str_("category", None)
    budget_priority = ctx.int_("budgetPriority", DEFAULT_BUDGET_PRIORITY)
    fields = {
        "name": r.str_("displayName"),
        "content": r.str_("text"),
        "keys": r.list_str("keys"),
        "enabled": r.bool_("enabled", True),
        "constant": r.bool_("forceActivation", False),
        # NovelAI keys are case-insensitive and bounded by word edges unless they are regexes.
        "case_sensitive": False,
        "match_whole_words": True,
        "insertion_order": budget_priority,
        "priority": budget_priority,
        "category": categories.get(category_id, category_id) if category_id else None,
        "extensions": {},
    }
    # Everything else (searchRange, keyRelative, contextConfig, loreBiasGroups, ...) is kept
    # verbatim so a NovelAI round trip loses nothing (SillyTavern drops forceActivation and
    # searchRange).
    info = {"format": "novelai", "fields": r.unknown(MODELLED), "present": [], "kept": {}}
    return build_entry(fields, path, info)


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
