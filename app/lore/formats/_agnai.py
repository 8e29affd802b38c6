"""Agnai memory books (`kind: "memory"`): import only."""

from __future__ import annotations

import re
from typing import Any

from .._entry import LoreEntry
from ._book import LoreBook
from ._fields import Reader, entry_path
from ._mapping import build_entry

__all__ = ["agnai_from_json", "wildcard_key"]

MODELLED = frozenset({"name", "entry", "keywords", "priority", "weight", "enabled"})


def wildcard_key(keyword: str) -> str:
    """Agnai keywords may use `*` (any run of word characters) and `?` (one character)."""
    if "*" not in keyword and "?" not in keyword:
        return keyword
    parts = []
    for ch in keyword:
        if ch == "*":
            parts.append(r"\w*")
        elif ch == "?":
            parts.append(r"\w")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts).replace("/", r"\/")
    return f"/(?<!\\w){body}(?!\\w)/i"


def _entry(obj: Any, path: str) -> LoreEntry:
    path = entry_path(path, obj, "name")
    r = Reader(obj, path)
    keywords = r.list_str("keywords")
    fields = {
        "name": r.str_("name"),
        "content": r.str_("entry"),
        "keys": [wildcard_key(k) for k in keywords],
        "enabled": r.bool_("enabled", True),
        "priority": r.int_("priority", 0),
        "insertion_order": r.int_("weight", 0),
        "match_whole_words": True,
        "extensions": {},
    }
    info = {
        "format": "agnai",
        "fields": r.unknown(MODELLED),
        "present": [],
        "kept": {"keywords": keywords},
    }
    return build_entry(fields, path, info)


def agnai_from_json(obj: dict[str, Any]) -> LoreBook:
    r = Reader(obj, "$")
    entries = [
        _entry(e, f"$.entries[{i}]") for i, e in enumerate(r.list_("entries", required=True))
    ]
    return LoreBook(
        name=r.str_("name"),
        description=r.str_("description"),
        entries=entries,
        format="agnai",
        extra={"fields": r.unknown({"name", "description", "entries"}), "present": []},
    )
